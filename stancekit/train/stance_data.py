"""Training and evaluation pairs for the stance model: (target proposition, quote text) -> label.

Sources (see models/stance-minilm.md for licences and sizes):

* IBM ArgQ-Rank-30k: crowd arguments on 71 motions, FAVOR/AGAINST, topic-disjoint splits. train
  trains, val calibrates, test is only evaluated.
* IBM Claim Stance: Wikipedia claims on 55 motions, PRO/CON; every topic that shares a content
  word with an ArgQ val/test motion is dropped so those splits stay cross-target.
* `none` pairs: an argument paired with another motion of the same split, and news sentences
  (NewsMTSC) that never mention Russia/Ukraine/NATO paired with the built-in propositions (hard
  negatives: "talks", "deal", "join" in other senses) or with an IBM motion.
* The synthetic domain set (models/data/stance_domain.jsonl): quotes about Ukraine's NATO
  membership and peace talks, labelled for both built-in targets; train split upsampled, half of
  its short or anaphoric quotes preceded by a neutral sentence as context; each train text also
  paired once with an IBM motion as none (off-target).
* Flipped pairs: ArgQ arguments with the negated motion ("We should not ban X") and the opposite
  label, so the model reads the proposition's polarity instead of learning topic priors.

Every function takes a seed and returns a `datasets.Dataset` with the columns of `COLUMNS`.
"""
from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path
from typing import Iterable, Sequence

from stancekit.classify.stance import LABELS, format_quote
from stancekit.targets import BUILTIN_TARGETS
from stancekit.train import DOMAIN, REPO

COLUMNS = ("proposition", "text", "label", "source")
DOMAIN_PATH = DOMAIN
ARGQ_FILE = "stance/ibm_argq_30k/raw_{split}_all_onecol.csv"
CLAIM_FILE = "stance/ibm_claim_stance/claim_stance_dataset_v1.csv"
NEWS_FILE = "sentiment/newsmtsc/original/train.jsonl"
ON_DOMAIN = re.compile(r"ukrain|russia|nato|putin|kyiv|kiev|zelensk|kremlin|moscow", re.I)
_STOP = frozenset(
    "this house believes that would should supports support we the a an of to in be is are for and on "
    "its it all use ban banned more than good harm bring brings adopt abolish legalize only way end "
    "should not sometimes right".split())


def default_data_root() -> Path:
    """`../shared/data` next to the repository (override with `--data`)."""
    return REPO.parent / "shared" / "data"


def _dataset(rows: list[dict]):
    from datasets import Dataset

    return Dataset.from_dict({c: [r[c] for r in rows] for c in COLUMNS})


def _need(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: pass --data pointing at the shared data folder "
                                "(it holds stance/ibm_argq_30k, stance/ibm_claim_stance, sentiment/newsmtsc).")
    return path


def clean_argument(text: str) -> str:
    """Strip ZeroStance artefacts: leading stray punctuation and backslashes."""
    return " ".join(text.replace("\\", "").split()).lstrip("`.,;:'\" ")


# -- IBM ArgQ ---------------------------------------------------------------------------------------
def argq_rows(frame) -> list[dict]:
    """Rows of an ArgQ frame (columns Tweet, Target 1, Stance 1) as pairs."""
    rows = []
    for text, target, stance in zip(frame["Tweet"], frame["Target 1"], frame["Stance 1"]):
        label = str(stance).strip().lower()
        text = clean_argument(str(text))
        if label in ("favor", "against") and text:
            rows.append({"proposition": str(target).strip(), "text": text, "label": label, "source": "argq"})
    return rows


def read_argq(root: str | Path, split: str):
    """ArgQ-30k `split` (train, val or test) as a Dataset."""
    import pandas as pd

    return _dataset(argq_rows(pd.read_csv(_need(Path(root) / ARGQ_FILE.format(split=split)))))


_MODAL = re.compile(r"^(.*?\b(?:should|would|must|can|will|is|are)\b)(?! not\b)(.*)$")
_HARM = re.compile(r"\bbrings? more (harm than good|good than harm)\b")


def negate_proposition(prop: str) -> str | None:
    """The opposite motion, or None where no safe rule applies.

    >>> negate_proposition("We should abolish zoos")
    'We should not abolish zoos'
    >>> negate_proposition("Homeopathy brings more harm than good")
    'Homeopathy brings more good than harm'
    """
    m = _HARM.search(prop)
    if m:
        swap = "good than harm" if m.group(1) == "harm than good" else "harm than good"
        return prop[:m.start(1)] + swap + prop[m.end(1):]
    m = _MODAL.match(prop)
    return f"{m.group(1)} not{m.group(2)}" if m else None


def flipped(ds, n: int, seed: int):
    """`n` pairs of `ds` with the negated proposition and the opposite label (favor <-> against)."""
    rng = random.Random(seed)
    order = list(range(len(ds)))
    rng.shuffle(order)
    rows = []
    for i in order:
        if len(rows) >= n:
            break
        r = ds[i]
        neg = negate_proposition(r["proposition"])
        if neg and r["label"] in ("favor", "against"):
            rows.append({"proposition": neg, "text": r["text"], "source": "argq_flip",
                         "label": "against" if r["label"] == "favor" else "favor"})
    return _dataset(rows)


