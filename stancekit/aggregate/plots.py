"""Plots of profiles and timelines with matplotlib (imported late; `pip install matplotlib`).

Without an `ax` and without a display, figures are drawn on a plain Agg canvas (no pyplot, no
global backend switch), so plotting works in headless jobs and never leaks open figures; with a
display, or once the user has imported pyplot (notebooks), pyplot figures are used so they show.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable

import numpy as np
import pandas as pd

from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.optional import require

CMAP = "RdBu"  # diverging: red = against (-1), white = none (0), blue = favor (+1)


def new_axes(figsize: tuple[float, float] = (6.4, 4.8)):
    """A fresh Axes: pyplot's where figures can be shown, else a headless Agg figure."""
    if "matplotlib.pyplot" in sys.modules or _has_display():
        plt = require("matplotlib.pyplot", "Plotting")

        return plt.subplots(figsize=figsize)[1]
    return headless_axes(figsize)


def headless_axes(figsize: tuple[float, float] = (6.4, 4.8)):
    """An Axes on its own Agg canvas, unknown to pyplot: nothing to close, safe in any thread."""
    require("matplotlib", "Plotting")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def plot_heatmap(data, ax=None, annotate: bool = True, targets: Iterable[str] | None = None,
                 gazetteer: Gazetteer | None = None, cmap: str = CMAP):
    """Actors x targets heatmap of profile scores on a fixed -1..1 diverging scale.

    Args:
        data: a `profile` table, or anything `profile` accepts (documents, quotes.jsonl path).
        ax: Axes to draw on (a new one otherwise).
        annotate: write score and quote count in each cell.

    Returns:
        The Axes (`ax.figure.savefig(...)` to save). Missing actor x target cells are blank.
    """
    prof = _profile_table(data, targets, gazetteer)
    scores = prof.pivot_table(index="actor", columns="target", values="score", aggfunc="first")
    counts = prof.pivot_table(index="actor", columns="target", values="n_quotes", aggfunc="first")
    if ax is None:
        ax = new_axes((3.5 + 1.5 * max(len(scores.columns), 1), 2.2 + 0.45 * max(len(scores), 1)))
    image = ax.imshow(np.ma.masked_invalid(scores.to_numpy(dtype=float)), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(scores.columns)), labels=list(scores.columns), rotation=30, ha="right")
    ax.set_yticks(range(len(scores.index)), labels=list(scores.index))
    if annotate:
        for (i, j), value in np.ndenumerate(scores.to_numpy(dtype=float)):
            if not np.isnan(value):
                ax.text(j, i, f"{value:+.2f}\nn={int(counts.iat[i, j])}", ha="center", va="center", fontsize=7,
                        color="white" if abs(value) > 0.6 else "black")
    tall = len(scores) > 12  # a tall map keeps its colour scale on top, in view
    ax.figure.colorbar(image, ax=ax, label="score: -1 against, +1 favor", location="top" if tall else "right",
                       fraction=0.02 if tall else 0.15, pad=0.01 if tall else 0.05)
    ax.set_title("Stance by actor and target")
    ax.figure.tight_layout()
    return ax


def plot_timeline(data, actor: str | Iterable[str] | None = None, target: str | None = None, freq: str = "W",
                  ax=None, top: int = 5, gazetteer: Gazetteer | None = None):
    """Stance score per period for one actor (or several) on one target, with 95 % intervals.

    Args:
        data: documents, a quotes.jsonl path or a `quotes_frame`.
        actor: an actor name, a list of names, or None for the `top` most quoted on `target`.
        target: the target id (the first one in the data when None).
        freq: "W" or "M" (see `stance_over_time`); periods flagged as shifts get a ring.

    Returns:
        The Axes.
    """
    from stancekit.aggregate.views import stance_over_time

    table = stance_over_time(data, freq=freq, gazetteer=gazetteer)
    target = target or (sorted(table["target"].unique())[0] if len(table) else None)
    table = table[table["target"] == target]
    if actor is None:
        actors = list(table.groupby("actor")["n_quotes"].sum().sort_values(ascending=False, kind="stable").index[:top])
    else:
        actors = [actor] if isinstance(actor, str) else list(actor)
    ax = ax if ax is not None else new_axes((8, 4))
    for name in actors:
        rows = table[table["actor"] == name]
        line, = ax.plot(rows["period"], rows["score"], marker="o", label=name)
        ax.fill_between(rows["period"], rows["ci_low"], rows["ci_high"], color=line.get_color(), alpha=0.08)
        shifts = rows[rows["shift"]]
        ax.scatter(shifts["period"], shifts["score"], s=140, facecolors="none", edgecolors=line.get_color())
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("stance score")
    period = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}.get(freq.upper()[:1], "period")
    ax.set_title(f"{target or 'no target'}: stance per {period}")
    if actors:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.figure.autofmt_xdate()
    ax.figure.tight_layout()
    return ax


def _profile_table(data, targets, gazetteer) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame) and "n_documents" in data.columns:
        return data if targets is None else data[data["target"].isin(list(targets))]
    from stancekit.aggregate.profiles import profile

    return profile(data, targets=targets, gazetteer=gazetteer)


def _has_display() -> bool:
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
