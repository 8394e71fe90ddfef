"""Flat tables of quotes: the one place documents are unpacked, so every view aggregates alike.

`quotes_frame` has one row per quote x target with the per-quote score and weight already computed
(see `scoring`) and the speaker resolved to a cross-document actor; profiles, time and outlet
views, statements and networks all start from it with vectorised pandas operations.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from stancekit.aggregate.actors import resolve_actors
from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.scoring import class_probs
from stancekit.doc import Document

QUOTE_COLUMNS = ["doc_id", "date", "source", "quote", "start", "end", "text", "kind", "speaker", "actor",
                 "target", "label", "p_favor", "p_against", "p_none", "score", "weight"]
SENTIMENT_COLUMNS = ["doc_id", "date", "source", "quote", "start", "end", "text", "actor", "toward", "label",
                     "p_negative", "p_neutral", "p_positive", "score", "weight"]


def read_documents(path: str | Path) -> list[Document]:
    """Documents from the JSONL that `stancekit score` writes (a file, or a folder holding quotes.jsonl)."""
    path = Path(path)
    if path.is_dir():
        path = path / "quotes.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `stancekit score` first, or pass its quotes.jsonl.")
    with path.open(encoding="utf-8") as fh:
        return [Document.from_dict(json.loads(line)) for line in fh if line.strip()]


def as_documents(data: Iterable[Document | dict[str, Any]] | Document | str | Path) -> list[Document]:
    """Documents from Documents, their dicts, or a quotes.jsonl path."""
    if isinstance(data, (str, Path)):
        return read_documents(data)
    if isinstance(data, (Document, dict)):
        data = [data]
    return [d if isinstance(d, Document) else Document.from_dict(d) for d in data]


def quotes_frame(docs, targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """One row per quote x target, with the quote's score and weight and its cross-document actor.

    Rows include quotes without a speaker (actor None) and abstained labels so callers can count
    them; aggregates drop both (see `usable`). Columns: see `QUOTE_COLUMNS`. score = P(favor) -
    P(against) and weight = max probability; labels without probabilities count as certain.
    A DataFrame passed in is returned as is (restricted to `targets`), so views can be chained.

    Args:
        docs: Documents, their dicts, or a quotes.jsonl path.
        targets: target ids to keep (all by default).
        gazetteer: optional `Gazetteer` for names and dated roles.
    """
    if isinstance(docs, pd.DataFrame):
        return docs if targets is None else docs[docs["target"].isin(list(targets))]
    keep = set(targets) if targets is not None else None
    rows: dict[str, list] = {c: [] for c in QUOTE_COLUMNS if c not in ("actor", "score", "weight")}
    for i, doc in enumerate(as_documents(docs)):
        doc_id = doc.id if doc.id is not None else f"doc{i}"
        for j, q in enumerate(doc.quotes):
            for target, lab in q.stance.items():
                if lab is None or (keep is not None and target not in keep):
                    continue
                fav, ag, none = class_probs(lab.label, lab.scores)
                for col, val in zip(rows, (doc_id, doc.date, doc.source, j, q.start, q.end, q.text, q.kind,
                                           q.speaker, target, lab.label, fav, ag, none)):
                    rows[col].append(val)
    frame = pd.DataFrame(rows)
    frame["date"] = parse_dates(frame["date"])
    frame["actor"] = resolve_actors(rows["speaker"], _iso_days(frame["date"]), gazetteer)
    frame["score"] = frame["p_favor"] - frame["p_against"]
    frame["weight"] = frame[["p_favor", "p_against", "p_none"]].max(axis=1)
    return frame[QUOTE_COLUMNS]


def sentiment_frame(docs, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """One row per quote x actor it expresses sentiment toward (`Quote.sentiment_toward`).

    Both the speaker and the actor spoken about are resolved together, so "Zelensky" as a speaker
    and as an object of criticism become the same node. score = P(positive) - P(negative).
    """
    rows: list[tuple] = []
    for i, doc in enumerate(as_documents(docs)):
        doc_id = doc.id if doc.id is not None else f"doc{i}"
        for j, q in enumerate(doc.quotes):
            for toward, lab in q.sentiment_toward.items():
                if lab is None or not q.speaker:
                    continue
                s = lab.scores or {lab.label: 1.0}
                neg, neu, pos = (float(s.get(k, 0.0)) for k in ("negative", "neutral", "positive"))
                rows.append((doc_id, doc.date, doc.source, j, q.start, q.end, q.text, q.speaker, toward,
                             lab.label, neg, neu, pos, pos - neg, max(neg, neu, pos)))
    frame = pd.DataFrame(rows, columns=SENTIMENT_COLUMNS)
    frame["date"] = parse_dates(frame["date"])
    days = _iso_days(frame["date"])
    names = resolve_actors(list(frame["actor"]) + list(frame["toward"]), days + days, gazetteer)
    frame["actor"], frame["toward"] = names[:len(frame)], names[len(frame):]
    return frame


def _iso_days(dates: pd.Series) -> list[str | None]:
    """YYYY-MM-DD per parsed date (None for NaT), the form gazetteer role ranges compare with."""
    return [d if isinstance(d, str) else None for d in dates.dt.strftime("%Y-%m-%d").tolist()]


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that count toward a stance: a resolved speaker and a non-abstained label."""
    return frame[frame["actor"].notna() & (frame["label"] != "abstain")]


def parse_dates(values: pd.Series) -> pd.Series:
    """Date strings -> naive UTC datetimes; ISO 8601 fast, other forms ("12 Feb 2025") via dateutil.

    Each distinct string is parsed once (a corpus has far fewer dates than quotes); unparseable
    values become NaT.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    uniq = pd.Series(pd.unique(values.dropna().astype(str)))
    parsed = pd.to_datetime(uniq, errors="coerce", utc=True, format="ISO8601")
    retry = parsed.isna()
    if retry.any():
        parsed[retry] = pd.to_datetime(uniq[retry], errors="coerce", utc=True, format="mixed")
    lookup = pd.Series(parsed.dt.tz_localize(None).to_numpy(), index=uniq.to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    keys = values.where(values.isna(), values.astype(str))
    return pd.Series(lookup.reindex(keys).to_numpy(), index=values.index).astype("datetime64[ns]")