# -- IBM Claim Stance -------------------------------------------------------------------------------
def claim_proposition(topic: str) -> str:
    """'This house would ban boxing' -> 'We should ban boxing.'; 'This house believes that X' -> 'X.'"""
    t = topic.strip().rstrip(".")
    for prefix, repl in (("This house believes that ", ""), ("This house believes in ", "We should support "),
                         ("This house believes ", ""), ("This house would ", "We should "),
                         ("This house supports ", "We should support ")):
        if t.startswith(prefix):
            t = repl + t[len(prefix):]
            break
    return t[:1].upper() + t[1:] + "."


def parse_claim_stance(lines: Iterable[str]) -> list[dict]:
    """Rows of the doubly quoted Claim Stance CSV; lines that do not parse cleanly are skipped.

    Each physical line is one CSV row wrapped as a single quoted field with a ';;;;' suffix.
    """
    header, rows = None, []
    for line in lines:
        line = line.rstrip("\r\n")
        if line.endswith(";;;;"):
            line = line[:-4]
        try:
            outer = next(csv.reader([line]))
            fields = next(csv.reader([outer[0]])) if len(outer) == 1 else []
        except (csv.Error, StopIteration):
            continue
        if header is None:
            header = fields
            continue
        if len(fields) == len(header):
            rows.append(dict(zip(header, fields)))
    return rows


def _content_words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", s.lower()) if len(w) > 3 and w not in _STOP}


def claim_rows(records: list[dict], exclude_motions: Sequence[str] = ()) -> list[dict]:
    """Claim Stance records as pairs, dropping topics that share a content word with `exclude_motions`."""
    banned = set().union(*map(_content_words, exclude_motions)) if exclude_motions else set()
    rows = []
    for r in records:
        label = {"PRO": "favor", "CON": "against"}.get(r.get("claims.stance", "").strip())
        text = " ".join(r.get("claims.claimCorrectedText", "").split())
        if not label or not text or _content_words(r["topicText"]) & banned:
            continue
        rows.append({"proposition": claim_proposition(r["topicText"]), "text": text, "label": label,
                     "source": "claim_stance"})
    return rows


def read_claim_stance(root: str | Path, exclude_motions: Sequence[str] = ()):
    path = _need(Path(root) / CLAIM_FILE)
    with open(path, encoding="utf-8") as fh:
        return _dataset(claim_rows(parse_claim_stance(fh), exclude_motions))


# -- none pairs --------------------------------------------------------------------------------------
def mismatched_none(ds, n: int, seed: int, source: str = "mismatch"):
    """`n` none pairs: a text of `ds` with a motion of `ds` other than its own."""
    rng = random.Random(seed)
    motions = sorted(set(ds["proposition"]))
    if len(motions) < 2 or n <= 0:
        return _dataset([])
    idx = [rng.randrange(len(ds)) for _ in range(n)]
    rows = []
    for i in idx:
        own = ds[i]["proposition"]
        other = rng.choice([m for m in motions if m != own])
        rows.append({"proposition": other, "text": ds[i]["text"], "label": "none", "source": source})
    return _dataset(rows)


def read_news_sentences(root: str | Path) -> list[str]:
    """Distinct NewsMTSC train sentences that do not mention Russia, Ukraine or NATO."""
    seen, out = set(), []
    with open(_need(Path(root) / NEWS_FILE), encoding="utf-8") as fh:
        for line in fh:
            s = " ".join(json.loads(line).get("sentence_normalized", "").split())
            if s and s not in seen and not ON_DOMAIN.search(s) and 5 <= len(s.split()) <= 60:
                seen.add(s)
                out.append(s)
    return out


def news_none(sentences: Sequence[str], n: int, motions: Sequence[str], seed: int, builtin_share: float = 0.6):
    """`n` none pairs: off-topic news sentences with a built-in proposition or one of `motions`.

    Sentences that contain a built-in target's keywords are preferred for that target (hard negatives).
    """
    rng = random.Random(seed)
    sents = list(sentences)
    rng.shuffle(sents)
    builtins = list(BUILTIN_TARGETS.values())
    hard = {t.id: [s for s in sents if t.mentioned_in(s)] for t in builtins}
    rows = []
    for k in range(n):
        if rng.random() < builtin_share:
            t = rng.choice(builtins)
            pool = hard[t.id] if hard[t.id] and rng.random() < 0.7 else sents
            rows.append({"proposition": t.proposition, "text": rng.choice(pool), "label": "none", "source": "news_none"})
        elif motions:
            rows.append({"proposition": rng.choice(list(motions)), "text": sents[k % len(sents)], "label": "none",
                         "source": "news_none"})
    return _dataset(rows)


# -- synthetic domain set ----------------------------------------------------------------------------
def read_domain(path: str | Path = DOMAIN_PATH) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the synthetic domain set (models/data/stance_domain.jsonl, "
                                "see models/data/GUIDELINES.md) is needed to train the stance model.")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


