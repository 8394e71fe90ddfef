"""Recipe for models/sentiment-minilm: one cross-encoder for sentiment toward an actor and quote tone.

Usage:
    stancekit train sentiment                # or: python -m stancekit.train.sentiment
    stancekit train sentiment --data ../shared/data --epochs 3 --seed 13

Steps: read NewsMTSC train (target pairs, mention marked `<t> … </t>`) and the domain set's train
split (tone pairs, first text `TONE_QUERY`), fine-tune a 3-way `PairClassifier` (negative,
neutral, positive), fit one temperature on the joint dev set (NewsMTSC rw + mt dev, domain dev),
pick the abstain threshold on it (`pick_abstain`), and save weights + config.json (seed,
hyper-parameters, data sizes, dev metrics) to `--out`. Test splits are left to
`benchmarks/bench_sentiment.py`.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from stancekit.train import sentiment_data as sd

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "models" / "sentiment-minilm"
ABSTAIN_GRID = np.round(np.arange(0.34, 0.605, 0.01), 2)
ABSTAIN_MAX_SHARE = 0.10

log = logging.getLogger("stancekit.train.sentiment")


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    a = parser.add_argument
    a("--data", default=None, help="shared data root (default: ../shared/data next to the repository)")
    a("--domain", default=str(sd.DEFAULT_DOMAIN), help="tone-labelled domain set (jsonl: text, sentiment, split)")
    a("--out", default=str(DEFAULT_OUT), help="output model folder")
    a("--tone-upsample", type=int, default=3, help="copies of the domain train pairs")
    a("--epochs", type=float, default=3.0)
    a("--lr", type=float, default=6e-5)
    a("--batch-size", type=int, default=16)
    a("--max-length", type=int, default=128)
    a("--freeze-layers", type=int, default=1)
    a("--seed", type=int, default=13)
    a("--threads", type=int, default=1, help="torch CPU threads")
    a("--limit", type=int, default=None, help="use only the first N NewsMTSC train targets (smoke runs)")
    a("--abstain", type=float, default=None, help="fixed abstain threshold (default: picked on dev)")
    return parser


# -- metrics (pure functions, shared with benchmarks/bench_sentiment.py) ---------------------------
def macro_f1(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] = sd.LABELS) -> float:
    """Macro-F1 over `labels` (a prediction outside them, e.g. "abstain", counts as wrong)."""
    from sklearn.metrics import f1_score

    return float(f1_score(list(y_true), list(y_pred), labels=list(labels), average="macro", zero_division=0))


def scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    """{"macro_f1", "accuracy", "n"} of predictions against gold labels."""
    right = sum(t == p for t, p in zip(y_true, y_pred))
    return {"macro_f1": round(macro_f1(y_true, y_pred), 4), "accuracy": round(right / max(1, len(y_true)), 4),
            "n": len(y_true)}


def ece(probs: np.ndarray, y_idx: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top class."""
    conf, pred = probs.max(1), probs.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs((pred[m] == y_idx[m]).mean() - conf[m].mean())
    return float(total)


def pick_abstain(probs: np.ndarray, y_idx: np.ndarray) -> float:
    """Abstain threshold on dev: the largest t in 0.34..0.60 such that the dev pairs whose top
    probability is under t are right less than half the time, and are at most 10% of dev.

    Below it, a label is more often wrong than right, so "abstain" (with scores kept) is the more
    useful output. 0.0 (never abstain) when no t qualifies.
    """
    conf, right = probs.max(1), probs.argmax(1) == y_idx
    best = 0.0
    for t in ABSTAIN_GRID:
        low = conf < t
        if low.any() and low.mean() <= ABSTAIN_MAX_SHARE and right[low].mean() < 0.5:
            best = float(t)
    return best


