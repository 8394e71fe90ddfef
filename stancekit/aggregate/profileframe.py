"""`ProfileFrame`: the profile table as a pandas DataFrame that also knows `.plot.heatmap()`.

A subclass rather than a registered accessor, because registering one would change every
DataFrame in the user's process (global state); the subclass only adds `heatmap` to the
normal plot accessor, so `prof.plot.bar(...)` and `prof.plot(...)` behave as in pandas.
"""
from __future__ import annotations

import pandas as pd


class ProfilePlot:
    """pandas' `DataFrame.plot` accessor plus `heatmap()`; everything else is delegated."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def heatmap(self, **kwargs):
        """Actors x targets heatmap of the scores (see `stancekit.aggregate.plot_heatmap`)."""
        from stancekit.aggregate.plots import plot_heatmap

        return plot_heatmap(self._frame, **kwargs)

    def _pandas(self):
        return pd.DataFrame(self._frame).plot

    def __call__(self, *args, **kwargs):
        return self._pandas()(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._pandas(), name)

    def __dir__(self):
        return sorted(set(dir(self._pandas())) | {"heatmap"})


class ProfileFrame(pd.DataFrame):
    """The table `stancekit.aggregate.profile` returns; a DataFrame in every other respect."""

    @property
    def _constructor(self):
        return ProfileFrame

    @property
    def plot(self) -> ProfilePlot:  # type: ignore[override]
        return ProfilePlot(self)
