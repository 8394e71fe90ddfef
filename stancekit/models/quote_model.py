"""One encoder pass per quote for every question the pipeline asks of it.

The cross-encoders (`PairClassifier`) read one (question, quote) pair per question, so a quote
with two stance targets and two actors costs five passes over the same words. `QuoteModel` reads
the quote once and answers with small heads on its token states:

* text heads (tone, and stance toward each built-in target) on the mean over the text's tokens;
  with `focus` (task → keywords), such a head also reads the mean over the tokens of its target's
  keywords (falling back to the text mean where none occurs), so it looks where its target is at
  issue, as the `toward` head looks at its actor;
* the `toward` head on the mean over the text concatenated with the mean over one mention's
  tokens (target-dependent pooling, as TD-BERT, Gao et al. 2019), so every actor of a quote is
  read from the same pass. A mention cut off by truncation falls back to the text mean.
  With `mark_mentions`, every mention asked about in a text is wrapped in `<t> … </t>` before
  encoding (entity markers), so the encoder knows where the actors are; the spans move with it.

The heads know only the targets they were trained for; a custom target still needs the stance
cross-encoder. Files, sha256 check and fp16 weights work as for `PairClassifier`.

Example:
    >>> m = QuoteModel.load("models/quote-minilm")  # doctest: +SKIP
    >>> out = m.predict_proba(["Putin lied about the talks."], items=[(0, [(0, 5)])])  # doctest: +SKIP
    >>> out["tone"].shape, out["toward"].shape  # doctest: +SKIP
    ((1, 3), (1, 3))
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from stancekit.models.base import (BASE_MODEL_NAME, is_trained, lay_over, load_base, pad_rows, read_trained,
                                   save_trained)
from stancekit.models.pair_classifier import _torch, pick_device, softmax
from stancekit.targets import keyword_spans
from stancekit.train.sentiment_data import MARK_CLOSE, MARK_OPEN

SPAN_TASK = "toward"
Spans = Sequence[tuple[int, int]]
Item = tuple[int, Spans]
"""A mention question: (index of the text, character spans of the mention(s) in that text)."""


def span_mask(offsets: Sequence[tuple[int, int]], spans: Spans) -> np.ndarray:
    """1.0 for the tokens whose characters overlap one of `spans` (special tokens never do).

    >>> span_mask([(0, 0), (0, 5), (6, 10), (10, 11), (0, 0)], [(6, 11)]).tolist()
    [0.0, 0.0, 1.0, 1.0, 0.0]
    """
    out = np.zeros(len(offsets), dtype=np.float32)
    for j, (a, b) in enumerate(offsets):
        if b > a and any(a < e and b > s for s, e in spans):
            out[j] = 1.0
    return out


def insert_marks(text: str, spans: Spans) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each span (overlapping ones merged) wrapped in `<t> … </t>`, and the spans' new offsets.

    >>> insert_marks("Putin met Biden.", [(10, 15), (0, 5)])
    ('<t> Putin </t> met <t> Biden </t>.', [(23, 28), (4, 9)])
    """
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, last, shift = [], 0, []
    for s, e in merged:
        out += [text[last:s], MARK_OPEN, text[s:e], MARK_CLOSE]
        shift.append((s, e, len("".join(out[:-2]))))
        last = e
    out.append(text[last:])

    def moved(s: int, e: int) -> tuple[int, int]:
        for ms, me, new_start in shift:
            if ms <= s and e <= me:
                return new_start + s - ms, new_start + e - ms
        raise ValueError(f"span ({s}, {e}) lost while marking")  # pragma: no cover - merged spans cover all

    return "".join(out), [moved(s, e) for s, e in spans]


def mark_texts(texts: Sequence[str], items: Sequence[Item], extra: Mapping[int, Spans] | None = None):
    """Texts with every item span (and `extra` spans per text index) marked, and the items moved with them.

    >>> mark_texts(["Putin met Biden."], [(0, [(10, 15)])], extra={0: [(0, 5)]})
    (['<t> Putin </t> met <t> Biden </t>.'], [(0, [(23, 28)])])
    """
    per_text: dict[int, list[tuple[int, int]]] = {i: [tuple(x) for x in v] for i, v in (extra or {}).items()}
    for i, spans in items:
        per_text.setdefault(i, []).extend(tuple(x) for x in spans)
    texts, moved = list(texts), {}
    for i, spans in per_text.items():
        if spans:
            texts[i], new = insert_marks(texts[i], spans)
            moved[i] = dict(zip(spans, new))
    return texts, [(i, [moved[i][tuple(x)] for x in spans]) for i, spans in items]


