"""Recipe for models/quote-minilm: one encoder pass per quote for tone, both built-in stance targets and sentiment toward actors.

Usage:
    python -m stancekit.train.quote --threads 2            # ~20 min on 2 CPU cores
    python -m stancekit.train.quote --epochs 3 --lr 7e-5 --seed 13 --out models/quote-minilm
    python -m stancekit.train.quote --mark-mentions --init-from models/stance-minilm --focus --out DIR
        # stance heads from the stance encoder, reading their keywords (tried; see the model card)
    python -m stancekit.train.quote --mark-mentions --transfer 8000 --out DIR
        # + 8,000 PolNeAR news sentences labelled by the shipped models (distillation, stancekit.train.transfer)
    python -m stancekit.train.quote --mark-mentions --base FOLDER --lr 2e-5 --out TEACHER
    python -m stancekit.train.quote --mark-mentions --sentiment-teacher TEACHER --teacher-base FOLDER \
        --soft-train 0.5 --transfer 8000 --out DIR
        # a larger teacher (e.g. all-mpnet-base-v2, a local folder) distilled into the MiniLM student
    python -m stancekit.train.quote --continue-from models/quote-minilm --extra-domain models/data/stance_negation.jsonl \
        --soft-train 0.5 --transfer 8000 --epochs 1.5 --lr 2e-5 --out DIR
        # go on training a saved model on more domain records, with its own answers as the sentiment teacher

Data: NewsMTSC train sentences (each target a mention item of its sentence, span-pooled, no
markers) for `toward`; the domain set's train split (`models/data/stance_domain.jsonl`, synthetic,
written for stancekit) for `tone`, `nato_membership` and `peace_talks`, copied `--domain-upsample`
times. Dev: NewsMTSC rw + mt dev for `toward`, the domain dev split for the others; a temperature
and an abstain threshold are fitted per task there. Test splits are left to the benchmarks.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stancekit.train import REPO, recipe_argv
from stancekit.train import sentiment_data as sd
from stancekit.train.calibration import ece, pick_abstain
from stancekit.train.loop import bucketed_batches, fit_temperature, trained_on
from stancekit.train.sentiment import _need, macro_f1

DEFAULT_OUT = REPO / "models" / "quote-minilm"
STANCE = ("favor", "against", "none")
TASKS = {"tone": list(sd.LABELS), "nato_membership": list(STANCE), "peace_talks": list(STANCE),
         "toward": list(sd.LABELS)}
TEXT_TASKS = ("tone", "nato_membership", "peace_talks")
SAVED_BY_MODEL = ("kind", "base", "tasks", "freeze_layers", "max_length", "mark_mentions", "temperature",
                  "abstain_below", "sha256")
DOMAIN_FIELD = {"tone": "sentiment", "nato_membership": "nato_membership", "peace_talks": "peace_talks"}

log = logging.getLogger("stancekit.train.quote")


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    a = parser.add_argument
    a("--data", default=None, help="shared data root (default: ../shared/data next to the repository)")
    a("--domain", default=str(sd.DEFAULT_DOMAIN), help="labelled domain set (jsonl: text, sentiment, "
      "nato_membership, peace_talks, split)")
    a("--extra-domain", nargs="*", default=[], metavar="FILE", help="more labelled domain sets in the same format "
      "(e.g. models/data/stance_negation.jsonl): their train split joins the domain train split, their dev "
      "split is a dev set of its own")
    a("--out", default=str(DEFAULT_OUT), help="output model folder")
    a("--domain-upsample", type=int, default=3, help="copies of the domain train quotes")
    a("--epochs", type=float, default=3.0)
    a("--lr", type=float, default=7e-5)
    a("--batch-size", type=int, default=16)
    a("--max-length", type=int, default=128)
    a("--freeze-layers", type=int, default=0)
    a("--mark-mentions", action="store_true", help="wrap the mentions asked about in <t> … </t> (entity markers); "
      "the domain quotes get their actors found by stancekit.segment marked the same way")
    a("--focus", action="store_true", help="the stance heads also read the mean over their target's keyword "
      "tokens (the keywords of stancekit.targets' built-in targets, kept in config.json)")
    a("--init-from", default=None, help="start the encoder layers from a saved stancekit model (e.g. "
      "models/stance-minilm) instead of the base model; its heads are not used")
    a("--continue-from", default=None, help="go on training a saved quote model (encoder and heads; its "
      "mark_mentions and focus settings win over the flags), e.g. to teach it new domain records")
    a("--transfer", type=int, default=0, help="add N teacher-labelled news sentences (PolNeAR train, distillation; "
      "stancekit.train.transfer)")
    a("--sentiment-teacher", default=str(REPO / "models" / "quote-minilm"), help="teacher of tone and toward for --transfer")
    a("--stance-teacher", default=str(REPO / "models" / "stance-minilm"), help="teacher of the stance heads for --transfer")
    a("--soft-train", type=float, default=None, metavar="ALPHA", help="mix each NewsMTSC train label with the "
      "sentiment teacher's probabilities: ALPHA × gold + (1 − ALPHA) × teacher (distillation)")
    a("--base", default=None, help="a local transformers model folder to train from instead of all-MiniLM-L6-v2 "
      "(a teacher, e.g. all-mpnet-base-v2; not for shipped models)")
    a("--teacher-base", default=None, help="base model folder of a sentiment teacher trained with --base")
    a("--seed", type=int, default=13)
    a("--threads", type=int, default=1, help="torch CPU threads")
    a("--limit", type=int, default=None, help="use only the first N NewsMTSC train sentences (smoke runs)")
    a("--recalibrate", action="store_true", help="no training: reload the model in --out (e.g. a soup), refit "
      "temperatures and thresholds on dev, rewrite config.json")
    return parser


# -- data -------------------------------------------------------------------------------------------
Example = dict[str, Any]
"""{"text": str, "labels": {text task: label}, "items": [(spans, label), ...]}"""


def newsmtsc_examples(path: Path, limit: int | None = None) -> list[Example]:
    """One example per sentence, its targets as mention items; a sentence over MAX_CHARS is cropped per target."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = r["sentence_normalized"]
            items = [((int(t["from"]), int(t["to"])), sd.POLARITY[float(t["polarity"])]) for t in r["targets"]]
            if len(text) <= sd.MAX_CHARS:
                out.append({"text": text, "labels": {}, "items": [([span], lab) for span, lab in items]})
            else:
                for (s, e), lab in items:
                    cut, s2, e2 = sd.crop(text, s, e)
                    out.append({"text": cut, "labels": {}, "items": [([(s2, e2)], lab)]})
            if limit and len(out) >= limit:
                break
    return out


