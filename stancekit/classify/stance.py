"""Stance of quotes toward targets: a cross-encoder reads (target proposition, quote) pairs.

Two rules sit around the model:

* **Keyword gate.** A target with keywords none of which occurs in the quote or in the sentence
  just before it gets `none` with certainty, without running the model. It is a precision guard
  (a quote that never touches NATO or talks cannot take a side on them, whatever the model's lean)
  and a speed gain (most quotes of a news article touch one target at most).
* **Context.** The model sees the quote alone unless the quote is very short (under
  `SHORT_QUOTE` words) or opens with an anaphor ("That is a process that will take some time"
  refers back to NATO): then the last complete sentence before the quote's own sentence is put in
  front of it, as one running text. The unfinished lead-in of the quote's own sentence ("Mr Healey
  said that") is skipped: it names the speaker but says nothing about the target. The recipe
  trains on the same format, so a two-sentence training text and "context + quote" look alike.

Labels are "favor", "against", "none", or "abstain" where the top calibrated probability is under
the model's threshold (the scores are always returned).

Example:
    >>> from stancekit.targets import resolve_targets
    >>> clf = StanceClassifier.load()  # doctest: +SKIP
    >>> clf.predict([("Ukraine's rightful place is in Nato.", "He added:")], resolve_targets())  # doctest: +SKIP
    [{'nato_membership': Label(label='favor', ...), 'peace_talks': Label(label='none', ...)}]
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol, Sequence

from stancekit.doc import Label
from stancekit.targets import Target, resolve_targets

MODEL_NAME = "stance-minilm"
LABELS = ("favor", "against", "none")
ABSTAIN = "abstain"
SHORT_QUOTE = 5
"""Quotes with fewer words than this ("Not this year.") get the previous sentence as context."""
ANAPHORS = frozenset({"that", "this", "it", "these", "those", "such", "which", "there", "so", "they"})
CONTEXT_CHARS = 400
"""Only the tail of the given context is searched for its last sentence."""

_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_TRAIL = " \t\n\r\"'“”‘’«»:—–-("
_DROP_MARKS = str.maketrans("", "", "“”\"«»")
_WORD = re.compile(r"[A-Za-z’']+")


def context_sentence(context: str) -> str:
    """The last complete sentence of `context`, skipping the unfinished lead-in of the quote's sentence.

    >>> context_sentence('He said NATO matters. Mr Healey added: “')
    'He said NATO matters.'
    >>> context_sentence('Ukraine belongs in Nato, he said. “')
    'Ukraine belongs in Nato, he said.'
    """
    tail = (context or "")[-CONTEXT_CHARS:]
    ends = [m.end() for m in _SENT_END.finditer(tail + " ")]
    if not ends:
        return ""
    start = ends[-2] if len(ends) > 1 else 0
    if len(ends) == 1 and len(tail) >= CONTEXT_CHARS:
        return ""  # the sentence is cut at the window's start
    sent = tail[start:ends[-1]].translate(_DROP_MARKS)
    return " ".join(sent.split()).strip(_TRAIL.replace(":", ""))


def needs_context(quote: str) -> bool:
    """True when the quote is short or opens with an anaphor that points back to the context."""
    words = _WORD.findall(quote)
    if len(words) < SHORT_QUOTE:
        return True
    return words[0].lower().replace("’", "'").split("'")[0] in ANAPHORS


def format_quote(quote: str, context: str = "") -> str:
    """The text the model reads for a quote: the quote, preceded by the context's last sentence if needed.

    >>> format_quote("That will take some time.", "Ukraine belongs in Nato. He added: “")
    'Ukraine belongs in Nato. That will take some time.'
    >>> format_quote("We will keep supporting Ukraine for as long as it takes.", "Something else.")
    'We will keep supporting Ukraine for as long as it takes.'
    """
    return _with_context(quote, context_sentence(context))


def _with_context(quote: str, ctx: str) -> str:
    quote = " ".join(quote.split())
    return f"{ctx} {quote}" if ctx and needs_context(quote) else quote


def gated_out(target: Target, quote: str, context: str = "") -> bool:
    """True when `target` has keywords and none occurs in the quote or the context's last complete sentence."""
    return _gated(target, f"{quote} {context_sentence(context)}")


