"""Sentiment: the tone of a whole quote, and the sentiment of a text toward an actor it mentions.

One model answers both, an item of `toward` being (text, mention_start, mention_end) with
character offsets into that text:

* the shipped `QuoteModel` (models/quote-minilm): the text is read once, with the mention wrapped
  in `<t> … </t>`; a tone head reads the whole text, a `toward` head the text and the mention;
* or a sentiment `PairClassifier` (`stancekit.train.sentiment`), one pass per question:
  ("the speaker's tone", quote) and (mention, text with the mention wrapped in `<t> … </t>`).

Labels are "negative", "neutral", "positive", or "abstain" where the top calibrated probability
is under the model's threshold for that use (the scores are always returned).

Example:
    >>> clf = SentimentClassifier.load()  # doctest: +SKIP
    >>> clf.tone(["This is a shameful betrayal."])  # doctest: +SKIP
    [Label(label='negative', scores={'negative': 0.93, 'neutral': 0.05, 'positive': 0.02})]
    >>> text = "Critics say Putin lied about the talks."
    >>> clf.toward([(text, 12, 17)])  # doctest: +SKIP
    [Label(label='negative', scores={...})]
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence, overload

import numpy as np

from stancekit.doc import Label
from stancekit.train.sentiment_data import LABELS, crop, target_pair, tone_pair

MODEL_NAME = "quote-minilm"
ABSTAIN = "abstain"
Mention = tuple[str, int, int]

__all__ = ["SentimentClassifier", "LABELS", "ABSTAIN", "to_label"]


class ProbaModel(Protocol):
    """What SentimentClassifier needs from a model: label names and calibrated pair probabilities."""

    labels: list[str]

    def predict_proba(self, a: Sequence[str], b: Sequence[str]): ...


def to_label(scores: dict[str, float], threshold: float) -> Label:
    """The top label, or "abstain" when its probability is under `threshold`; scores kept.

    >>> to_label({"negative": 0.5, "neutral": 0.3, "positive": 0.2}, 0.4).label
    'negative'
    >>> to_label({"negative": 0.38, "neutral": 0.32, "positive": 0.3}, 0.4).label
    'abstain'
    """
    best = max(scores, key=scores.get)
    return Label(ABSTAIN if scores[best] < threshold else best, scores)


class SentimentClassifier:
    """Quote tone and sentiment toward actors, with one model.

    Args:
        model: a fitted `QuoteModel` with `tone` and `toward` heads (models/quote-minilm), or a
            `PairClassifier` trained by `stancekit.train.sentiment` (anything with `labels` and
            `predict_proba(a, b)`).
        abstain_below: top-probability threshold for "abstain", for both uses; None takes the
            model's thresholds, picked on dev per use at training time.
    """

    def __init__(self, model: ProbaModel | None = None, abstain_below: float | None = None):
        self.model = model
        self.abstain_below = abstain_below

    @classmethod
    def load(cls, model_dir: str | Path | None = None, device: str = "auto", batch_size: int = 32,
             **runtime) -> "SentimentClassifier":
        """Load the shipped model (models/quote-minilm) or the one in `model_dir` (either kind).

        `runtime` goes to the model's `load` (num_threads=...; backend="onnx" for a PairClassifier).
        """
        from stancekit.models.base import model_kind, shipped_model_dir

        path = Path(model_dir) if model_dir is not None else shipped_model_dir(MODEL_NAME)
        if model_kind(path) == "quote_model":
            from stancekit.models.quote_model import QuoteModel

            return cls(QuoteModel.load(path, device=device, batch_size=batch_size, **runtime))
        from stancekit.models.pair_classifier import PairClassifier

        return cls(PairClassifier.load(path, device=device, batch_size=batch_size, **runtime))

    @property
    def _quote_model(self) -> bool:
        return hasattr(self.model, "tasks")

    @property
    def labels(self) -> list[str]:
        return list(self.model.tasks["toward"] if self._quote_model else self.model.labels)

    def _model_threshold(self, use: str) -> float | None:
        if self._quote_model:
            return (getattr(self.model, "abstain_below_", None) or {}).get(use)
        if use == "toward":
            return getattr(self.model, "abstain_below", None)
        return (getattr(self.model, "config_", None) or {}).get("tone_abstain_below")

    @property
    def threshold_(self) -> float:
        """Abstain threshold of `toward`."""
        if self.abstain_below is not None:
            return float(self.abstain_below)
        return float(self._model_threshold("toward") or 0.0)

    @property
    def tone_threshold_(self) -> float:
        """Abstain threshold of `tone`."""
        if self.abstain_below is not None:
            return float(self.abstain_below)
        value = self._model_threshold("tone")
        return self.threshold_ if value is None else float(value)

    @overload
    def tone(self, texts: str) -> Label: ...
    @overload
    def tone(self, texts: Sequence[str]) -> list[Label]: ...

    def tone(self, texts):
        """Tone (negative/neutral/positive) of each whole text, e.g. a quote; one batch for all."""
        if isinstance(texts, str):
            return self.tone([texts])[0]
        return self._labels(self.tone_proba(texts), self.tone_threshold_)

    @overload
    def toward(self, items: Mention) -> Label: ...
    @overload
    def toward(self, items: Sequence[Mention]) -> list[Label]: ...

    def toward(self, items):
        """Sentiment of each text toward the mention at [start, end); one batch for all items.

        Args:
            items: (text, mention_start, mention_end) triples, offsets into that text, e.g. an
                actor's mention inside a quote. A text over ~600 characters is cut to a window
                around the mention.
        """
        if isinstance(items, tuple) and len(items) == 3 and isinstance(items[0], str):
            return self.toward([items])[0]
        return self._labels(self.toward_proba(items), self.threshold_)

    def tone_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated tone probabilities, one row per text, columns in `labels` order."""
        self._check()
        if not texts:
            return np.zeros((0, len(LABELS)))
        if self._quote_model:
            return self.model.predict_proba(list(texts))["tone"]
        pairs = [tone_pair(t) for t in texts]
        return self.model.predict_proba([p[0] for p in pairs], [p[1] for p in pairs])

    def toward_proba(self, items: Sequence[Mention]) -> np.ndarray:
        """Calibrated probabilities of the sentiment toward each mention, columns in `labels` order."""
        self._check()
        if not items:
            return np.zeros((0, len(LABELS)))
        if self._quote_model:
            cut = [crop(text, int(s), int(e)) for text, s, e in items]
            return self.model.predict_proba([c[0] for c in cut], [(i, [(c[1], c[2])]) for i, c in enumerate(cut)])["toward"]
        pairs = [target_pair(text, int(s), int(e)) for text, s, e in items]
        return self.model.predict_proba([p[0] for p in pairs], [p[1] for p in pairs])

    def _check(self) -> None:
        if self.model is None:
            raise RuntimeError("SentimentClassifier has no model: use SentimentClassifier.load().")

    def _labels(self, probs: np.ndarray, threshold: float) -> list[Label]:
        labels = self.labels
        return [to_label(dict(zip(labels, map(float, row))), threshold) for row in probs]