def domain_examples(path: Path, split: str, marks: bool = False) -> list[Example]:
    """Domain quotes of one split with their tone and stance labels (and their actors' first mentions as `marks`)."""
    from stancekit.segment import segment

    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("split") == split:
                labels = {t: r[field] for t, field in DOMAIN_FIELD.items() if r.get(field) in TASKS[t]}
                ex = {"text": r["text"], "labels": labels, "items": []}
                if marks:
                    ex["marks"] = [(a.mentions[0].start, a.mentions[0].end) for a in segment(r["text"])[1] if a.mentions]
                out.append(ex)
    return out


def build_sets(data_root, domain, *, domain_upsample: int = 3, limit: int | None = None, marks: bool = False,
               extra: Sequence[str | Path] = ()) -> dict:
    root = Path(data_root) if data_root else sd.DEFAULT_DATA
    news = newsmtsc_examples(_need(root / sd.NEWSMTSC["train"]), limit)
    dom = domain_examples(_need(Path(domain)), "train", marks)
    dev = {"newsmtsc_rw_dev": newsmtsc_examples(_need(root / sd.NEWSMTSC["dev_rw"])),
           "newsmtsc_mt_dev": newsmtsc_examples(_need(root / sd.NEWSMTSC["dev_mt"])),
           "domain_dev": domain_examples(Path(domain), "dev", marks)}
    for path in extra:
        dom += domain_examples(_need(Path(path)), "train", marks)
        dev[f"{Path(path).stem}_dev"] = domain_examples(Path(path), "dev", marks)
    sizes = {"newsmtsc_train_sentences": len(news), "newsmtsc_train_targets": sum(len(x["items"]) for x in news),
             "domain_train": len(dom), "domain_upsample": domain_upsample,
             "domain_train_marked": sum(bool(x.get("marks")) for x in dom),
             **{k: len(v) for k, v in dev.items()}}
    return {"train": news + dom * domain_upsample, "dev": dev, "sizes": sizes}


