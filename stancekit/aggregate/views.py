"""Time and outlet views: how an actor's stance moves between periods and differs between outlets.

Same scoring as the profile table (`stats.summarise`), grouped by period or by source. A `shift`
marks where the stance flips (favor <-> against) or the score moves by more than a threshold since
the actor's previous period with quotes on that target; periods without quotes are not filled in.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from stancekit.aggregate.frames import quotes_frame, usable
from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.stats import summarise

SHIFT_THRESHOLD = 0.3
"""Score change (on the [-1, 1] scale) that counts as a shift: 15 % of the range, larger than the
typical wobble between periods of an actor with a steady line, smaller than any favor/against flip."""
UNKNOWN_SOURCE = "(unknown)"
_FLIPS = {("favor", "against"), ("against", "favor")}


def stance_over_time(docs, freq: str = "W", threshold: float = SHIFT_THRESHOLD, by: str | None = None,
                     targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Stance per actor x target x period (weeks "W" or months "M"), with a `shift` flag.

    Args:
        docs: Documents, their dicts, a quotes.jsonl path, or a `quotes_frame`.
        freq: pandas period alias: "W" (weeks ending Sunday), "M", "Q" or "Y".
        threshold: score change since the previous period that sets `shift`.
        by: None, or "source" to split each actor's timeline per outlet.
        targets, gazetteer: as in `profile`.

    Returns:
        Columns actor, target, [source,] period (the period's first day), label, score, ci_low,
        ci_high, n_quotes, prev_score, shift. Undated documents are left out.
    """
    quotes = _quotes(docs, targets, gazetteer, by)
    quotes = quotes[quotes["date"].notna()]
    quotes = quotes.assign(period=quotes["date"].dt.to_period(freq).dt.start_time)
    keys = ["actor", "target"] + ([by] if by else [])
    table = summarise(quotes, keys + ["period"])
    return flag_shifts(table, keys, threshold)


def stance_by_outlet(docs, freq: str | None = None, threshold: float = SHIFT_THRESHOLD,
                     targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Stance per actor x target x outlet (`Document.source`).

    With `freq`, the per-outlet timeline (`stance_over_time(..., by="source")`). Without, one row
    per outlet with the actor's overall score beside it and `deviates`: the outlet's quotes flip
    the actor's label or move the score by more than `threshold` — a hint of selective quoting.
    Documents without a source count as "(unknown)".
    """
    if freq:
        return stance_over_time(docs, freq, threshold, by="source", targets=targets, gazetteer=gazetteer)
    quotes = _quotes(docs, targets, gazetteer, "source")
    table = summarise(quotes, ["actor", "target", "source"])
    docs_per = quotes.groupby(["actor", "target", "source"], observed=True)["doc_id"].nunique()
    table = table.merge(docs_per.rename("n_documents").reset_index(), on=["actor", "target", "source"], how="left")
    overall = summarise(quotes, ["actor", "target"])[["actor", "target", "label", "score"]]
    table = table.merge(overall.rename(columns={"label": "overall_label", "score": "overall_score"}),
                        on=["actor", "target"], how="left")
    flips = [pair in _FLIPS for pair in zip(table["overall_label"], table["label"])]
    table["deviates"] = np.asarray(flips, dtype=bool) | ((table["score"] - table["overall_score"]).abs() > threshold)
    return table


def flag_shifts(table: pd.DataFrame, keys: list[str], threshold: float = SHIFT_THRESHOLD) -> pd.DataFrame:
    """Add prev_score and shift to a per-period table, comparing each row with its group's previous one."""
    table = table.sort_values(keys + ["period"], kind="stable").reset_index(drop=True)
    grouped = table.groupby(keys, sort=False, observed=True)
    prev_score, prev_label = grouped["score"].shift(1), grouped["label"].shift(1)
    flips = np.asarray([pair in _FLIPS for pair in zip(prev_label, table["label"])], dtype=bool)
    moved = ((table["score"] - prev_score).abs() > threshold).to_numpy()
    table["prev_score"] = prev_score
    table["shift"] = prev_score.notna().to_numpy() & (flips | moved)
    return table


def _quotes(docs, targets, gazetteer, by: str | None) -> pd.DataFrame:
    quotes = usable(quotes_frame(docs, targets, gazetteer))
    if by == "source":
        quotes = quotes.assign(source=quotes["source"].fillna(UNKNOWN_SOURCE))
    return quotes