NEUTRAL_CONTEXT = ("The minister spoke to reporters after the meeting.", "She was speaking at a news conference on Wednesday.",
                   "The remarks came at the end of a two-day visit.", "He was asked about it in a radio interview.",
                   "Officials met in Brussels on Thursday.", "The comments were made outside the ministry.",
                   "The statement was published late on Monday.", "He spoke to journalists in the capital.")
"""Neutral sentences that precede quotes in articles; the classifier puts the previous sentence in
front of short or anaphoric quotes, so some such training quotes get one too."""


def domain_rows(records: Sequence[dict], split: str, targets: Sequence[str] = ("nato_membership", "peace_talks"),
                seed: int = 0, context_share: float = 0.0) -> list[dict]:
    """Pairs (built-in proposition, formatted text) of the records in `split`; one per labelled target.

    A record with a "context" field is formatted as the classifier formats a quote with its context.
    A record without one gets, with probability `context_share`, a random neutral previous sentence
    (used by `format_quote` only where the quote is short or anaphoric, as in an article).
    """
    rng = random.Random(seed)
    rows = []
    for r in records:
        if r.get("split") != split:
            continue
        context = r.get("context") or ""
        if not context and context_share and rng.random() < context_share:
            context = rng.choice(NEUTRAL_CONTEXT)
        text = format_quote(r["text"], context)
        for tid in targets:
            label = r.get(tid)
            if label in LABELS:
                rows.append({"proposition": BUILTIN_TARGETS[tid].proposition, "text": text, "label": label,
                             "source": "domain"})
    return rows


def offtarget_none(records: Sequence[dict], split: str, motions: Sequence[str], seed: int) -> list[dict]:
    """One none pair per record of `split`: its text with a random IBM motion (another target)."""
    rng = random.Random(seed)
    return [{"proposition": rng.choice(list(motions)), "text": r["text"], "label": "none",
             "source": "domain_offtarget"} for r in records if r.get("split") == split and motions]


# -- everything together -----------------------------------------------------------------------------
def build_sets(data_root: str | Path | None = None, domain_path: str | Path = DOMAIN_PATH, *, n_argq: int = 9000,
               n_flip: int = 3000, n_claim: int = 1200, none_frac: float = 0.2, n_news: int = 1000,
               domain_upsample: int = 4, n_dev_argq: int = 600, seed: int = 13) -> dict:
    """Train and dev sets, plus their sizes by source.

    Returns:
        {"train": Dataset, "dev": Dataset, "sizes": {...}}. dev = domain dev + ArgQ val sample
        (+ its none pairs); ArgQ test is untouched (see benchmarks/bench_stance.py).
    """
    from datasets import concatenate_datasets

    root = Path(data_root) if data_root else default_data_root()
    argq_train, argq_val = read_argq(root, "train"), read_argq(root, "val")
    argq_test_motions = sorted(set(read_argq(root, "test")["proposition"]))
    held_out = argq_test_motions + sorted(set(argq_val["proposition"]))
    argq = argq_train.shuffle(seed=seed).select(range(min(n_argq, len(argq_train))))
    claim = read_claim_stance(root, exclude_motions=held_out).shuffle(seed=seed)
    claim = claim.select(range(min(n_claim, len(claim))))
    polar = concatenate_datasets([argq, claim])
    motions = sorted(set(polar["proposition"]))
    none_ibm = concatenate_datasets([
        mismatched_none(argq, int(none_frac * len(argq)), seed + 1),
        mismatched_none(claim, int(none_frac * len(claim)), seed + 2),
    ])
    news = news_none(read_news_sentences(root), n_news, motions, seed + 3)
    records = read_domain(domain_path)
    dom_train = _dataset(domain_rows(records, "train", seed=seed + 4, context_share=0.5))
    dom_dev = _dataset(domain_rows(records, "dev"))
    offtarget = _dataset(offtarget_none(records, "train", motions, seed + 6))
    flips = flipped(argq, n_flip, seed + 7)
    parts = [polar, flips, none_ibm, news, offtarget] + [dom_train] * max(1, domain_upsample)
    train = concatenate_datasets(parts).shuffle(seed=seed)
    val = argq_val.shuffle(seed=seed).select(range(min(n_dev_argq, len(argq_val))))
    dev = concatenate_datasets([dom_dev, val, mismatched_none(val, int(none_frac * len(val)), seed + 5, "argq_val_none")])
    sizes = {"argq_train": len(argq), "argq_flipped": len(flips), "claim_stance": len(claim), "none_mismatch": len(none_ibm),
             "none_news": len(news), "none_domain_offtarget": len(offtarget), "domain_train_pairs": len(dom_train), "domain_upsample": domain_upsample,
             "domain_train_records": sum(r.get("split") == "train" for r in records),
             "domain_dev_records": sum(r.get("split") == "dev" for r in records),
             "train_pairs": len(train), "dev_pairs": len(dev), "dev_domain_pairs": len(dom_dev)}
    return {"train": train, "dev": dev, "sizes": sizes}
