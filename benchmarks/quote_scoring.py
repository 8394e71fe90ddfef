"""Scoring helpers for the quote benchmark (benchmarks/bench_quotes.py).

Two evaluation schemes:

* **Project gold** (`seeds/*.gold.json`, `.jsonl`; see ../shared/GOLD_FORMAT.md): the rule of the
  project's gold scorer, re-implemented here (the benchmark must not import it): a predicted quote
  matches a gold quote when their spans overlap by at least half of the shorter span, greedy
  one-to-one by overlap ratio; `optional` gold quotes count neither as misses nor, when matched, as
  predictions; the speaker is right when it equals the canonical name or one of its listed surface
  forms (case-insensitive, dots and curly apostrophes normalised) or, for a multi-word canonical
  name, when its last word is the canonical surname.
* **PolNeAR** (brat standoff, Source/Cue/Content joined by Attribution events): content, source and
  cue span P/R/F1 (exact, normalised-exact, overlap) and end-to-end attribution F1.

Everything here is plain Python over dicts/tuples so it can be unit-tested on tiny inputs.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# The project's gold rule (pairing, name normalisation, speaker test) lives in the package.
from stancekit.evaluate import match_spans as overlap_match  # noqa: F401
from stancekit.evaluate import norm as norm_name
from stancekit.evaluate import speaker_ok  # noqa: F401

# ----------------------------------------------------------------------------- generic helpers


def prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "pred": n_pred, "gold": n_gold}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def any_overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and overlap(a, b) > 0


QUOTE_MARKS = "\"“”«»„"   # double marks only (’ is mostly an apostrophe); NYT's '' is checked apart
_OPEN_MARKS = "\"“”‘’'«»„‟`"
_TRAIL_PUNCT = ",.;:!?…"


def normalise_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip whitespace, surrounding quotation marks, trailing punctuation and a leading
    complementiser "that " from the span text[s:e]; returns the new offsets (never empty unless the
    span is nothing but marks)."""
    changed = True
    while changed and s < e:
        changed = False
        while s < e and text[s].isspace():
            s += 1; changed = True
        while e > s and text[e - 1].isspace():
            e -= 1; changed = True
        if s < e and text[s] in _OPEN_MARKS:
            s += 1; changed = True
        if e > s and (text[e - 1] in _OPEN_MARKS or text[e - 1] in _TRAIL_PUNCT):
            e -= 1; changed = True
        if text[s:s + 5].lower() == "that " and e - s > 5:
            s += 5; changed = True
    return s, e


# ----------------------------------------------------------------------------- project gold rule


def score_gold_docs(golds: list[dict], preds: dict[str, list[dict]], keep_pairs: bool = False) -> dict:
    """Score predicted quotes ({"start","end","speaker"}) against project-format gold documents.

    Returns span (gold overlap rule), exact and normalised-exact span P/R/F1 (same pairing, exact
    when the offsets are identical), speaker accuracy on matched required quotes and end-to-end
    attribution P/R/F1 (span matched and speaker right)."""
    c = defaultdict(float)
    details = []
    for doc in golds:
        text = doc["text"]
        gq = doc["quotes"]
        pq = sorted(preds.get(doc["id"], []), key=lambda q: q["start"])
        pairs = overlap_match([(g["start"], g["end"]) for g in gq], [(p["start"], p["end"]) for p in pq])
        c["gold"] += sum(1 for g in gq if not g.get("optional"))
        c["pred"] += len(pq) - sum(1 for i, _ in pairs if gq[i].get("optional"))
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            g, p = gq[i], pq[j]
            if g.get("optional"):
                continue
            c["span_tp"] += 1
            if (g["start"], g["end"]) == (p["start"], p["end"]):
                c["exact_tp"] += 1
            if normalise_span(text, g["start"], g["end"]) == normalise_span(text, p["start"], p["end"]):
                c["norm_tp"] += 1
            ok = speaker_ok(p.get("speaker"), g["speaker"], doc.get("actors", {}).get(g["speaker"], []))
            c["attr_tp"] += ok
            if keep_pairs:
                details.append(("match", doc["id"], g, p, ok))
        if keep_pairs:
            details += [("fn", doc["id"], g, None, False) for i, g in enumerate(gq) if i not in matched_g and not g.get("optional")]
            details += [("fp", doc["id"], None, p, False) for j, p in enumerate(pq) if j not in matched_p]
    r = {
        "span": prf(c["span_tp"], c["pred"], c["gold"]),
        "exact": prf(c["exact_tp"], c["pred"], c["gold"]),
        "norm_exact": prf(c["norm_tp"], c["pred"], c["gold"]),
        "attribution": prf(c["attr_tp"], c["pred"], c["gold"]),
        "speaker_acc": c["attr_tp"] / c["span_tp"] if c["span_tp"] else 0.0,
        "counts": {k: int(v) for k, v in c.items()},
    }
    if keep_pairs:
        r["details"] = details
    return r