class QuoteModel:
    """Multi-head classifier of texts and of mentions in them, scikit-learn style.

    Args:
        tasks: task name → labels. `toward` (if present) is the mention task; the others are
            questions about the whole text.
        mark_mentions: wrap the mentions asked about in `<t> … </t>` before encoding.
        focus: text task → keywords; that task's head also reads the mean over the keywords' tokens.
        base: a local transformers model folder to start from instead of all-MiniLM-L6-v2 (a larger
            teacher for distillation, e.g. all-mpnet-base-v2; shipped models keep the default).
    """

    def __init__(self, tasks: Mapping[str, Sequence[str]], freeze_layers: int = 0, max_length: int = 128,
                 batch_size: int = 32, device: str = "auto", mark_mentions: bool = False,
                 focus: Mapping[str, Sequence[str]] | None = None, base: str | Path | None = None):
        if not tasks:
            raise ValueError("QuoteModel needs at least one task")
        bad = [t for t in (focus or {}) if t not in tasks or t == SPAN_TASK]
        if bad:
            raise ValueError(f"focus names {bad}, which are not text tasks of this model")
        self.focus = {t: list(k) for t, k in (focus or {}).items()}
        self.tasks = {k: list(v) for k, v in tasks.items()}
        self.freeze_layers = freeze_layers
        self.max_length = max_length
        self.batch_size = batch_size
        self.device = device
        self.mark_mentions = mark_mentions
        self.base = None if base is None else str(base)

    # -- building -------------------------------------------------------------------------------
    def _build(self):
        torch = _torch()
        self.tokenizer_, encoder = load_base(self.base)
        with torch.random.fork_rng(devices=[]):  # the same head init whatever the training seed
            torch.manual_seed(0)
            self.net_ = _QuoteNet(encoder, self.tasks, list(self.focus))
        for name, p in self.net_.named_parameters():
            p.requires_grad = self._is_trainable(name)
        self.device_ = pick_device(self.device)
        self.net_.to(self.device_)
        if not hasattr(self, "temperature_"):
            self.temperature_ = {t: 1.0 for t in self.tasks}
        return self

    def _is_trainable(self, name: str) -> bool:
        return is_trained(name, "heads.", self.freeze_layers)

    def trainable_state(self) -> dict:
        return {k: v.detach().cpu() for k, v in self.net_.state_dict().items() if self._is_trainable(k)}

    # -- batches --------------------------------------------------------------------------------
    def tokenize(self, texts: Sequence[str]):
        enc = self.tokenizer_(list(texts), truncation=True, max_length=self.max_length, return_offsets_mapping=True)
        if self.focus:
            enc["focus"] = [np.stack([span_mask(offs, keyword_spans(text, kws)) for kws in self.focus.values()])
                            for text, offs in zip(texts, enc["offset_mapping"])]
        return enc

    def feed(self, enc, rows: Sequence[int], items: Sequence[Item] = ()):
        """Tensors for the texts `rows` of a tokenized call and the mention items on them."""
        torch = _torch()
        ids = pad_rows(enc["input_ids"], rows, self.tokenizer_.pad_token_id or 0)
        feed = {"input_ids": ids, "attention_mask": pad_rows(enc["attention_mask"], rows, 0)}
        if "token_type_ids" in self.tokenizer_.model_input_names:  # BERT-style bases; MPNet has none
            feed["token_type_ids"] = np.zeros_like(ids)
        if self.focus:
            focus = np.zeros((len(rows), len(self.focus), ids.shape[1]), dtype=np.float32)
            for r, i in enumerate(rows):
                m = enc["focus"][i]
                focus[r, :, :m.shape[1]] = m
            feed["focus_mask"] = focus
        if items:
            where = {i: r for r, i in enumerate(rows)}
            masks = np.zeros((len(items), ids.shape[1]), dtype=np.float32)
            for k, (i, spans) in enumerate(items):
                m = span_mask(enc["offset_mapping"][i], spans)
                masks[k, :len(m)] = m
            feed["item_rows"] = np.array([where[i] for i, _ in items], dtype=np.int64)
            feed["item_mask"] = masks
        return {k: torch.from_numpy(v).to(self.device_, non_blocking=True) for k, v in feed.items()}

    # -- inference ------------------------------------------------------------------------------
    def logits(self, texts: Sequence[str], items: Sequence[Item] = (), batch_size: int | None = None,
               marks: Mapping[int, Spans] | None = None) -> dict[str, np.ndarray]:
        """Raw logits of every text task for each text, and of `toward` for each item; order kept.

        `marks`: spans (per text index) to mark without asking about them (`mark_mentions` models).
        """
        torch = _torch()
        if not hasattr(self, "net_"):
            raise RuntimeError("This QuoteModel is not fitted: train it or use QuoteModel.load(path).")
        n = len(texts)
        for k, (i, spans) in enumerate(items):
            if not 0 <= i < n:
                raise ValueError(f"Item {k} points at text {i}, but there are {n} texts.")
        out = {t: np.zeros((n, len(v)), np.float32) for t, v in self.tasks.items() if t != SPAN_TASK}
        if SPAN_TASK in self.tasks:
            out[SPAN_TASK] = np.zeros((len(items), len(self.tasks[SPAN_TASK])), np.float32)
        elif items:
            raise ValueError(f"This model has no {SPAN_TASK!r} head for mention items.")
        if n == 0:
            return out
        if self.mark_mentions:
            texts, items = mark_texts(texts, items, marks)
        enc = self.tokenize(texts)
        lengths = [len(x) for x in enc["input_ids"]]
        order = sorted(range(n), key=lengths.__getitem__)
        bs = batch_size or self.batch_size
        by_text: dict[int, list[int]] = {}
        for k, (i, _) in enumerate(items):
            by_text.setdefault(i, []).append(k)
        self.net_.eval()
        with torch.inference_mode():
            for s in range(0, n, bs):
                rows = order[s:s + bs]
                ks = [k for i in rows for k in by_text.get(i, [])]
                res = self.net_(**self.feed(enc, rows, [items[k] for k in ks]))
                for t, v in res.items():
                    v = v.float().cpu().numpy()
                    if t == SPAN_TASK:
                        out[t][ks] = v
                    else:
                        out[t][rows] = v
        return out

    def predict_proba(self, texts: Sequence[str], items: Sequence[Item] = (),
                      batch_size: int | None = None) -> dict[str, np.ndarray]:
        """Calibrated probabilities per task (columns in the order of `tasks[task]`)."""
        return {t: softmax(v / self.temperature_.get(t, 1.0)) if len(v) else v
                for t, v in self.logits(texts, items, batch_size).items()}

    # -- files --------------------------------------------------------------------------------
    def save(self, path: str | Path, **card) -> Path:
        """Write model.safetensors (fp16, trained tensors only) and config.json with its sha256."""
        return save_trained(path, self.trainable_state(), {
            "kind": "quote_model", "base": BASE_MODEL_NAME if self.base is None else Path(self.base).name,
            "tasks": self.tasks,
            "freeze_layers": self.freeze_layers, "max_length": self.max_length, "mark_mentions": self.mark_mentions,
            "focus": self.focus,
            "temperature": {t: float(v) for t, v in self.temperature_.items()},
            "abstain_below": getattr(self, "abstain_below_", {}), **card})

    @classmethod
    def load(cls, path: str | Path, device: str = "auto", batch_size: int = 32,
             num_threads: int | None = None, base: str | Path | None = None) -> "QuoteModel":
        """Load a saved model; refuses a weights file whose sha256 differs from config.json's.

        `base`: the folder of the base model a model trained from another base (a teacher) needs.
        """
        from stancekit.scale.runtime import prepare_for_inference

        config, state = read_trained(path)
        if config.get("kind") != "quote_model":
            raise ValueError(f"{path} holds no QuoteModel (config kind {config.get('kind')!r}).")
        trained_on = config.get("base", BASE_MODEL_NAME)
        if trained_on != BASE_MODEL_NAME and (base is None or Path(base).name != trained_on):
            raise ValueError(f"{path} was trained from the base model {trained_on!r}: pass base= its local folder.")
        m = cls(config["tasks"], freeze_layers=config["freeze_layers"], max_length=config["max_length"],
                batch_size=batch_size, device=device, mark_mentions=config.get("mark_mentions", False),
                focus=config.get("focus"), base=base if trained_on != BASE_MODEL_NAME else None)
        m.temperature_ = {t: float(v) for t, v in config.get("temperature", {}).items()}
        m.abstain_below_ = dict(config.get("abstain_below", {}))
        m.config_ = config
        m._build()
        lay_over(m.net_, m.trainable_state(), state, Path(path) / "model.safetensors")
        return prepare_for_inference(m, num_threads)  # fp16 on a GPU, threads on CPU


