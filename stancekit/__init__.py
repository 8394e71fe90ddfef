"""stancekit: who said what in political news, and where they stand.

Example:
    >>> import stancekit
    >>> doc = stancekit.analyze(text, doc_id="a1", date="2025-02-12")   # doctest: +SKIP
    >>> [(q.speaker, q.kind, q.stance["nato_membership"].label) for q in doc.quotes]  # doctest: +SKIP
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from stancekit.doc import Actor, Document, Label, Profile, Quote, Span
from stancekit.pipeline import Pipeline, load
from stancekit.targets import BUILTIN_TARGETS, Target

__version__ = "0.1.0"
__all__ = ["Actor", "BUILTIN_TARGETS", "Document", "Label", "Pipeline", "Profile", "Quote", "Span",
           "Target", "analyze", "analyze_many", "load", "profile", "plot_timeline", "to_graphml",
           "to_gexf", "write_report", "score_dataset"]


@lru_cache(maxsize=4)
def _default(targets: tuple) -> Pipeline:
    return load(list(targets) if targets else None)


def _key(targets) -> tuple:
    if targets is None:
        return ()
    if isinstance(targets, (str, Target)):
        targets = [targets]
    return tuple(targets)


def analyze(text: str, doc_id: str | None = None, date: str | None = None, source: str | None = None,
            targets: Iterable[str | Target] | None = None) -> Document:
    """Analyse one article with the default pipeline (built once per set of targets)."""
    return _default(_key(targets))(text, doc_id=doc_id, date=date, source=source)


def analyze_many(records: Any, targets: Iterable[str | Target] | None = None,
                 errors: list | None = None) -> list[Document]:
    """Analyse many records: dicts / DataFrame / `datasets.Dataset` with id, text, date, source."""
    return list(_default(_key(targets)).pipe(records, errors=errors))


def __getattr__(name: str):
    """Aggregation helpers, imported on first use so `import stancekit` stays fast."""
    if name in ("profile", "plot_timeline", "to_graphml", "to_gexf", "write_report"):
        from stancekit import aggregate

        return getattr(aggregate, name)
    if name == "score_dataset":
        from stancekit.io.datasets import score_dataset

        return score_dataset
    raise AttributeError(f"module 'stancekit' has no attribute {name!r}")