def same_person(pred_name: str | None, source_text: str) -> bool:
    """Loose check used only for mention-less predictions (a quote that carries the previous
    speaker over): the predicted canonical name's last word occurs in the gold Source text
    ("Obama" vs "Mr. Obama", "Michael Flynn" vs "Flynn, a top Trump surrogate")."""
    p = norm_name(pred_name)
    if not p:
        return False
    return p.split()[-1] in re.findall(r"[\w']+", norm_name(source_text))


def load_gold_files(paths: list[str | Path]) -> list[dict]:
    import json
    docs = []
    for p in paths:
        p = Path(p)
        if p.name.endswith(".json"):
            docs.append(json.loads(p.read_text(encoding="utf-8")))
        else:
            docs += [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    return docs


# ----------------------------------------------------------------------------- PolNeAR (brat)


@dataclass
class BratSpan:
    type: str
    fragments: list[tuple[int, int]]
    text: str

    @property
    def extent(self) -> tuple[int, int]:
        return self.fragments[0][0], self.fragments[-1][1]


@dataclass
class GoldAttribution:
    content: tuple[int, int]                     # extent of the (possibly discontinuous) content
    source: tuple[int, int] | None = None        # extent of the Source span, None for Attribution-no-source
    cue: tuple[int, int] | None = None
    content_fragments: list[tuple[int, int]] = field(default_factory=list)
    role: str = "Content"                        # "Content" or "Content2" (a second content of one relation)


def parse_brat(ann: str, text: str | None = None) -> list[GoldAttribution]:
    """Attribution relations of one brat `.ann` file. Each `Content`/`Content2` argument of an
    `E` line becomes one gold item carrying that relation's Source and Cue (extents of their
    fragments); relations without a content are skipped; identical content extents are kept once
    (the first relation, in file order). When `text` is given, fragment texts are checked."""
    spans: dict[str, BratSpan] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            typ, _, offs = parts[1].partition(" ")
            frags = []
            for f in offs.split(";"):
                a, b = f.split()
                frags.append((int(a), int(b)))
            if text is not None:
                joined = " ".join(text[a:b] for a, b in frags)  # brat joins fragments in annotation order
                if joined.split() != (parts[2] if len(parts) > 2 else "").split():
                    raise ValueError(f"offset mismatch for {parts[0]}: {joined[:60]!r} vs {parts[2][:60]!r}")
            spans[parts[0]] = BratSpan(typ, sorted(frags), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            args = {}
            for a in parts[1].split():
                role, _, tid = a.partition(":")
                args[role] = tid
            events.append(args)
    out: list[GoldAttribution] = []
    seen = set()
    for ev in events:
        src = spans[ev["Source"]].extent if "Source" in ev and ev["Source"] in spans else None
        cue = spans[ev["Cue"]].extent if "Cue" in ev and ev["Cue"] in spans else None
        for role in ("Content", "Content2"):
            tid = ev.get(role)
            if tid is None or tid not in spans:
                continue
            ext = spans[tid].extent
            if ext in seen:
                continue
            seen.add(ext)
            out.append(GoldAttribution(ext, src, cue, spans[tid].fragments, role))
    out.sort(key=lambda g: g.content)
    return out


def load_polnear(root: str | Path, split: str) -> list[dict]:
    """One document per article of `split`: text, the annotator used and its gold attributions.
    Articles with several annotators: the first annotator id in sorted order is used."""
    root = Path(root)
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        stem, _, annotator = ann.stem.rpartition("_")
        by_article[stem].append(ann)
    docs = []
    for stem in sorted(by_article):
        ann = sorted(by_article[stem], key=lambda p: p.stem.rpartition("_")[2])[0]
        text = (root / split / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        gold = parse_brat(ann.read_text(encoding="utf-8"), text)
        docs.append({"id": stem, "text": text, "annotator": ann.stem.rpartition("_")[2],
                     "n_annotators": len(by_article[stem]), "gold": gold})
    return docs


def _unique(spans) -> set[tuple[int, int]]:
    return {s for s in spans if s is not None}


def score_polnear(docs: list[dict], preds: dict[str, list[dict]], keep_errors: bool = False) -> dict:
    """Score predictions {"start","end","mention":(s,e)|None,"cue":(s,e)|None} against PolNeAR gold.

    * content exact / normalised exact: one-to-one on identical (normalised) extents;
      content overlap: the project rule (overlap >= half of the shorter span, greedy one-to-one).
    * source / cue span-level (CofeNet-style, independent of content): the set of distinct gold
      Source (Cue) extents of a document vs the set of distinct predicted mention (cue) spans;
      exact = identical offsets; overlap = greedy one-to-one with the same half-overlap rule.
    * source / cue relational: over content pairs matched by overlap, the prediction's mention (cue)
      is right when it equals (exact) or overlaps (overlap) the gold Source (Cue) of that content;
      P over predictions with a mention (cue), R over gold contents with a Source (Cue).
    * attribution (end to end): content matched by overlap AND (predicted mention overlaps the gold
      Source, or both have none); P over all predictions, R over all gold contents.
      attribution_lenient also credits a prediction without a mention whose canonical speaker
      (carried over from an earlier quote) names the person of the gold Source (`same_person`).
    """
    c = defaultdict(float)
    errors = []
    for doc in docs:
        text = doc["text"]
        gold: list[GoldAttribution] = doc["gold"]
        pred = sorted(preds.get(doc["id"], []), key=lambda q: q["start"])
        g_sp = [g.content for g in gold]
        p_sp = [(p["start"], p["end"]) for p in pred]
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        c["exact_tp"] += len(set(g_sp) & set(p_sp))
        c["norm_tp"] += len({normalise_span(text, *s) for s in g_sp} & {normalise_span(text, *s) for s in p_sp})
        pairs = overlap_match(g_sp, p_sp)
        c["ovl_tp"] += len(pairs)
        # span-level source / cue
        for kind, gset, pset in (("src", _unique(g.source for g in gold), _unique(p.get("mention") for p in pred)),
                                 ("cue", _unique(g.cue for g in gold), _unique(p.get("cue") for p in pred))):
            c[f"{kind}_gold"] += len(gset)
            c[f"{kind}_pred"] += len(pset)
            c[f"{kind}_exact_tp"] += len(gset & pset)
            c[f"{kind}_ovl_tp"] += len(overlap_match(sorted(gset), sorted(pset)))
        # relational
        c["rsrc_gold"] += sum(1 for g in gold if g.source)
        c["rsrc_pred"] += sum(1 for p in pred if p.get("mention"))
        c["rcue_gold"] += sum(1 for g in gold if g.cue)
        c["rcue_pred"] += sum(1 for p in pred if p.get("cue"))
        mg, mp = {}, {}
        for i, j in pairs:
            g, p = gold[i], pred[j]
            mg[i], mp[j] = j, i
            m, q = p.get("mention"), p.get("cue")
            c["rsrc_exact_tp"] += bool(g.source and m and tuple(m) == g.source)
            c["rsrc_ovl_tp"] += any_overlap(g.source, m)
            c["matched_with_source"] += g.source is not None
            c["rcue_exact_tp"] += bool(g.cue and q and tuple(q) == g.cue)
            right = any_overlap(g.source, m) or (g.source is None and m is None)
            c["attr_tp"] += right
            c["attr_lenient_tp"] += right or (m is None and g.source is not None
                                              and same_person(p.get("speaker"), text[g.source[0]:g.source[1]]))
            if keep_errors and not right:
                errors.append({"type": "wrong_source", "doc": doc, "gold": g, "pred": p})
        if keep_errors:
            errors += [{"type": "fn", "doc": doc, "gold": g, "pred": None} for i, g in enumerate(gold) if i not in mg]
            errors += [{"type": "fp", "doc": doc, "gold": None, "pred": p, "matched_gold": set(mg)}
                       for j, p in enumerate(pred) if j not in mp]
    r = {
        "content_exact": prf(c["exact_tp"], c["pred"], c["gold"]),
        "content_norm_exact": prf(c["norm_tp"], c["pred"], c["gold"]),
        "content_overlap": prf(c["ovl_tp"], c["pred"], c["gold"]),
        "source_exact": prf(c["src_exact_tp"], c["src_pred"], c["src_gold"]),
        "source_overlap": prf(c["src_ovl_tp"], c["src_pred"], c["src_gold"]),
        "cue_exact": prf(c["cue_exact_tp"], c["cue_pred"], c["cue_gold"]),
        "cue_overlap": prf(c["cue_ovl_tp"], c["cue_pred"], c["cue_gold"]),
        "rel_source_exact": prf(c["rsrc_exact_tp"], c["rsrc_pred"], c["rsrc_gold"]),
        "rel_source_overlap": prf(c["rsrc_ovl_tp"], c["rsrc_pred"], c["rsrc_gold"]),
        "rel_cue_exact": prf(c["rcue_exact_tp"], c["rcue_pred"], c["rcue_gold"]),
        "attribution": prf(c["attr_tp"], c["pred"], c["gold"]),
        "attribution_lenient": prf(c["attr_lenient_tp"], c["pred"], c["gold"]),
        "counts": {k: int(v) for k, v in c.items()},
    }
    if keep_errors:
        r["errors"] = errors
    return r


# ----------------------------------------------------------------------------- error categories

try:  # the segmenter's own cue lexicon, to tell "cue we do not know" from "cue we know but missed"
    from stancekit.segment.lexicon import CUE_FORMS as _CUE_FORMS
except Exception:  # noqa: BLE001
    _CUE_FORMS = {}

_COGNITION = re.compile(r"\b(believ\w*|think\w*|thought|feel\w*|felt|know\w*|knew|want\w*|hop\w*|worr\w*|expect\w*|"
                        r"fear\w*|consider\w*|view\w*|sees?|seen|saw|agree\w*|doubt\w*|wonder\w*|understand\w*|"
                        r"decid\w*|plan\w*|intend\w*|remember\w*|realiz\w*|assum\w*|learn\w*|suspect\w*|"
                        r"convinc\w*|skeptical|concerned|sure|aware|opinion|hope|support\w*|oppos\w*)\b", re.I)
_EVIDENCE = re.compile(r"\b(show\w*|found|find\w*|reveal\w*|poll\w*|survey\w*|data|stud(?:y|ies)|"
                       r"document\w*|record\w*|estimat\w*|according)\b", re.I)
_NOUN_CUE = re.compile(r"\b(statement|interview|allegation\w*|claim\w*|remark\w*|comment\w*|speech|letter|"
                       r"report|ad|op-ed|tweet|post|message|decision|question\w*|accusation\w*|criticism|"
                       r"promise|pledge|argument|suggestion|call)s?\b", re.I)
_PRONOUN_SRC = re.compile(r"^(he|she|they|it|we|i|you|who|which|that)$", re.I)


def cue_lexicon_word(cue: str) -> str | None:
    """The first word of a cue that the segmenter's cue lexicon knows, else None."""
    for w in re.findall(r"[A-Za-z]+", cue):
        if w.lower() in _CUE_FORMS:
            return w.lower()
    return None


def fn_category(text: str, g: GoldAttribution) -> str:
    """Coarse, automatic label of a missed gold attribution (by its cue, content, source, position)."""
    cue = " ".join(text[g.cue[0]:g.cue[1]].split()) if g.cue else ""
    content = text[g.content[0]:g.content[1]]
    first_nl = text.find("\n")
    if first_nl > 0 and g.content[0] < first_nl:
        return "headline"
    if g.cue is None:
        return "no cue (implicit attribution)"
    if "according to" in cue.lower():
        return "'according to' / 'as X put it'"
    n_words = len(content.split())
    marks = any(ch in content for ch in QUOTE_MARKS) or "''" in content
    lex = cue_lexicon_word(cue)
    if n_words <= 5 and not marks and not re.match(r"\s*(that|whether|if|to)\b", content, re.I):
        return "nominal/short content ('denounced the annexation', 'called for X')"
    if g.source is None:
        return "no source (agentless/passive cue)"
    if lex is None:
        if _COGNITION.search(cue):
            return "cue not in lexicon: belief/attitude (want, know, see, expect)"
        if _EVIDENCE.search(cue):
            return "cue not in lexicon: evidence (poll shows, found)"
        if _NOUN_CUE.search(cue) or not re.search(r"(ed|s|ing)\b", cue):
            return "cue not in lexicon: nominal or other (statement, allegation, ask)"
        return "cue not in lexicon: other verb (ask, accuse of, explain to)"
    if marks:
        return "lexicon cue, quoted or mixed content"
    if g.cue[0] >= g.content[1]:
        return "lexicon cue after content ('X, Name said')"
    return "lexicon cue before content ('Name said (that) X')"


def fp_category(text: str, p: dict, gold: list[GoldAttribution], matched_gold: set[int] = frozenset()) -> str:
    """Coarse, automatic label of a prediction that matched no gold content."""
    s, e = p["start"], p["end"]
    touching = [i for i, g in enumerate(gold) if overlap(g.content, (s, e)) > 0]
    if touching:
        i = max(touching, key=lambda i: overlap(gold[i].content, (s, e)))
        if i in matched_gold and overlap(gold[i].content, (s, e)) >= 0.5 * min(e - s, gold[i].content[1] - gold[i].content[0]):
            return "split: gold content already matched by another prediction"
        return "boundary: overlaps a gold content by < half"
    if p.get("cue") is None:
        return "quoted text with no cue (scare quote / floating)"
    return "no gold attribution here"


def merge_split_quotes(text: str, preds: list[dict], max_gap: int = 150) -> list[dict]:
    """Join a direct quote interrupted by its attribution ("“A,” he said. “B.”") into one
    prediction spanning both parts — PolNeAR annotates that as ONE (discontinuous) content.

    Two consecutive predictions A, B are joined when both are direct, the gap between them is at
    most `max_gap` characters on one paragraph with no quotation mark inside its text, neither has a
    cue outside the gap (the gap is their attribution), and their cues, when both have one, are
    the same. The result keeps the speaker, mention and cue of the part that has them (A's first).
    Applied to every system alike, and only on PolNeAR."""
    def cue_ok(q, a, b):
        return q.get("cue") is None or (a["end"] <= q["cue"][0] and q["cue"][1] <= b["start"])

    out: list[dict] = []
    for p in sorted(preds, key=lambda q: q["start"]):
        if out:
            a = out[-1]
            gap = text[a["end"]:p["start"]]
            inner = gap.strip().strip(QUOTE_MARKS + "'‘’").strip()
            ca, cb = a.get("cue"), p.get("cue")
            if (a.get("kind") == "direct" and p.get("kind") == "direct" and 0 <= len(gap) <= max_gap
                    and "\n" not in gap and not any(ch in inner for ch in QUOTE_MARKS)
                    and cue_ok(a, a, p) and cue_ok(p, a, p) and (ca is None or cb is None or tuple(ca) == tuple(cb))):
                keep = a if (ca is not None or a.get("mention")) else p
                out[-1] = {**keep, "start": a["start"], "end": p["end"], "text": text[a["start"]:p["end"]],
                           "merged": a.get("merged", 1) + 1}
                continue
        out.append(dict(p))
    return out


def source_error_category(text: str, g: GoldAttribution, p: dict) -> str:
    """Why a matched content got no credit for its source."""
    m = p.get("mention")
    if g.source is None:
        return "gold has no source, we gave one"
    src = " ".join(text[g.source[0]:g.source[1]].split())
    if m is None:
        if p.get("speaker"):
            return "speaker carried over without a mention (floating quote / continuation)"
        return "no speaker found"
    if _PRONOUN_SRC.match(src):
        return "gold source is a pronoun/relative ('he', 'who'); we picked another mention"
    return "another noun phrase picked as speaker"


_CORE_SAY = re.compile(r"\b(say|says|said|saying|tell|tells|told|telling)\b", re.I)


def cue_group(text: str, g: GoldAttribution) -> str:
    """Which kind of cue introduces a gold content (for recall by cue kind)."""
    if g.cue is None:
        return "no cue"
    cue = text[g.cue[0]:g.cue[1]]
    if "according to" in cue.lower():
        return "according to"
    if _CORE_SAY.search(cue):
        return "say / tell"
    if cue_lexicon_word(cue):
        return "other verb in the cue lexicon"
    return "cue not in the lexicon"


CUE_GROUPS = ("say / tell", "other verb in the cue lexicon", "according to", "cue not in the lexicon", "no cue")


def recall_by_cue(docs: list[dict], preds: dict[str, list[dict]]) -> dict[str, tuple[int, int, int]]:
    """group -> (contents matched by overlap, of which with the source right, gold contents)."""
    out = {k: [0, 0, 0] for k in CUE_GROUPS}
    for doc in docs:
        text, gold = doc["text"], doc["gold"]
        pred = sorted(preds.get(doc["id"], []), key=lambda q: q["start"])
        pairs = dict(overlap_match([g.content for g in gold], [(p["start"], p["end"]) for p in pred]))
        for i, g in enumerate(gold):
            k = cue_group(text, g)
            out[k][2] += 1
            if i in pairs:
                out[k][0] += 1
                m = pred[pairs[i]].get("mention")
                out[k][1] += any_overlap(g.source, m) or (g.source is None and m is None)
    return {k: tuple(v) for k, v in out.items()}
