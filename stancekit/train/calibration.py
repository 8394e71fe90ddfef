"""Calibration shared by the training recipes: expected calibration error and the abstain rule."""
from __future__ import annotations

import numpy as np

ABSTAIN_GRID = np.round(np.arange(0.34, 0.605, 0.01), 2)
ABSTAIN_MAX_SHARE = 0.10


def ece(probs: np.ndarray, y_idx: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top class."""
    conf, pred = probs.max(1), probs.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs((pred[m] == y_idx[m]).mean() - conf[m].mean())
    return float(total)


def pick_abstain(probs: np.ndarray, y_idx: np.ndarray) -> float:
    """Abstain threshold on dev: the largest t in 0.34..0.60 such that the dev pairs whose top
    probability is under t are right less than half the time, and are at most 10% of dev.

    Below it, a label is more often wrong than right, so "abstain" (with scores kept) is the more
    useful output. 0.0 (never abstain) when no t qualifies.
    """
    conf, right = probs.max(1), probs.argmax(1) == y_idx
    best = 0.0
    for t in ABSTAIN_GRID:
        low = conf < t
        if low.any() and low.mean() <= ABSTAIN_MAX_SHARE and right[low].mean() < 0.5:
            best = float(t)
    return best
