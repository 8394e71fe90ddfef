"""Recipe for a sentiment cross-encoder (sentiment toward an actor and quote tone), one pass per question.

The shipped sentiment model is models/quote-minilm (`stancekit.train.quote`, one pass per quote);
this recipe reproduces the earlier cross-encoder, sentiment-minilm (its card's history is in
models/quote-minilm.md), into `--out`; `SentimentClassifier.load(that folder)` runs it.

Usage:
    stancekit train sentiment                # or: python -m stancekit.train.sentiment
    stancekit train sentiment --data ../shared/data --epochs 3 --seed 13
    stancekit train sentiment --recalibrate   # refit temperature/thresholds of models/sentiment-minilm on dev

Steps: read NewsMTSC train (target pairs, mention marked `<t> … </t>`) and the domain set's train
split (tone pairs, first text `TONE_QUERY`), fine-tune a 3-way `PairClassifier` (negative,
neutral, positive), fit one temperature on the joint dev set (NewsMTSC rw + mt dev, domain dev),
pick one abstain threshold per use on it (`calibrate`), and save weights + config.json (seed,
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

from stancekit.train.calibration import ece, pick_abstain  # noqa: F401 (re-exported for tests)

from stancekit.train import REPO, recipe_argv
from stancekit.train import sentiment_data as sd
from stancekit.train.loop import trained_on

DEFAULT_OUT = REPO / "models" / "sentiment-minilm"

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
    a("--pooling", default="mean", choices=["mean", "mean+mark"],
      help="mean over the pair, or that plus the mean over the marked mention's tokens")
    a("--seed", type=int, default=13)
    a("--teacher", nargs="*", default=None,
      help="model folders whose averaged probabilities the student also learns from (distillation)")
    a("--distill-alpha", type=float, default=0.5, help="weight of the gold-label loss when distilling")
    a("--distill-temperature", type=float, default=2.0)
    a("--threads", type=int, default=1, help="torch CPU threads")
    a("--limit", type=int, default=None, help="use only the first N NewsMTSC train targets (smoke runs)")
    a("--abstain", type=float, default=None, help="fixed abstain threshold (default: picked on dev)")
    a("--recalibrate", action="store_true",
      help="no training: reload the model in --out, refit temperature and thresholds on dev, rewrite config.json")
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


def data_files(data_root: str | Path | None, domain: str | Path) -> dict[str, str]:
    """sha256 of every file read, so a model names the exact data it was trained and calibrated on."""
    from stancekit.models.base import sha256_of

    root = Path(data_root) if data_root else sd.DEFAULT_DATA
    files = {rel: root / rel for k, rel in sd.NEWSMTSC.items() if not k.startswith("test")}
    files[Path(domain).name] = Path(domain)
    return {name: sha256_of(path) for name, path in files.items()}


# -- recipe ---------------------------------------------------------------------------------------
TOWARD_DEV = ("newsmtsc_rw_dev", "newsmtsc_mt_dev")
TONE_DEV = ("domain_tone_dev",)
SAVED_BY_CLASSIFIER = ("base", "labels", "freeze_layers", "max_length", "temperature", "abstain_below", "sha256")


def calibrate(clf, dev: dict, abstain: float | None = None) -> dict:
    """Fit the temperature on all dev pairs, pick one abstain threshold per use, score dev.

    Sets `clf.temperature_` and `clf.abstain_below` (the threshold of `toward`, picked on the
    NewsMTSC dev pairs); returns the config fields: `tone_abstain_below` (picked on the domain tone
    dev pairs), `dev_metrics` and `abstain_rule`.
    """
    from stancekit.models.pair_classifier import softmax
    from stancekit.train.loop import fit_temperature

    names = list(dev)
    logits = {n: clf.logits(*dev[n][:2]) for n in names}
    y_idx = {n: np.array([clf.labels.index(v) for v in dev[n][2]]) for n in names}

    def joined(keys):
        keys = [k for k in keys if k in logits]
        return np.concatenate([logits[k] for k in keys]), np.concatenate([y_idx[k] for k in keys])

    all_logits, all_y = joined(names)
    clf.temperature_ = fit_temperature(all_logits, all_y)
    thresholds = {}
    for use, keys in (("toward", TOWARD_DEV), ("tone", TONE_DEV)):
        lg, y = joined(keys)
        probs = softmax(lg / clf.temperature_)
        thresholds[use] = abstain if abstain is not None else pick_abstain(probs, y)
        thresholds[f"{use}_abstain_rate"] = round(float((probs.max(1) < thresholds[use]).mean()), 4)
    clf.abstain_below = thresholds["toward"]
    metrics = {n: scores(dev[n][2], [clf.labels[i] for i in logits[n].argmax(1)]) for n in names}
    metrics.update(ece_before_temperature=round(ece(softmax(all_logits), all_y), 4),
                   ece=round(ece(softmax(all_logits / clf.temperature_), all_y), 4),
                   toward_abstain_rate=thresholds["toward_abstain_rate"],
                   tone_abstain_rate=thresholds["tone_abstain_rate"])
    rule = (pick_abstain.__doc__.split("\n\n")[0].replace("\n    ", " ") +
            " Picked for `toward` on the NewsMTSC dev pairs (abstain_below) and for `tone` on the domain "
            "tone dev pairs (tone_abstain_below).") if abstain is None else f"fixed --abstain {abstain}"
    return {"tone_abstain_below": thresholds["tone"], "dev_metrics": metrics, "abstain_rule": rule}


def teacher_probs(teachers: Sequence[str], a: Sequence[str], b: Sequence[str], temperature: float) -> np.ndarray:
    """Mean over teacher models of their probabilities at `temperature` (raw logits / T, no calibration)."""
    from stancekit.models.pair_classifier import PairClassifier, softmax

    probs = []
    for path in teachers:
        teacher = PairClassifier.load(path, batch_size=64)
        if teacher.labels != list(sd.LABELS):
            raise ValueError(f"teacher {path} has labels {teacher.labels}, not {list(sd.LABELS)}")
        log.info("teacher %s: scoring %d train pairs", path, len(a))
        probs.append(softmax(teacher.logits(a, b) / temperature))
        del teacher
    return np.mean(probs, axis=0)


def run(args: argparse.Namespace) -> int:
    import torch

    from stancekit.models.pair_classifier import PairClassifier
    from stancekit.train.loop import train_pairs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    torch.set_num_threads(args.threads)
    t0 = time.time()
    sets = build_sets(args.data, args.domain, tone_upsample=args.tone_upsample, limit=args.limit)
    log.info("data: %s", json.dumps(sets["sizes"]))
    if args.recalibrate:
        clf = PairClassifier.load(args.out)
        card = {k: v for k, v in clf.config_.items() if k not in SAVED_BY_CLASSIFIER}
        card["recalibrated"] = {"argv": recipe_argv(), "dev_sizes": {k: len(v[0]) for k, v in sets["dev"].items()},
                                "data_files": data_files(args.data, args.domain)}
        card.update(calibrate(clf, sets["dev"], args.abstain))
    else:
        a, b, y = sets["train"]
        clf = PairClassifier(labels=list(sd.LABELS), freeze_layers=args.freeze_layers,
                             max_length=args.max_length, batch_size=32, pooling=args.pooling)
        soft = teacher_probs(args.teacher, a, b, args.distill_temperature) if args.teacher else None
        train_pairs(clf, a, b, y, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                    max_length=args.max_length, seed=args.seed, soft_targets=soft,
                    distill_alpha=args.distill_alpha, distill_temperature=args.distill_temperature)
        log.info("fine-tuned in %.0f s", clf.train_seconds_)
        hyper = {k: getattr(args, k) for k in ("epochs", "lr", "batch_size", "max_length", "freeze_layers",
                                               "pooling", "tone_upsample", "limit", "threads", "distill_alpha",
                                               "distill_temperature")}
        if args.teacher:
            from stancekit.models.base import sha256_of

            hyper["teachers"] = [sha256_of(Path(t) / "model.safetensors") for t in args.teacher]
        card = {
            "task": "sentiment", "recipe": "stancekit.train.sentiment", "argv": recipe_argv(), "seed": args.seed,
            "input_format": {"toward": f"(mention, sentence with the mention wrapped in '{sd.MARK_OPEN.strip()} "
                                       f"… {sd.MARK_CLOSE.strip()}', cropped to {sd.MAX_CHARS} chars around it)",
                             "tone": f"({sd.TONE_QUERY!r}, quote text)", "tone_query": sd.TONE_QUERY,
                             "mark_open": sd.MARK_OPEN, "mark_close": sd.MARK_CLOSE, "max_chars": sd.MAX_CHARS},
            "hyperparameters": hyper, "data_sizes": sets["sizes"],
            "data_files": data_files(args.data, args.domain),
            **calibrate(clf, sets["dev"], args.abstain),
            "train_seconds": round(clf.train_seconds_, 1), "total_seconds": round(time.time() - t0, 1),
            "torch": torch.__version__, "device": trained_on(clf),
        }
    path = clf.save(args.out, **card)
    log.info("saved %s (T=%.3f, abstain_below=%.2f, tone_abstain_below=%.2f) dev %s", path, clf.temperature_,
             clf.abstain_below, card["tone_abstain_below"], json.dumps(card["dev_metrics"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m stancekit.train.sentiment",
                                                   description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