def _gated(target: Target, probe: str) -> bool:
    return bool(target.keywords) and not target.mentioned_in(probe)


def certain_none() -> Label:
    return Label("none", {"favor": 0.0, "against": 0.0, "none": 1.0})


class ProbaModel(Protocol):
    """What StanceClassifier needs from a model: label names and calibrated pair probabilities."""

    labels: list[str]

    def predict_proba(self, a: Sequence[str], b: Sequence[str]): ...


class StanceClassifier:
    """Stance of each (quote, context) item toward each target.

    Args:
        model: a fitted `PairClassifier` (or anything with `labels` and `predict_proba(a, b)`).
        abstain_below: top-probability threshold for "abstain"; None takes the model's
            `abstain_below` (set at training time, see models/stance-minilm.md).
    """

    def __init__(self, model: ProbaModel | None = None, abstain_below: float | None = None):
        self.model = model
        self.abstain_below = abstain_below

    @classmethod
    def load(cls, model_dir: str | Path | None = None, device: str = "auto", batch_size: int = 32,
             **runtime) -> "StanceClassifier":
        """Load the shipped model (models/stance-minilm) or the one in `model_dir`.

        `runtime` goes to `PairClassifier.load` (backend="onnx", num_threads=...).
        """
        from stancekit.models.base import shipped_model_dir
        from stancekit.models.pair_classifier import PairClassifier

        path = Path(model_dir) if model_dir is not None else shipped_model_dir(MODEL_NAME)
        return cls(PairClassifier.load(path, device=device, batch_size=batch_size, **runtime))

    @property
    def threshold_(self) -> float:
        if self.abstain_below is not None:
            return float(self.abstain_below)
        return float(getattr(self.model, "abstain_below", 0.0) or 0.0)

    def predict(self, items: Sequence[tuple[str, str]],
                targets: Sequence[Target | str] | None = None) -> list[dict[str, Label]]:
        """One {target id: Label} per item; all model pairs of the call go through one batch.

        Args:
            items: (quote_text, context) pairs; context is the article text just before the quote
                (may be ""), of which only the last complete sentence is used.
            targets: `Target`s or built-in ids; default the built-in targets.
        """
        targets = resolve_targets(targets)
        labels = iter(self.predict_pairs([(quote, context, t) for quote, context in items for t in targets]))
        return [{t.id: next(labels) for t in targets} for _ in items]

    def predict_pairs(self, pairs: Sequence[tuple[str, str, Target]]) -> list[Label]:
        """One Label per (quote_text, context, target); the pairs the gate lets through go to the model in one batch."""
        if self.model is None:
            raise RuntimeError("StanceClassifier has no model: use StanceClassifier.load().")
        out: list[Label | None] = [None] * len(pairs)
        props, texts, slots, sentences = [], [], [], {}
        for k, (quote, context, t) in enumerate(pairs):
            ctx = sentences.get(context)
            if ctx is None:  # once per quote, not per target
                ctx = sentences[context] = context_sentence(context or "")
            if _gated(t, f"{quote} {ctx}"):
                out[k] = certain_none()
                continue
            props.append(t.proposition)
            texts.append(_with_context(quote, ctx))
            slots.append(k)
        if slots:
            labels = list(self.model.labels)
            for k, row in zip(slots, self.model.predict_proba(props, texts)):
                out[k] = self._label(dict(zip(labels, map(float, row))))
        return out

    def _label(self, scores: dict[str, float]) -> Label:
        best = max(scores, key=scores.get)
        return Label(ABSTAIN if scores[best] < self.threshold_ else best, scores)