# -- training ---------------------------------------------------------------------------------------
def train_quote_model(model, examples: Sequence[Example], *, epochs: float = 3.0, lr: float = 7e-5,
                      batch_size: int = 16, warmup: float = 0.06, weight_decay: float = 0.01, seed: int = 13,
                      progress: bool = True):
    """Fine-tune a QuoteModel on examples; the loss is the sum over tasks of each task's mean cross-entropy."""
    import torch
    from tqdm.auto import tqdm

    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
    if not hasattr(model, "net_"):
        model._build()
    for k, ex in enumerate(examples):
        bad = [(t, v) for t, v in ex["labels"].items() if not _valid(v, model.tasks.get(t))]
        bad += [("toward", lab) for _, lab in ex["items"] if not _valid(lab, model.tasks.get("toward"))]
        if bad:
            raise ValueError(f"example {k} ({ex['text'][:40]!r}…): labels {bad} are neither labels of the model's "
                             "tasks nor probability lists over them")
    net = model.net_
    if model.mark_mentions:
        examples = [marked(ex) for ex in examples]
    enc = model.tokenize([ex["text"] for ex in examples])
    lengths = [len(x) for x in enc["input_ids"]]
    rng = random.Random(seed)
    total = max(1, int(math.ceil(len(examples) / batch_size) * epochs))
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    warm = max(1, int(total * warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    ce = torch.nn.CrossEntropyLoss()  # targets: probability rows (one-hot for a gold label, a teacher's otherwise)

    def target(task, labels):
        return torch.as_tensor(np.array([as_probs(v, model.tasks[task]) for v in labels]), device=model.device_)

    net.train()
    step, t0 = 0, time.time()
    bar = tqdm(total=total, disable=not progress, desc="fine-tuning", mininterval=5)
    while step < total:
        for rows in bucketed_batches(lengths, batch_size, rng):
            if step >= total:
                break
            items = [(i, spans) for i in rows for spans, _ in examples[i]["items"]]
            feed = model.feed(enc, rows, items)
            out = net(**feed)
            loss = 0.0
            for t in TEXT_TASKS:
                if t not in out:
                    continue
                picked = [(r, examples[i]["labels"][t]) for r, i in enumerate(rows) if t in examples[i]["labels"]]
                if picked:
                    idx = torch.as_tensor([r for r, _ in picked], device=model.device_)
                    loss = loss + ce(out[t][idx], target(t, [v for _, v in picked]))
            if items:
                loss = loss + ce(out["toward"], target("toward", [lab for i in rows for _, lab in examples[i]["items"]]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            step += 1
            bar.update(1)
            if step % 200 == 0:
                log.info("step %d/%d loss %.4f %.1f texts/s", step, total, float(loss),
                         step * batch_size / (time.time() - t0))
    bar.close()
    net.eval()
    model.train_seconds_ = time.time() - t0
    return model


def _valid(label, labels) -> bool:
    if labels is None:
        return False
    if isinstance(label, str):
        return label in labels
    p = np.asarray(label, dtype=np.float64)
    return p.shape == (len(labels),) and bool((p >= 0).all()) and abs(p.sum() - 1.0) < 1e-3


def as_probs(label, labels: Sequence[str]) -> np.ndarray:
    """A label name as a one-hot row, a probability list as it is (float32).

    >>> as_probs("neutral", ["negative", "neutral", "positive"]).tolist()
    [0.0, 1.0, 0.0]
    """
    if isinstance(label, str):
        row = np.zeros(len(labels), dtype=np.float32)
        row[list(labels).index(label)] = 1.0
        return row
    return np.asarray(label, dtype=np.float32)


def focus_keywords() -> dict[str, list[str]]:
    """The built-in targets' keywords, per stance head: where the head looks for its target."""
    from stancekit.targets import BUILTIN_TARGETS

    return {t: list(BUILTIN_TARGETS[t].keywords) for t in TEXT_TASKS if t in BUILTIN_TARGETS}


def init_encoder_from(model, path) -> dict:
    """Lay the encoder tensors of a saved stancekit model over `model`'s (heads stay new); returns their provenance."""
    from stancekit.models.base import read_trained

    config, state = read_trained(path)
    own = model.net_.state_dict()
    enc = {k: v for k, v in state.items() if k.startswith("encoder.") and k in own and own[k].shape == v.shape}
    if not enc:
        raise ValueError(f"{path}: no encoder tensor matches this model's encoder")
    model.net_.load_state_dict(enc, strict=False)
    return {"path": Path(path).name, "sha256": config["sha256"], "tensors": len(enc)}


def marked(ex: Example) -> Example:
    """The example with its item spans (and its extra `marks`) wrapped in `<t> … </t>`, spans moved."""
    from stancekit.models.quote_model import mark_texts

    [text], items = mark_texts([ex["text"]], [(0, spans) for spans, _ in ex["items"]], {0: ex.get("marks", [])})
    return {"text": text, "labels": ex["labels"], "items": [(spans, lab) for (_, spans), (_, lab) in zip(items, ex["items"])]}


# -- calibration ------------------------------------------------------------------------------------
def dev_logits(model, examples: Sequence[Example]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{task: (logits, gold label indices)} over the labelled parts of `examples`."""
    items = [(i, spans) for i, ex in enumerate(examples) for spans, _ in ex["items"]]
    marks = {i: ex["marks"] for i, ex in enumerate(examples) if ex.get("marks")}
    logits = model.logits([ex["text"] for ex in examples], items, marks=marks)
    out = {}
    for t in TEXT_TASKS:
        rows = [i for i, ex in enumerate(examples) if t in ex["labels"]]
        if rows:
            out[t] = (logits[t][rows], np.array([model.tasks[t].index(examples[i]["labels"][t]) for i in rows]))
    if items:
        y = [model.tasks["toward"].index(lab) for ex in examples for _, lab in ex["items"]]
        out["toward"] = (logits["toward"], np.array(y))
    return out


def calibrate(model, dev: dict[str, list[Example]]) -> dict:
    """Per task: temperature by NLL and abstain threshold on dev; returns dev metrics and the rule."""
    from stancekit.models.pair_classifier import softmax

    per_set = {name: dev_logits(model, ex) for name, ex in dev.items()}
    metrics: dict[str, Any] = {}
    model.temperature_, model.abstain_below_ = {}, {}
    for t in model.tasks:
        parts = [v[t] for v in per_set.values() if t in v]
        if not parts:
            continue
        lg, y = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        model.temperature_[t] = fit_temperature(lg, y)
        probs = softmax(lg / model.temperature_[t])
        model.abstain_below_[t] = pick_abstain(probs, y)
        metrics[f"{t}_ece"] = round(ece(probs, y), 4)
        metrics[f"{t}_abstain_rate"] = round(float((probs.max(1) < model.abstain_below_[t]).mean()), 4)
    for name, v in per_set.items():
        for t, (lg, y) in v.items():
            labels = model.tasks[t]
            metrics[f"{name}/{t}"] = {"macro_f1": round(macro_f1([labels[i] for i in y],
                                                                 [labels[i] for i in lg.argmax(1)], labels), 4),
                                      "accuracy": round(float((lg.argmax(1) == y).mean()), 4), "n": int(len(y))}
    return {"dev_metrics": metrics, "abstain_rule": pick_abstain.__doc__.split("\n\n")[0].replace("\n    ", " ")
            + " Picked per task on its dev pairs."}


def _data_files(args: argparse.Namespace) -> dict[str, str]:
    from stancekit.models.base import sha256_of
    from stancekit.train.sentiment import data_files

    return {**data_files(args.data, args.domain), **{Path(p).name: sha256_of(Path(p)) for p in args.extra_domain}}


def run(args: argparse.Namespace) -> int:
    import torch

    from stancekit.models.quote_model import QuoteModel
    if args.init_from and args.continue_from:
        raise SystemExit("--init-from and --continue-from exclude each other: the second already brings an encoder.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    torch.set_num_threads(args.threads)
    t0 = time.time()
    if args.recalibrate:
        model = QuoteModel.load(args.out, device="cpu", num_threads=args.threads, base=args.base)
        sets = build_sets(args.data, args.domain, limit=1, marks=model.mark_mentions, extra=args.extra_domain)
        kept = {k: v for k, v in model.config_.items() if k not in SAVED_BY_MODEL + ("dev_metrics", "abstain_rule")}
        kept["recalibrated"] = {"argv": recipe_argv(), "data_files": _data_files(args)}
        card = {**kept, **calibrate(model, sets["dev"])}
        model.save(args.out, **card)
        log.info("recalibrated %s T=%s abstain=%s dev %s", args.out, model.temperature_, model.abstain_below_,
                 json.dumps(card["dev_metrics"]))
        return 0
    if args.continue_from:  # the saved model decides how its inputs look
        saved = json.loads((Path(args.continue_from) / "config.json").read_text())
        args.mark_mentions, args.focus = bool(saved.get("mark_mentions")), bool(saved.get("focus"))
    sets = build_sets(args.data, args.domain, domain_upsample=args.domain_upsample, limit=args.limit,
                      marks=args.mark_mentions, extra=args.extra_domain)
    transfer = None
    if args.soft_train is not None or args.transfer:  # one teacher load serves both
        from stancekit.models.quote_model import QuoteModel
        from stancekit.train.transfer import soften, transfer_set

        teacher = QuoteModel.load(args.sentiment_teacher, device="auto", num_threads=args.threads, base=args.teacher_base)
        transfer = {"sentiment_teacher": {"path": Path(args.sentiment_teacher).name, "sha256": teacher.config_["sha256"],
                                          "base": teacher.config_.get("base")}}
        if args.soft_train is not None:
            news = [ex for ex in sets["train"] if ex["items"]]
            sets["train"] = soften(news, teacher, TASKS, args.soft_train) + [ex for ex in sets["train"] if not ex["items"]]
            transfer["soft_train"] = {"alpha": args.soft_train}
        if args.transfer:
            extra, info = transfer_set(Path(args.data) if args.data else sd.DEFAULT_DATA, args.transfer, teacher,
                                       args.stance_teacher, TASKS, threads=args.threads)
            transfer.update(info)
            sets["train"] += extra
        del teacher
        log.info("distillation: %s", json.dumps(transfer))
    log.info("data: %s", json.dumps(sets["sizes"]))
    init = None
    if args.continue_from:
        model = QuoteModel.load(args.continue_from, device="auto", num_threads=args.threads, base=args.base)
        model.net_.float()  # loading for inference halves the weights on a GPU; training needs fp32
        model.batch_size = 32
        init = {"continue_from": Path(args.continue_from).name, "sha256": model.config_["sha256"]}
        log.info("going on from %s", json.dumps(init))
    else:
        model = QuoteModel(TASKS, freeze_layers=args.freeze_layers, max_length=args.max_length, batch_size=32,
                           mark_mentions=args.mark_mentions, focus=focus_keywords() if args.focus else None,
                           base=args.base)
    if args.init_from:
        init = init_encoder_from(model._build(), args.init_from)
        log.info("encoder initialised from %s", json.dumps(init))
    train_quote_model(model, sets["train"], epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                      seed=args.seed)
    log.info("fine-tuned in %.0f s", model.train_seconds_)
    hyper = {k: getattr(args, k) for k in ("epochs", "lr", "batch_size", "max_length", "freeze_layers",
                                           "domain_upsample", "limit", "threads", "mark_mentions", "focus", "transfer",
                                           "soft_train")}
    card = {"task": "quote", "recipe": "stancekit.train.quote", "argv": recipe_argv(), "seed": args.seed,
            "hyperparameters": hyper, "init_from": init, "transfer": transfer, "data_sizes": sets["sizes"], "data_files": _data_files(args),
            **calibrate(model, sets["dev"]), "train_seconds": round(model.train_seconds_, 1),
            "total_seconds": round(time.time() - t0, 1), "torch": torch.__version__, "device": trained_on(model)}
    path = model.save(args.out, **card)
    log.info("saved %s T=%s abstain=%s dev %s", path, model.temperature_, model.abstain_below_,
             json.dumps(card["dev_metrics"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m stancekit.train.quote",
                                                   description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
