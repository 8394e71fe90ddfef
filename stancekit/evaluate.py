"""Score predictions against gold documents in the project's gold format (pure functions → dicts).

Matching follows the gold format's rule: a predicted quote matches a gold quote when their spans
overlap by at least half of the shorter span (greedy, one-to-one); optional gold quotes are
neither required nor penalised; a speaker is right when it names the gold canonical actor, one of
its listed surface forms, or (for multi-word names) its surname.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence


def norm(s: str | None) -> str:
    return " ".join((s or "").lower().replace("’", "'").replace(".", "").split())


def speaker_ok(pred: str | None, canon: str, aliases: Iterable[str]) -> bool:
    p = norm(pred)
    if not p:
        return False
    if p in {norm(canon)} | {norm(a) for a in aliases}:
        return True
    return len(canon.split()) > 1 and p.split()[-1] == norm(canon).split()[-1]


def match_spans(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one (gold index, pred index) pairs overlapping by ≥ half the shorter span."""
    cands = []
    for i, (gs, ge) in enumerate(gold):
        for j, (ps, pe) in enumerate(pred):
            o = max(0, min(ge, pe) - max(gs, ps))
            if o >= 0.5 * max(1, min(ge - gs, pe - ps)):
                cands.append((o / max(ge - gs, pe - ps, 1), i, j))
    cands.sort(reverse=True)
    gi, pj, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in gi and j not in pj:
            gi.add(i); pj.add(j); pairs.append((i, j))
    return pairs


def _f1(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def matched(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> Iterator[tuple[dict, dict, list, list]]:
    """Per gold document: (gold, its prediction or {}, predicted quotes by start, matched (gold i, pred j))."""
    by_id = {p.get("id"): p for p in preds}
    for g in golds:
        pred = by_id.get(g["id"]) or {}
        pq = sorted(pred.get("quotes") or [], key=lambda q: q["start"])
        yield g, pred, pq, match_spans([(q["start"], q["end"]) for q in g["quotes"]], [(q["start"], q["end"]) for q in pq])


def score_quotes(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, float]:
    """Span F1, attribution F1 and speaker accuracy of `preds` (to_dict() output) against `golds`."""
    n_gold = n_pred = span_tp = attr_tp = 0
    for g, _, pq, pairs in matched(golds, preds):
        gq = g["quotes"]
        n_gold += sum(1 for q in gq if not q.get("optional"))
        n_pred += len(pq) - sum(1 for i, _ in pairs if gq[i].get("optional"))
        for i, j in pairs:
            if gq[i].get("optional"):
                continue
            span_tp += 1
            attr_tp += speaker_ok(pq[j].get("speaker"), gq[i]["speaker"], g["actors"].get(gq[i]["speaker"], []))
    span, attr = _f1(span_tp, n_pred, n_gold), _f1(attr_tp, n_pred, n_gold)
    return {"span_p": span["p"], "span_r": span["r"], "span_f1": span["f1"], "attribution_p": attr["p"],
            "attribution_r": attr["r"], "attribution_f1": attr["f1"],
            "speaker_acc": attr_tp / span_tp if span_tp else 0.0, "n_gold": n_gold, "n_pred": n_pred}


def macro_f1_acceptable(pairs: Sequence[tuple[Sequence[str], str | None]], labels: Sequence[str]) -> float:
    """Macro-F1 over (gold labels [label, *acceptable], prediction) pairs, as the gold format scores it.

    A prediction among the gold's labels is right; a label with no support and no prediction is skipped.
    """
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in pairs if p == lab and lab in g)
        fp = sum(1 for g, p in pairs if p == lab and lab not in g)
        fn = sum(1 for g, p in pairs if g[0] == lab and p not in g)
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def _label(x: Any) -> str | None:
    return x.get("label") if isinstance(x, dict) else x


def score_labels(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-quote stance (per target) and sentiment macro-F1 over matched required quotes, and
    document-profile accuracy (polar / none gold labels; a missing profile reads as none),
    pooled over `golds` as the gold format scores them."""
    from stancekit.aggregate.scoring import STANCE_CLASSES
    from stancekit.train.sentiment_data import LABELS as SENTIMENT_CLASSES

    stance: dict[str, list] = {}
    senti: list = []
    prof = {"polar": [0, 0], "none": [0, 0]}
    for g, pred, pq, pairs in matched(golds, preds):
        gq = g["quotes"]
        for i, j in pairs:
            if gq[i].get("optional"):
                continue
            acc = gq[i].get("acceptable", {})
            for t, lab in gq[i]["stance"].items():
                stance.setdefault(t, []).append(([lab, *acc.get(t, [])], _label((pq[j].get("stance") or {}).get(t))))
            senti.append(([gq[i]["sentiment"], *acc.get("sentiment", [])], _label(pq[j].get("sentiment"))))
        got = {}
        for r in pred.get("profiles") or []:
            got.setdefault((r.get("actor"), r.get("target")), r.get("label"))
        for actor, per_target in g.get("profiles", {}).items():
            aliases = g["actors"].get(actor, [])
            for t, lab in per_target.items():
                mine = next((v for (a, tt), v in got.items() if tt == t and speaker_ok(a, actor, aliases)), None)
                key = "none" if lab == "none" else "polar"
                prof[key][1] += 1
                prof[key][0] += (mine or "none") == lab
    out: dict[str, Any] = {f"stance_{t}_f1": macro_f1_acceptable(p, STANCE_CLASSES) for t, p in stance.items()}
    out["sentiment_f1"] = macro_f1_acceptable(senti, SENTIMENT_CLASSES)
    for k, (right, n) in prof.items():
        out[f"profiles_{k}"] = (right, n)
    out["n_quotes"] = len(senti)
    return out
