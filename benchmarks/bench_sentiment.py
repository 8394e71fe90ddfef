"""Benchmark of the sentiment model and its baselines, in one run.

    python benchmarks/bench_sentiment.py > benchmarks/RESULTS_sentiment.md

Evaluations:
  * NewsMTSC test-rw and test-mt (the paper's test parts, `splits/newsmtsc-{rw,mt}/test.jsonl`):
    target-dependent sentiment, macro-F1 (F1m) and accuracy, argmax of the model (no abstain,
    as the paper scores); the abstain rate at the shipped threshold is reported apart;
  * quote tone on the seed gold (seeds/*.gold.json): the gold quote texts of the required quotes,
    `acceptable` labels counted as correct (the rule of the project's gold scorer);
  * quote tone on the synthetic domain dev split.
Baselines: majority class (of NewsMTSC train for the target task, of the domain train split for
tone); VADER (compound >= 0.05 positive, <= -0.05 negative, else neutral) of the whole sentence
or quote, and for the target task also of a local window (the mention and the 6 words on each
side). Throughput: pairs/s of `predict_proba` on test-rw, with `--threads` torch threads.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stancekit.classify.sentiment import ABSTAIN, MODEL_NAME, SentimentClassifier  # noqa: E402
from stancekit.models.base import sha256_of  # noqa: E402
from stancekit.train import sentiment_data as sd  # noqa: E402
from stancekit.train.sentiment import macro_f1  # noqa: E402
from stancekit.evaluate import macro_f1_acceptable  # noqa: E402

PUBLISHED = {"test_rw": {"RoBERTa GRU-TSC (paper)": 83.1, "VADER (paper)": 51.3},
             "test_mt": {"RoBERTa GRU-TSC (paper)": 82.5, "VADER (paper)": 48.1}}
WINDOW_WORDS = 6


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


# -- scoring ---------------------------------------------------------------------------------------
def macro_f1_gold(pairs, labels=sd.LABELS) -> float:
    return macro_f1_acceptable(pairs, labels)


def acc_gold(pairs) -> float:
    return sum(p in g for g, p in pairs) / max(1, len(pairs))


def temperature(cfg: dict) -> str:
    t = cfg["temperature"]
    return ", ".join(f"{k} {v:.3f}" for k, v in t.items() if k in ("tone", "toward")) if isinstance(t, dict) else f"{t:.3f}"


# -- baselines -------------------------------------------------------------------------------------
def vader_label(analyzer, text: str) -> str:
    c = analyzer.polarity_scores(text)["compound"]
    return "positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral"


def window(text: str, start: int, end: int, k: int = WINDOW_WORDS) -> str:
    """The mention and k words on each side."""
    left = re.findall(r"\S+", text[:start])[-k:]
    right = re.findall(r"\S+", text[end:])[:k]
    return " ".join(left + [text[start:end]] + right)


# -- data ------------------------------------------------------------------------------------------
def seed_quotes(seed_dir: Path) -> list[tuple[str, list[str]]]:
    """(quote text, [gold, *acceptable]) of the required quotes of every seed gold file."""
    out = []
    for path in sorted(seed_dir.glob("*.gold.json")):
        doc = json.loads(path.read_text())
        for q in doc["quotes"]:
            if not q.get("optional"):
                out.append((q["text"], [q["sentiment"]] + q.get("acceptable", {}).get("sentiment", [])))
    return out


def shown(path: Path) -> str:
    """A data path as the reader would type it: relative to the repository when it is near it."""
    try:
        return os.path.relpath(Path(path).resolve(), REPO)
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=None, help="model folder, a QuoteModel or a sentiment PairClassifier "
                   "(default: the shipped one, see stancekit.classify.sentiment.MODEL_NAME)")
    p.add_argument("--data", default=str(sd.DEFAULT_DATA), help="shared data root")
    p.add_argument("--domain", default=str(sd.DEFAULT_DOMAIN))
    p.add_argument("--seeds", default=str(REPO / "seeds"))
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)

    import torch
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    torch.set_num_threads(args.threads)
    vader = SentimentIntensityAnalyzer()
    clf = SentimentClassifier.load(args.model)
    model = clf.model
    model_name = Path(args.model).name if args.model else MODEL_NAME
    root = Path(args.data)
    train = sd.load_newsmtsc(root / sd.NEWSMTSC["train"])
    majority_news = Counter(train["label"]).most_common(1)[0][0]

    rows, extra = [], {}
    # NewsMTSC ------------------------------------------------------------------------------------
    for split in ("test_rw", "test_mt"):
        ds = sd.load_newsmtsc(root / sd.NEWSMTSC[split])
        gold = list(ds["label"])
        t0 = time.time()
        probs = clf.toward_proba([(r["text"], r["start"], r["end"]) for r in ds])
        dt = time.time() - t0
        pred = [clf.labels[i] for i in probs.argmax(1)]
        abstain = float((probs.max(1) < clf.threshold_).mean())
        kept = probs.max(1) >= clf.threshold_
        systems = {
            f"stancekit {model_name}": pred,
            f"VADER, window ±{WINDOW_WORDS} words": [vader_label(vader, window(r["text"], r["start"], r["end"]))
                                                     for r in ds],
            "VADER, sentence": [vader_label(vader, r["text"]) for r in ds],
            f"majority ({majority_news})": [majority_news] * len(gold),
        }
        for name, pr in systems.items():
            rows.append((split, name, macro_f1(gold, pr), float(np.mean([g == q for g, q in zip(gold, pr)])), len(gold)))
        extra[split] = {"pairs_per_s": len(gold) / dt, "abstain_rate": abstain,
                        "f1m_non_abstained": macro_f1(np.array(gold)[kept], np.array(pred)[kept]),
                        "share_kept": float(kept.mean())}
        log(split, "done", extra[split])

    # quote tone ----------------------------------------------------------------------------------
    tone_rows = []
    seeds = seed_quotes(Path(args.seeds))
    domain_path = Path(args.domain)
    tone_sets = {"seed gold quotes": seeds}
    majority_tone = "neutral"
    if domain_path.exists():
        dev = sd.load_domain(domain_path, "dev")
        tr = sd.load_domain(domain_path, "train")
        majority_tone = Counter(tr["label"]).most_common(1)[0][0]
        tone_sets["domain dev (synthetic)"] = [(t, [y]) for t, y in zip(dev["text"], dev["label"])]
    for name, items in tone_sets.items():
        texts = [t for t, _ in items]
        golds = [g for _, g in items]
        labs = clf.tone(texts)
        systems = {
            f"stancekit {model_name} (argmax)": [max(l.scores, key=l.scores.get) for l in labs],
            f"stancekit {model_name} (with abstain)": [l.label for l in labs],
            "VADER, whole quote": [vader_label(vader, t) for t in texts],
            f"majority ({majority_tone})": [majority_tone] * len(texts),
        }
        for sname, pr in systems.items():
            pairs = list(zip(golds, pr))
            tone_rows.append((name, sname, macro_f1_gold(pairs), acc_gold(pairs), len(pairs),
                              sum(x == ABSTAIN for x in pr)))

    # report --------------------------------------------------------------------------------------
    cfg = model.config_
    cmd = " ".join(["python benchmarks/bench_sentiment.py", *sys.argv[1:], "> benchmarks/RESULTS_sentiment.md"])
    out = [
        f"# Sentiment benchmark (models/{model_name})", "",
        f"Command: `{cmd}`", "",
        f"Model: sha256 `{cfg['sha256'][:16]}…`, seed {cfg.get('seed')}, hyper-parameters "
        f"`{json.dumps(cfg.get('hyperparameters', {}))}`, temperature {temperature(cfg)}, "
        f"abstain below {clf.threshold_:.2f} (toward) / {clf.tone_threshold_:.2f} (tone). Machine: {platform.processor() or platform.machine()}, "
        f"torch {torch.__version__}, {args.threads} thread(s).", "",
        f"Data: NewsMTSC from `{shown(root)}`; domain set `{domain_path.name}` "
        f"{'sha256 `' + sha256_of(domain_path)[:16] + '…`' if domain_path.exists() else '(absent: its rows are skipped)'} "
        f"(it grows while the project writes it, so its dev rows may differ from those the model was calibrated on).", "",
        "## Target-dependent sentiment, NewsMTSC test splits", "",
        "| split | system | F1m | accuracy | n |", "|---|---|---:|---:|---:|",
    ]
    for split, name, f1, acc, n in rows:
        out.append(f"| {split} | {name} | {100 * f1:.1f} | {100 * acc:.1f} | {n} |")
    for split, pub in PUBLISHED.items():
        for name, f1 in pub.items():
            out.append(f"| {split} | {name} | {f1:.1f} | – | – |")
    out += ["", "Model F1m is the argmax (no abstain), as the paper scores. At the shipped threshold:", ""]
    for split, e in extra.items():
        out.append(f"- {split}: abstains on {100 * e['abstain_rate']:.1f}% of pairs; F1m on the other "
                   f"{100 * e['share_kept']:.1f}% is {100 * e['f1m_non_abstained']:.1f}.")
    out += ["", "## Quote tone (whole quote: positive / negative / neutral)", "",
            "| set | system | macro-F1 | accuracy | n | abstained |", "|---|---|---:|---:|---:|---:|"]
    for name, sname, f1, acc, n, ab in tone_rows:
        out.append(f"| {name} | {sname} | {100 * f1:.1f} | {100 * acc:.1f} | {n} | {ab} |")
    out += ["", "Seed gold: the gold texts of the required (non-optional) quotes, so this scores the "
            "classifier alone; an `acceptable` label counts as correct and `abstain` as wrong "
            "(the project's gold-scorer rule). The seed article is never trained on.", "",
            "## Throughput", ""]
    for split, e in extra.items():
        out.append(f"- {split}: {e['pairs_per_s']:.1f} pairs/s (`predict_proba`, batch 32, {args.threads} thread(s), CPU)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