def _QuoteNet(encoder, tasks: Mapping[str, Sequence[str]], focus: Sequence[str] = ()):
    """Encoder + mean pooling + one linear head per task (`toward` and the `focus` tasks also read a span mean)."""
    torch = _torch()
    h = encoder.config.hidden_size

    def with_span(hidden, pooled, mask):  # pooled ‖ mean over the masked tokens (pooled where none)
        m = mask.unsqueeze(-1).to(hidden.dtype)
        count = m.sum(1)
        span = (hidden * m).sum(1) / count.clamp(min=1.0)
        return torch.cat([pooled, torch.where(count > 0, span, pooled)], dim=1)

    class QuoteNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.heads = torch.nn.ModuleDict({
                t: torch.nn.Linear(h * (2 if t == SPAN_TASK or t in focus else 1), len(labels))
                for t, labels in tasks.items()})

        def forward(self, input_ids, attention_mask, token_type_ids=None, item_rows=None, item_mask=None,
                    focus_mask=None):
            types = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **types).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            dropped = self.dropout(pooled)
            out = {t: head(dropped) for t, head in self.heads.items() if t != SPAN_TASK and t not in focus}
            for j, t in enumerate(focus):
                out[t] = self.heads[t](self.dropout(with_span(hidden, pooled, focus_mask[:, j])))
            if item_rows is not None and SPAN_TASK in self.heads:
                feats = with_span(hidden[item_rows], pooled[item_rows], item_mask)
                out[SPAN_TASK] = self.heads[SPAN_TASK](self.dropout(feats))
            return out

    return QuoteNet()
