"""The fine-tuning loop shared by the stance and sentiment recipes.

A plain PyTorch loop (no Trainer): length-bucketed batches keep padding small, which is most of
the speed on a CPU; a fixed seed makes a run repeatable on the same machine.
"""
from __future__ import annotations

import logging
import math
import random
import time
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)


def bucketed_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort within chunks of 50 batches by length, then shuffle the batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for s in range(0, len(idx), chunk):
        part = sorted(idx[s:s + chunk], key=lambda i: lengths[i])
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def train_pairs(clf, a: Sequence[str], b: Sequence[str], y: Sequence[str], *, epochs: float = 1.0,
                lr: float = 4e-5, batch_size: int = 16, max_length: int = 128, warmup: float = 0.06,
                weight_decay: float = 0.01, seed: int = 13, sample_weight: Sequence[float] | None = None,
                soft_targets: np.ndarray | None = None, distill_alpha: float = 0.5, distill_temperature: float = 2.0,
                progress: bool = True):
    """Fine-tune `clf` (a PairClassifier, built if needed) on labelled pairs; returns clf.

    With `soft_targets` (an n × classes array of teacher probabilities at `distill_temperature`),
    the loss is `distill_alpha` × cross-entropy on the gold labels + (1 - alpha) × T² × KL(teacher ‖
    student at T): knowledge distillation (Hinton et al., 2015).
    """
    import torch
    from tqdm.auto import tqdm

    if not (len(a) == len(b) == len(y)):
        raise ValueError("a, b and y must have the same length")
    unknown = sorted(set(y) - set(clf.labels))
    if unknown:
        raise ValueError(f"Labels {unknown} are not among the classifier's labels {clf.labels}")
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
    if not hasattr(clf, "net_"):
        clf._build()
    net, tok = clf.net_, clf.tokenizer_
    y_idx = np.array([clf.labels.index(v) for v in y])
    w = np.ones(len(y), dtype=np.float32) if sample_weight is None else np.asarray(sample_weight, np.float32)
    lengths = [len(x) + len(z) for x, z in zip(a, b)]
    rng = random.Random(seed)
    n_batches = math.ceil(len(a) / batch_size)
    total = max(1, int(n_batches * epochs))
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    warm = max(1, int(total * warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(reduction="none")
    if soft_targets is not None:
        soft_targets = np.asarray(soft_targets, dtype=np.float32)
        if soft_targets.shape != (len(y), len(clf.labels)):
            raise ValueError(f"soft_targets must be {len(y)} × {len(clf.labels)}, got {soft_targets.shape}")
    net.train()
    step, t0, running = 0, time.time(), 0.0
    bar = tqdm(total=total, disable=not progress, desc="fine-tuning", mininterval=5)
    while step < total:
        for batch in bucketed_batches(lengths, batch_size, rng):
            if step >= total:
                break
            enc = tok([a[i] for i in batch], [b[i] for i in batch], truncation="only_second",
                      max_length=max_length, padding=True, return_tensors="pt").to(clf.device_)
            target = torch.as_tensor(y_idx[batch], device=clf.device_)
            weight = torch.as_tensor(w[batch], device=clf.device_)
            logits = net(**enc)
            per_pair = loss_fn(logits, target)
            if soft_targets is not None:
                t = distill_temperature
                teacher = torch.as_tensor(soft_targets[batch], device=clf.device_)
                kl = (teacher * (teacher.clamp_min(1e-8).log() - torch.log_softmax(logits / t, dim=1))).sum(1)
                per_pair = distill_alpha * per_pair + (1 - distill_alpha) * t * t * kl
            loss = (per_pair * weight).sum() / weight.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
            step += 1
            bar.update(1)
            if step % 200 == 0:
                log.info("step %d/%d loss %.4f %.1f pairs/s", step, total, running,
                         step * batch_size / (time.time() - t0))
    bar.close()
    net.eval()
    clf.train_seconds_ = time.time() - t0
    return clf


def fit_temperature(logits: np.ndarray, y_idx: np.ndarray) -> float:
    """Temperature that minimises the negative log-likelihood on held-out logits (Guo et al., 2017)."""
    best_t, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 200)):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        nll = -logp[np.arange(len(y_idx)), y_idx].mean()
        if nll < best_nll:
            best_t, best_nll = float(t), float(nll)
    return best_t


def trained_on(clf) -> str:
    """The device a classifier was trained on, for its card ("cpu" or the GPU's name)."""
    import torch

    device = str(getattr(clf, "device_", "cpu"))
    return torch.cuda.get_device_name(device) if device.startswith("cuda") else "cpu"
