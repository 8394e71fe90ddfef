"""Fit the confidence threshold under which quote-minilm's stance heads defer to the stance cross-encoder.

The heads answer from the pass that already serves sentiment, so each of their answers that stands
saves one cross-encoder pair. On the domain dev split (the split both models were calibrated on,
never trained on) the pipeline's rules are applied to both models (keyword gate, context rule) and
every threshold of a fixed grid is tried; the rule keeps **the smallest threshold whose cascade
stays within `--tolerance` macro-F1 points of the cross-encoder alone**, averaged over the built-in
targets. The threshold, the grid's figures and the sha256 of both models go into the quote model's
config.json (its weights, and so their sha256, are unchanged).

Usage:
    python -m stancekit.train.cascade                     # the shipped models, ~1 min on 2 CPU cores
    stancekit train cascade --tolerance 0.5               # the same
    python -m stancekit.train.cascade --quote-model DIR --stance-model DIR --tolerance 0.5
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from stancekit.classify.quote import stands
from stancekit.train import recipe_argv

GRID = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""Thresholds tried, 0.50–0.95; under 0.5 nearly nothing defers, above it nearly everything does."""
STANCE = ("favor", "against", "none")


def cascade_labels(heads: Sequence[str], head_conf: Sequence[float], cross: Sequence[str], below: float) -> list[str]:
    """The head's label where its top probability reaches `below`, the cross-encoder's elsewhere.

    >>> cascade_labels(["favor", "none"], [0.9, 0.55], ["against", "against"], 0.65)
    ['favor', 'against']
    """
    return [h if stands(c, below) else x for h, c, x in zip(heads, head_conf, cross)]


def pick_threshold(rows: list[dict], tolerance: float) -> float:
    """Smallest grid threshold whose cascade F1 is at least the cross-encoder's minus `tolerance`."""
    ok = [r["threshold"] for r in rows if r["cascade_f1"] >= r["cross_encoder_f1"] - tolerance]
    return min(ok) if ok else float("inf")


def dev_figures(quote_clf, stance_clf, records: list[dict], targets) -> list[dict]:
    """Cascade macro-F1 (points, mean over targets) and deferred pairs at each grid threshold."""
    from stancekit.evaluate import macro_f1_acceptable

    heads = quote_clf.analyze([(r["text"], "", []) for r in records], targets)
    cross = stance_clf.predict([(r["text"], "") for r in records], targets)
    gold = {t.id: [r[t.id] if isinstance(r[t.id], list) else [r[t.id]] for r in records] for t in targets}

    def f1(labels: dict[str, list[str]]) -> float:
        return round(100 * float(np.mean([macro_f1_acceptable(list(zip(gold[t.id], labels[t.id])), STANCE)
                                          for t in targets])), 2)

    h = {t.id: [x.stance[t.id].label for x in heads] for t in targets}
    conf = {t.id: [max(x.stance[t.id].scores.values()) for x in heads] for t in targets}
    x = {t.id: [c[t.id].label for c in cross] for t in targets}
    open_pairs = sum(c < 1.0 for t in targets for c in conf[t.id])
    rows = []
    for below in GRID:
        labels = {t.id: cascade_labels(h[t.id], conf[t.id], x[t.id], below) for t in targets}
        deferred = sum(not stands(c, below) for t in targets for c in conf[t.id])
        rows.append({"threshold": below, "cascade_f1": f1(labels), "cross_encoder_f1": f1(x), "heads_f1": f1(h),
                     "deferred": deferred, "open_pairs": open_pairs})
    return rows


def run(args: argparse.Namespace) -> int:
    import torch

    from stancekit.classify.quote import QuoteClassifier
    from stancekit.classify.stance import StanceClassifier
    from stancekit.models.base import sha256_of, shipped_model_dir
    from stancekit.targets import resolve_targets

    torch.set_num_threads(args.threads)
    qdir = Path(args.quote_model) if args.quote_model else shipped_model_dir("quote-minilm")
    sdir = Path(args.stance_model) if args.stance_model else shipped_model_dir("stance-minilm")
    quote_clf = QuoteClassifier.load(qdir, device="cpu")
    stance_clf = StanceClassifier.load(sdir, device="cpu")
    targets = [t for t in resolve_targets(None) if quote_clf.covers(t)]
    if not targets:
        raise SystemExit(f"{qdir} has no stance heads for the built-in targets: nothing to fit.")
    with open(args.domain, encoding="utf-8") as f:
        records = [r for r in map(json.loads, filter(str.strip, f)) if r.get("split") == "dev"]
    if not records:
        raise SystemExit(f"{args.domain} has no record of split 'dev'.")
    rows = dev_figures(quote_clf, stance_clf, records, targets)
    below = pick_threshold(rows, args.tolerance)
    config_path = qdir / "config.json"
    config = json.loads(config_path.read_text())
    config["defer"] = {
        "below": {t.id: below for t in targets}, "tolerance_points": args.tolerance,
        "rule": "smallest threshold of the grid whose cascade macro-F1 on the domain dev split (mean over the "
                "built-in targets) is within the tolerance of the stance cross-encoder alone",
        "stance_model_sha256": sha256_of(sdir / "model.safetensors"), "dev_records": len(records),
        "data_sha256": sha256_of(Path(args.domain)), "grid": rows, "argv": recipe_argv()}
    tmp = config_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(config, indent=1) + "\n")
    os.replace(tmp, config_path)
    for r in rows:
        print(json.dumps(r))
    print(f"defer below {below} -> {config_path}")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    from stancekit.train import sentiment_data as sd

    a = parser.add_argument
    a("--quote-model", default=None, help="quote model folder (default: models/quote-minilm)")
    a("--stance-model", default=None, help="stance cross-encoder folder (default: models/stance-minilm)")
    a("--domain", default=str(sd.DEFAULT_DOMAIN), help="labelled domain set with a dev split")
    a("--tolerance", type=float, default=0.5, help="macro-F1 points the cascade may lose")
    a("--threads", type=int, default=2)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stancekit.train.cascade", description=__doc__.split("\n")[0])
    return run(add_arguments(parser).parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
