"""Sentiment: the tone of a whole quote, and the sentiment of a text toward an actor it mentions.

One cross-encoder (models/sentiment-minilm, fine-tuned from all-MiniLM-L6-v2) answers both; the
first text of the pair says which question is asked (see `stancekit.train.sentiment_data`):

* `tone(texts)`: ("the speaker's tone", quote);
* `toward(items)`: (mention, text with the mention wrapped in `<t> … </t>`), an item being
  (text, mention_start, mention_end) with character offsets into that text.

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

from stancekit.doc import Label
from stancekit.train.sentiment_data import LABELS, target_pair, tone_pair

MODEL_NAME = "sentiment-minilm"
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
        model: a fitted `PairClassifier` (or anything with `labels` and `predict_proba(a, b)`).
        abstain_below: top-probability threshold for "abstain", for both uses; None takes the
            model's thresholds, picked on dev per use at training time: `abstain_below` for
            `toward`, `tone_abstain_below` of its config for `tone` (see models/sentiment-minilm.md).
    """

    def __init__(self, model: ProbaModel | None = None, abstain_below: float | None = None):
        self.model = model
        self.abstain_below = abstain_below

    @classmethod
    def load(cls, model_dir: str | Path | None = None, device: str = "auto", batch_size: int = 32,
             **runtime) -> "SentimentClassifier":
        """Load the shipped model (models/sentiment-minilm) or the one in `model_dir`.

        `runtime` goes to `PairClassifier.load` (backend="onnx", num_threads=...).
        """
        from stancekit.models.base import shipped_model_dir
        from stancekit.models.pair_classifier import PairClassifier

        path = Path(model_dir) if model_dir is not None else shipped_model_dir(MODEL_NAME)
        return cls(PairClassifier.load(path, device=device, batch_size=batch_size, **runtime))

    @property
    def threshold_(self) -> float:
        """Abstain threshold of `toward`."""
        if self.abstain_below is not None:
            return float(self.abstain_below)
        return float(getattr(self.model, "abstain_below", 0.0) or 0.0)

    @property
    def tone_threshold_(self) -> float:
        """Abstain threshold of `tone`."""
        if self.abstain_below is not None:
            return float(self.abstain_below)
        value = (getattr(self.model, "config_", None) or {}).get("tone_abstain_below")
        return self.threshold_ if value is None else float(value)

    @overload
    def tone(self, texts: str) -> Label: ...
    @overload
    def tone(self, texts: Sequence[str]) -> list[Label]: ...

    def tone(self, texts):
        """Tone (negative/neutral/positive) of each whole text, e.g. a quote; one batch for all."""
        if isinstance(texts, str):
            return self.tone([texts])[0]
        pairs = [tone_pair(t) for t in texts]
        return self._classify(pairs, self.tone_threshold_)

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
        pairs = [target_pair(text, int(s), int(e)) for text, s, e in items]
        return self._classify(pairs, self.threshold_)

    def _classify(self, pairs: list[tuple[str, str]], threshold: float) -> list[Label]:
        if self.model is None:
            raise RuntimeError("SentimentClassifier has no model: use SentimentClassifier.load().")
        if not pairs:
            return []
        probs = self.model.predict_proba([p[0] for p in pairs], [p[1] for p in pairs])
        labels = list(self.model.labels)
        return [to_label(dict(zip(labels, map(float, row))), threshold) for row in probs]
