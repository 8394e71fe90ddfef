"""A cross-encoder that reads a pair of texts (target, quote) and returns calibrated class probabilities.

The word embeddings (and the encoder layers under `freeze_layers`) stay those of the base model,
so a shipped model is the trained tensors alone (fp16 safetensors, 21 MB with all six layers
trained) laid over the base installed from PyPI. The file's sha256 is checked before loading.

`pooling="mean+mark"` adds a second feature: the mean of the tokens between `<t>` and `</t>`
markers in the second text (the mention whose sentiment is asked), concatenated to the mean over
the pair; without markers in a pair it falls back to the plain mean. Target-dependent sentiment
needs to know which tokens are the target; a mean over the whole pair blurs it.

Inference runs under `torch.inference_mode`, pairs sorted by length so batches carry little
padding; on a GPU the network runs in fp16. `load(..., backend="onnx")` runs an ONNX export through ONNX
Runtime on CPU (see `stancekit.scale.runtime` and benchmarks/RESULTS_throughput.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from stancekit.models.base import (BASE_MODEL_NAME, is_trained, lay_over, load_base, pad_rows, read_trained,
                                   save_trained)


def _torch():
    import torch

    return torch


def pick_device(device: str = "auto") -> str:
    torch = _torch()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


class PairClassifier:
    """scikit-learn style pair classifier: `fit` trains, `predict_proba` returns calibrated probabilities.

    Example:
        >>> clf = PairClassifier(labels=["favor", "against", "none"]).fit(a, b, y)  # doctest: +SKIP
        >>> clf.predict_proba(["Ukraine should join NATO."], ["Its place is in the alliance."])  # doctest: +SKIP
    """

    def __init__(self, labels: Sequence[str] = ("favor", "against", "none"), freeze_layers: int = 2,
                 max_length: int = 256, batch_size: int = 32, device: str = "auto",
                 abstain_below: float = 0.0, backend: str = "torch", pooling: str = "mean"):
        if pooling not in POOLINGS:
            raise ValueError(f"Unknown pooling {pooling!r}: use one of {', '.join(POOLINGS)}.")
        self.pooling = pooling
        self.labels = list(labels)
        self.freeze_layers = freeze_layers
        self.max_length = max_length
        self.batch_size = batch_size
        self.device = device
        self.abstain_below = abstain_below
        self.backend = backend

    # -- building -------------------------------------------------------------------------------
    def _build(self):
        """Create tokenizer and network from the base model (trained tensors are laid over later)."""
        torch = _torch()
        self.tokenizer_, encoder = load_base()
        marks = self.tokenizer_.convert_tokens_to_ids(list(MARK_TOKENS))
        with torch.random.fork_rng(devices=[]):  # the same head init whatever the training seed,
            torch.manual_seed(0)                # so runs that differ in seed can be averaged (soup)
            self.net_ = _PairNet(encoder, len(self.labels), self.pooling, marks)
        for name, p in self.net_.named_parameters():
            p.requires_grad = self._is_trainable(name)
        self.device_ = pick_device(self.device)
        self.net_.to(self.device_)
        if not hasattr(self, "temperature_"):
            self.temperature_ = 1.0
        return self

    def _is_trainable(self, name: str) -> bool:
        return is_trained(name, "head.", self.freeze_layers)

    def trainable_state(self) -> dict:
        return {k: v.detach().cpu() for k, v in self.net_.state_dict().items() if self._is_trainable(k)}

    # -- inference ------------------------------------------------------------------------------
    def encode_batch(self, a: Sequence[str], b: Sequence[str]):
        return self.tokenizer_(list(a), list(b), truncation="only_second", max_length=self.max_length,
                               padding=True, return_tensors="pt")

    def logits(self, a: Sequence[str], b: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Raw logits; input order is kept.

        All pairs are tokenized in one call (the tokenizer runs it on all cores), then cut into
        batches of similar token length so padding is small. On a GPU the batches are queued
        without waiting and the logits come back in one copy.
        """
        torch = _torch()
        self._check_fitted()
        if len(a) != len(b):
            raise ValueError(f"Got {len(a)} first texts and {len(b)} second texts; they must pair up.")
        n = len(a)
        out = np.zeros((n, len(self.labels)), dtype=np.float32)
        if n == 0:
            return out
        bs = batch_size or self.batch_size
        enc = self.tokenizer_(list(a), list(b), truncation="only_second", max_length=self.max_length)
        names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        lengths = [len(x) for x in enc["input_ids"]]
        order = sorted(range(n), key=lengths.__getitem__)
        batches = [order[s:s + bs] for s in range(0, n, bs)]
        pad = {"input_ids": self.tokenizer_.pad_token_id or 0, "attention_mask": 0, "token_type_ids": 0}

        def padded(idx):
            return {k: pad_rows(enc[k], idx, pad[k]) for k in names}

        session = getattr(self, "session_", None)
        if session is not None:  # ONNX Runtime
            for idx in batches:
                out[idx] = session.run(padded(idx))
            return out
        self.net_.eval()
        results = []
        with torch.inference_mode():
            for idx in batches:
                feed = {k: torch.from_numpy(v).to(self.device_, non_blocking=True) for k, v in padded(idx).items()}
                results.append(self.net_(**feed).float())
            logits = torch.cat(results).cpu().numpy()
        out[np.concatenate([np.asarray(i) for i in batches])] = logits
        return out

    def predict_proba(self, a: Sequence[str], b: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        return softmax(self.logits(a, b, batch_size) / self.temperature_)

    def predict(self, a: Sequence[str], b: Sequence[str]) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(a, b).argmax(1)]

    def _check_fitted(self) -> None:
        if not hasattr(self, "net_"):
            raise RuntimeError("This PairClassifier is not fitted: call fit() or PairClassifier.load(path).")

    # -- files --------------------------------------------------------------------------------
    def save(self, path: str | Path, **card) -> Path:
        """Write model.safetensors (fp16, trained tensors only) and config.json with its sha256."""
        return save_trained(path, self.trainable_state(), {
            "base": BASE_MODEL_NAME, "labels": self.labels, "freeze_layers": self.freeze_layers,
            "max_length": self.max_length, "pooling": self.pooling, "temperature": float(self.temperature_),
            "abstain_below": float(self.abstain_below), **card})

    @classmethod
    def load(cls, path: str | Path, device: str = "auto", batch_size: int = 32, backend: str = "torch",
             num_threads: int | None = None) -> "PairClassifier":
        """Load a saved model; refuses a weights file whose sha256 differs from config.json's.

        Args:
            device: "auto" (cuda if available, in fp16), "cpu" or "cuda".
            backend: "torch", or "onnx" (CPU; exported once, cached in ~/.cache/stancekit).
            num_threads: torch / ONNX Runtime threads (default: the available cores, unless
                set by OMP_NUM_THREADS or torch.set_num_threads; see `configure_threads`).
        """
        config, state = read_trained(path)
        clf = cls(labels=config["labels"], freeze_layers=config["freeze_layers"],
                  max_length=config["max_length"], batch_size=batch_size, device=device,
                  abstain_below=config.get("abstain_below", 0.0), backend=backend,
                  pooling=config.get("pooling", "mean"))
        clf.temperature_ = float(config.get("temperature", 1.0))
        clf.config_ = config
        clf._build()
        lay_over(clf.net_, clf.trainable_state(), state, Path(path) / "model.safetensors")
        from stancekit.scale.runtime import prepare_for_inference

        prepare_for_inference(clf, num_threads)
        return clf


def softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


POOLINGS = ("mean", "mean+mark")
MARK_TOKENS = ("<", "t", ">", "/")
"""Word pieces of the `<t> … </t>` mention markers (`stancekit.train.sentiment_data.mark`)."""


def mark_mask(input_ids, ids: Sequence[int]):
    """1 for the tokens strictly between a `< t >` and the next `< / t >` in each row, else 0."""
    torch = _torch()
    lt, t, gt, slash = ids

    def shift(k: int):  # shift(k)[:, i] == input_ids[:, i - k] (-1 off the edge)
        pad = torch.full_like(input_ids[:, :abs(k)], -1)
        if k > 0:
            return torch.cat([pad, input_ids[:, :-k]], dim=1)
        return torch.cat([input_ids[:, -k:], pad], dim=1)

    opened = (shift(2) == lt) & (shift(1) == t) & (input_ids == gt)
    closing = (input_ids == lt) & (shift(-1) == slash) & (shift(-2) == t) & (shift(-3) == gt)
    opened, closing = opened.long(), closing.long()
    return ((opened.cumsum(1) - opened - closing.cumsum(1)) > 0).long()


def _PairNet(encoder, n_labels: int, pooling: str = "mean", mark_ids: Sequence[int] = ()):
    """Encoder + mean pooling (the pooling all-MiniLM-L6-v2 was trained with) [+ mention pooling] + linear head."""
    torch = _torch()
    width = encoder.config.hidden_size * (2 if pooling == "mean+mark" else 1)

    class PairNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(width, n_labels)

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            if pooling == "mean+mark":
                inside = (mark_mask(input_ids, mark_ids) * attention_mask).unsqueeze(-1).to(hidden.dtype)
                count = inside.sum(1)
                marked = (hidden * inside).sum(1) / count.clamp(min=1.0)
                pooled = torch.cat([pooled, torch.where(count > 0, marked, pooled)], dim=1)
            return self.head(self.dropout(pooled))

    return PairNet()
