"""Recipe for models/stance-minilm: fine-tune the pair classifier on (proposition, quote) stance pairs.

Usage:
    stancekit train stance                  # or: python -m stancekit.train.stance
    stancekit train stance --data ../shared/data --epochs 1.25 --seed 13

Steps: build the pairs (`stance_data.build_sets`), fine-tune a 3-way `PairClassifier` (favor,
against, none), fit its temperature on dev, pick the abstain threshold on dev (`pick_abstain`),
save weights + config.json (hyper-parameters, data sizes, seed, dev metrics) to `--out`.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

import numpy as np

from stancekit.train.calibration import ece, pick_abstain  # noqa: F401 (re-exported for tests)

from stancekit.classify.stance import LABELS
from stancekit.train import recipe_argv
from stancekit.train import stance_data
from stancekit.train.loop import trained_on

DEFAULT_OUT = stance_data.REPO / "models" / "stance-minilm"

log = logging.getLogger("stancekit.train.stance")


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    a = parser.add_argument
    a("--data", default=None, help="shared data root (default: ../shared/data next to the repository)")
    a("--domain", default=str(stance_data.DOMAIN_PATH), help="synthetic domain set (jsonl)")
    a("--out", default=str(DEFAULT_OUT), help="output model folder")
    a("--n-argq", type=int, default=9000, help="ArgQ train arguments sampled")
    a("--n-flip", type=int, default=3000, help="ArgQ pairs repeated with the negated motion and flipped label")
    a("--n-claim", type=int, default=1200, help="Claim Stance claims sampled")
    a("--none-frac", type=float, default=0.2, help="mismatched-motion none pairs per IBM pair")
    a("--n-news", type=int, default=1000, help="off-topic news none pairs")
    a("--domain-upsample", type=int, default=4, help="copies of the domain train pairs")
    a("--n-dev-argq", type=int, default=600, help="ArgQ val arguments in the dev set")
    a("--epochs", type=float, default=1.25)
    a("--lr", type=float, default=8e-5)
    a("--batch-size", type=int, default=16)
    a("--max-length", type=int, default=256)
    a("--freeze-layers", type=int, default=2)
    a("--seed", type=int, default=13)
    a("--threads", type=int, default=1, help="torch CPU threads")
    a("--abstain", type=float, default=None, help="fixed abstain threshold (default: picked on dev)")
    return parser


def macro_f1(y_true, y_pred, labels=LABELS) -> float:
    from sklearn.metrics import f1_score

    present = [l for l in labels if l in set(y_true) | set(y_pred)]
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


def dev_metrics(probs: np.ndarray, dev, labels: list[str], threshold: float) -> dict:
    y = np.array([labels.index(v) for v in dev["label"]])
    pred = [labels[i] for i in probs.argmax(1)]
    src = np.array(dev["source"])
    props = np.array(dev["proposition"])
    out = {"ece": round(ece(probs, y), 4), "abstain_rate": round(float((probs.max(1) < threshold).mean()), 4)}
    from stancekit.targets import BUILTIN_TARGETS

    for tid, t in BUILTIN_TARGETS.items():
        m = (src == "domain") & (props == t.proposition)
        if m.any():
            out[f"domain_{tid}_macro_f1"] = round(macro_f1(np.array(dev["label"])[m], np.array(pred)[m]), 4)
    m = src != "domain"
    if m.any():
        out["argq_val_macro_f1_3way"] = round(macro_f1(np.array(dev["label"])[m], np.array(pred)[m]), 4)
    return out


def run(args: argparse.Namespace) -> int:
    import torch

    from stancekit.models.pair_classifier import PairClassifier
    from stancekit.train.loop import fit_temperature, train_pairs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    import datasets

    datasets.disable_progress_bars()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    sets = stance_data.build_sets(args.data, args.domain, n_argq=args.n_argq, n_flip=args.n_flip, n_claim=args.n_claim,
                                  none_frac=args.none_frac, n_news=args.n_news,
                                  domain_upsample=args.domain_upsample, n_dev_argq=args.n_dev_argq, seed=args.seed)
    train, dev = sets["train"], sets["dev"]
    log.info("data: %s", json.dumps(sets["sizes"]))
    clf = PairClassifier(labels=list(LABELS), freeze_layers=args.freeze_layers, max_length=args.max_length,
                         batch_size=32)
    train_pairs(clf, train["proposition"], train["text"], train["label"], epochs=args.epochs, lr=args.lr,
                batch_size=args.batch_size, max_length=args.max_length, seed=args.seed)
    log.info("fine-tuned in %.0f s", clf.train_seconds_)

    logits = clf.logits(dev["proposition"], dev["text"])
    y = np.array([clf.labels.index(v) for v in dev["label"]])
    from stancekit.models.pair_classifier import softmax

    ece_raw = ece(softmax(logits), y)
    clf.temperature_ = fit_temperature(logits, y)
    probs = softmax(logits / clf.temperature_)
    clf.abstain_below = args.abstain if args.abstain is not None else pick_abstain(probs, y)
    metrics = dev_metrics(probs, dev, clf.labels, clf.abstain_below)
    metrics["ece_before_temperature"] = round(ece_raw, 4)
    hyper = {k: getattr(args, k) for k in ("epochs", "lr", "batch_size", "max_length", "freeze_layers",
                                           "n_argq", "n_flip", "n_claim", "none_frac", "n_news", "domain_upsample",
                                           "n_dev_argq", "threads")}
    card = {
        "task": "stance", "recipe": "stancekit.train.stance", "argv": recipe_argv(), "seed": args.seed,
        "hyperparameters": hyper,
        "data_sizes": sets["sizes"], "dev_metrics": metrics,
        "abstain_rule": pick_abstain.__doc__.split("\n\n")[0].replace("\n    ", " ") if args.abstain is None
        else f"fixed --abstain {args.abstain}",
        "train_seconds": round(clf.train_seconds_, 1), "total_seconds": round(time.time() - t0, 1),
        "torch": torch.__version__, "device": trained_on(clf),
    }
    path = clf.save(args.out, **card)
    log.info("saved %s (T=%.3f, abstain_below=%.2f) dev %s", path, clf.temperature_, clf.abstain_below,
             json.dumps(metrics))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m stancekit.train.stance", description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
