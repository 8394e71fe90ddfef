"""The callable pipeline: segment quotes → classify stance and sentiment → per-document profiles.

`load()` builds it once (models load lazily on first use); `nlp(text)` analyses one article and
`nlp.pipe(records)` streams many, batching every quote of a batch of articles through each model.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterable, Iterator

from stancekit.doc import Document, Quote
from stancekit.io.records import Record, RecordError, iter_records
from stancekit.segment import segment
from stancekit.targets import Target, resolve_targets

CONTEXT_CHARS = 400


class Pipeline:
    """Analyse articles. Build with `stancekit.load()`.

    Args:
        targets: built-in target ids and/or `Target`s (default: nato_membership, peace_talks).
        stance: run the stance model ("auto": if its weights are installed, else warn and skip).
        sentiment: run the sentiment model (same rule).
        device: "auto", "cpu" or "cuda".
        batch_size: documents per model batch in `pipe`.
    """

    def __init__(self, targets: Iterable[str | Target] | None = None, stance: bool | str = "auto",
                 sentiment: bool | str = "auto", device: str = "auto", batch_size: int = 16,
                 stance_model: str | None = None, sentiment_model: str | None = None):
        self.targets = resolve_targets(targets)
        self.stance = stance
        self.sentiment = sentiment
        self.device = device
        self.batch_size = batch_size
        self.stance_model = stance_model
        self.sentiment_model = sentiment_model
        self._stance = self._sentiment = None

    # -- models, loaded on first use ------------------------------------------------------------
    def _model(self, kind: str):
        attr = f"_{kind}"
        if getattr(self, attr) is None:
            want = getattr(self, kind)
            if want is False:
                return None
            try:
                if kind == "stance":
                    from stancekit.classify.stance import StanceClassifier as cls
                else:
                    from stancekit.classify.sentiment import SentimentClassifier as cls
                setattr(self, attr, cls.load(getattr(self, f"{kind}_model"), device=self.device))
            except (FileNotFoundError, ImportError) as exc:
                if want is True:
                    raise
                warnings.warn(f"{kind} model unavailable, {kind} fields stay empty: {exc}", stacklevel=3)
                setattr(self, kind, False)
                return None
        return getattr(self, attr)

    # -- analysis -----------------------------------------------------------------------------
    def __call__(self, text: str, doc_id: str | None = None, date: str | None = None,
                 source: str | None = None) -> Document:
        if not isinstance(text, str):
            raise TypeError(f"analyze() needs the article text as a str, got {type(text).__name__}")
        doc = self._segment(Record(doc_id or "", text, date, source))
        doc.id = doc_id
        self._classify([doc])
        return doc

    def pipe(self, records: Iterable[Any] | str, errors: list | None = None) -> Iterator[Document]:
        """Analyse many records (dicts, DataFrame, Dataset, texts or a path), yielding Documents in order.

        Rows that cannot be read are appended to `errors` as `RecordError`s; without an `errors`
        list the first bad row raises ValueError naming it.
        """
        batch: list[Document] = []
        for r in iter_records(records):
            if isinstance(r, RecordError):
                if errors is None:
                    raise ValueError(f"record {r.record}: {r.error}")
                errors.append(r)
                continue
            batch.append(self._segment(r))
            if len(batch) >= self.batch_size:
                yield from self._classify(batch)
                batch = []
        if batch:
            yield from self._classify(batch)

    def _segment(self, r: Record) -> Document:
        quotes, actors = segment(r.text, r.date)
        return Document(text=r.text, id=r.id, date=r.date, source=r.source, quotes=quotes, actors=actors)

    def _classify(self, docs: list[Document]) -> list[Document]:
        quotes: list[tuple[Document, Quote]] = [(d, q) for d in docs for q in d.quotes]
        stance = self._model("stance") if quotes else None
        if stance is not None:
            items = [(q.text, d.text[max(0, q.start - CONTEXT_CHARS):q.start]) for d, q in quotes]
            for (_, q), labels in zip(quotes, stance.predict(items, self.targets)):
                q.stance = labels
        sentiment = self._model("sentiment") if quotes else None
        if sentiment is not None:
            for (_, q), lab in zip(quotes, sentiment.tone([q.text for _, q in quotes])):
                q.sentiment = lab
            slots, items = [], []
            for d, q in quotes:
                for name, s, e in mentioned_actors(d, q):
                    slots.append((q, name))
                    items.append((q.text, s - q.start, e - q.start))
            for (q, name), lab in zip(slots, sentiment.toward(items) if items else []):
                q.sentiment_toward[name] = lab
        if stance is not None:
            from stancekit.aggregate.document import document_profiles

            for d in docs:
                d.profiles = document_profiles(d, [t.id for t in self.targets])
        return docs


def mentioned_actors(doc: Document, q: Quote) -> list[tuple[str, int, int]]:
    """(actor, start, end) of the first mention of each actor inside a quote, its speaker excluded."""
    out = {}
    for a in doc.actors:
        if a.name == q.speaker:
            continue
        for m in a.mentions:
            if q.start <= m.start and m.end <= q.end:
                out.setdefault(a.name, (a.name, m.start, m.end))
                break
    return sorted(out.values(), key=lambda x: x[1])


def load(targets: Iterable[str | Target] | None = None, **kwargs) -> Pipeline:
    """Build the analysis pipeline. See `Pipeline` for the options.

    Example:
        >>> nlp = load(stance=False, sentiment=False)
        >>> doc = nlp("“We will never accept it,” Mr Smith said.")
        >>> doc.quotes[0].speaker
        'Smith'
    """
    return Pipeline(targets, **kwargs)
