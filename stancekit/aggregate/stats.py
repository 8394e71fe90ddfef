"""Vectorised confidence-weighted stance summaries over any grouping of the quotes table.

Profiles, time periods and outlets differ only in their group keys; the score, interval and label
rule live here once. The interval is a weighted normal approximation (no resampling, so it is
deterministic and fast): each quote is a draw of its true stance X in {+1, 0, -1}, whose variance
has two parts, the spread of the quote scores around the mean (between quotes, unbiased, with
Kish's effective sample size n_eff = (sum w)^2 / sum w^2) and the model's own uncertainty about
each quote, Var(X | quote) = P(favor) + P(against) - (P(favor) - P(against))^2 (averaged with the
weights). ci = score +- 1.96 * sqrt(variance / n_eff), clipped to [-1, 1]. One confident quote thus
gets a narrow-ish interval, one hesitant quote a wide one, and labels without probabilities
(certain) only their spread.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from stancekit.aggregate.scoring import LABEL_THRESHOLD

Z = 1.96  # two-sided 95 % normal quantile


def stance_labels(score, threshold: float = LABEL_THRESHOLD) -> np.ndarray:
    """Vectorised `scoring.stance_label`: favor / against / none per score."""
    score = np.asarray(score, dtype=float)
    return np.select([score >= threshold, score <= -threshold], ["favor", "against"], "none").astype(object)


def summarise(frame: pd.DataFrame, keys: list[str], threshold: float = LABEL_THRESHOLD) -> pd.DataFrame:
    """score, ci_low, ci_high, label, n_quotes per group of a `quotes_frame` (already filtered).

    Returns one row per group, keys as columns, sorted by the keys.
    """
    w, s = frame["weight"].to_numpy(float), frame["score"].to_numpy(float)
    pf, pa = frame["p_favor"].to_numpy(float), frame["p_against"].to_numpy(float)
    parts = pd.DataFrame({"w": w, "ws": w * s, "wss": w * s * s, "w2": w * w,
                          "wvar": w * np.clip(pf + pa - (pf - pa) ** 2, 0, None)})
    for k in keys:
        parts[k] = frame[k].to_numpy()
    g = parts.groupby(keys, sort=True, observed=True).agg(
        sw=("w", "sum"), sws=("ws", "sum"), swss=("wss", "sum"), sw2=("w2", "sum"), swvar=("wvar", "sum"),
        n_quotes=("w", "size"))
    sw = g["sw"].to_numpy()
    safe = np.where(sw > 0, sw, 1.0)
    mean = np.where(sw > 0, g["sws"].to_numpy() / safe, 0.0)
    n_eff = np.where(g["sw2"].to_numpy() > 0, sw ** 2 / np.where(g["sw2"] > 0, g["sw2"], 1.0), 1.0)
    spread = np.clip(g["swss"].to_numpy() / safe - mean ** 2, 0, None)
    spread = np.where(n_eff > 1, spread * n_eff / np.maximum(n_eff - 1, 1e-12), 0.0)
    half = Z * np.sqrt((spread + g["swvar"].to_numpy() / safe) / n_eff)
    out = g[["n_quotes"]].reset_index()
    out.insert(len(keys), "score", mean)
    out.insert(len(keys) + 1, "ci_low", np.clip(mean - half, -1, 1))
    out.insert(len(keys) + 2, "ci_high", np.clip(mean + half, -1, 1))
    out.insert(len(keys), "label", stance_labels(mean, threshold))
    return out
