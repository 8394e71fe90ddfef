"""Per-quote stance scores and the score-to-label rule shared by every aggregate view.

A quote's stance toward a target is summarised as one number, P(favor) - P(against) in [-1, 1],
so that quotes can be averaged; each quote is weighted by the model's confidence (its top class
probability) so that a hesitant quote moves an actor's profile less than a clear one.
"""
from __future__ import annotations

from collections.abc import Mapping

LABEL_THRESHOLD = 0.2
"""|score| at which an aggregated stance counts as favor/against rather than none.

0.2 means the confidence-weighted balance must lean one way by at least a fifth of the scale: a
single confident favor quote (~0.8) among three neutral ones (~0.0) still reads as favor, while one
weak lean (0.3 at weight 0.5) drowned by several confident "none" quotes does not.
"""

ABSTAIN = "abstain"
STANCE_CLASSES = ("favor", "against", "none")
SIGN = {"favor": 1.0, "against": -1.0, "none": 0.0}


def class_probs(label: str, scores: Mapping[str, float] | None) -> tuple[float, float, float]:
    """(P(favor), P(against), P(none)) of a stance label.

    Gold data and hand-built labels carry no probabilities; they count as certain (probability 1 on
    the given label) so they aggregate alongside model output.
    """
    if scores:
        return (float(scores.get("favor", 0.0)), float(scores.get("against", 0.0)),
                float(scores.get("none", 0.0)))
    return (float(label == "favor"), float(label == "against"), float(label == "none"))


def quote_score(label: str, scores: Mapping[str, float] | None) -> tuple[float, float]:
    """(score, weight) of one quote: score = P(favor) - P(against), weight = max probability."""
    fav, ag, none = class_probs(label, scores)
    return fav - ag, max(fav, ag, none)


def stance_label(score: float, threshold: float = LABEL_THRESHOLD) -> str:
    """favor if score >= +threshold, against if <= -threshold, else none."""
    if score >= threshold:
        return "favor"
    if score <= -threshold:
        return "against"
    return "none"


def weighted_mean(pairs: list[tuple[float, float]]) -> float:
    """Weighted mean of (value, weight) pairs; 0.0 when the weights sum to zero."""
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total > 0 else 0.0