# -- data -----------------------------------------------------------------------------------------
def _need(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(f"{path} not found. Pass --data to the shared data root (the folder holding "
                         f"sentiment/newsmtsc/) or --domain to the tone-labelled jsonl.")
    return path


def build_sets(data_root: str | Path | None, domain: str | Path, *, tone_upsample: int = 3,
               limit: int | None = None) -> dict:
    """Train and dev pairs: {"train": (a, b, y), "dev": {name: (a, b, y)}, "sizes": {...}}."""
    root = Path(data_root) if data_root else sd.DEFAULT_DATA
    news = {k: sd.load_newsmtsc(_need(root / p)) for k, p in sd.NEWSMTSC.items() if not k.startswith("test")}
    if limit:
        news["train"] = news["train"].select(range(min(limit, len(news["train"]))))
    tone = {s: sd.load_domain(_need(Path(domain)), s) for s in ("train", "dev")}
    ta, tb, ty = sd.target_pairs(news["train"])
    qa, qb, qy = sd.tone_pairs(tone["train"])
    train = (ta + qa * tone_upsample, tb + qb * tone_upsample, ty + qy * tone_upsample)
    dev = {"newsmtsc_rw_dev": sd.target_pairs(news["dev_rw"]), "newsmtsc_mt_dev": sd.target_pairs(news["dev_mt"]),
           "domain_tone_dev": sd.tone_pairs(tone["dev"])}
    sizes = {"newsmtsc_train_targets": len(ta), "domain_tone_train": len(qa), "tone_upsample": tone_upsample,
             "train_pairs": len(train[0]), **{k: len(v[0]) for k, v in dev.items()}}
    for name, (_, _, y) in [("newsmtsc_train", (ta, tb, ty)), ("domain_tone_train", (qa, qb, qy))]:
        sizes[f"{name}_labels"] = {lab: y.count(lab) for lab in sd.LABELS}
    return {"train": train, "dev": dev, "sizes": sizes}


# -- recipe ---------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    import torch

    from stancekit.models.pair_classifier import PairClassifier, softmax
    from stancekit.train.loop import fit_temperature, train_pairs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    torch.set_num_threads(args.threads)
    t0 = time.time()
    sets = build_sets(args.data, args.domain, tone_upsample=args.tone_upsample, limit=args.limit)
    log.info("data: %s", json.dumps(sets["sizes"]))
    a, b, y = sets["train"]
    clf = PairClassifier(labels=list(sd.LABELS), freeze_layers=args.freeze_layers, max_length=args.max_length,
                         batch_size=32)
    train_pairs(clf, a, b, y, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                max_length=args.max_length, seed=args.seed)
    log.info("fine-tuned in %.0f s", clf.train_seconds_)

    names = list(sets["dev"])
    logits = {n: clf.logits(*sets["dev"][n][:2]) for n in names}
    y_idx = {n: np.array([clf.labels.index(v) for v in sets["dev"][n][2]]) for n in names}
    all_logits, all_y = np.concatenate([logits[n] for n in names]), np.concatenate([y_idx[n] for n in names])
    ece_raw = ece(softmax(all_logits), all_y)
    clf.temperature_ = fit_temperature(all_logits, all_y)
    probs = softmax(all_logits / clf.temperature_)
    clf.abstain_below = args.abstain if args.abstain is not None else pick_abstain(probs, all_y)
    metrics = {n: scores(sets["dev"][n][2], [clf.labels[i] for i in logits[n].argmax(1)]) for n in names}
    metrics.update(ece_before_temperature=round(ece_raw, 4), ece=round(ece(probs, all_y), 4),
                   abstain_rate=round(float((probs.max(1) < clf.abstain_below).mean()), 4))
    hyper = {k: getattr(args, k) for k in ("epochs", "lr", "batch_size", "max_length", "freeze_layers",
                                           "tone_upsample", "limit", "threads")}
    card = {
        "task": "sentiment", "recipe": "stancekit.train.sentiment", "argv": sys.argv[1:], "seed": args.seed,
        "input_format": {"toward": f"(mention, sentence with the mention wrapped in '{sd.MARK_OPEN.strip()} … "
                                   f"{sd.MARK_CLOSE.strip()}', cropped to {sd.MAX_CHARS} chars around it)",
                         "tone": f"({sd.TONE_QUERY!r}, quote text)", "tone_query": sd.TONE_QUERY,
                         "mark_open": sd.MARK_OPEN, "mark_close": sd.MARK_CLOSE, "max_chars": sd.MAX_CHARS},
        "hyperparameters": hyper, "data_sizes": sets["sizes"], "dev_metrics": metrics,
        "abstain_rule": pick_abstain.__doc__.split("\n\n")[0].replace("\n    ", " ") if args.abstain is None
        else f"fixed --abstain {args.abstain}",
        "train_seconds": round(clf.train_seconds_, 1), "total_seconds": round(time.time() - t0, 1),
        "torch": torch.__version__,
    }
    path = clf.save(args.out, **card)
    log.info("saved %s (T=%.3f, abstain_below=%.2f) dev %s", path, clf.temperature_, clf.abstain_below,
             json.dumps(metrics))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m stancekit.train.sentiment",
                                                   description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
