"""The result model: one `Document` per article, with character spans into the original text.

Every offset indexes the exact string the user passed in, so `doc.text[q.start:q.end] == q.text`
always holds and results can be highlighted, re-joined with the source or aggregated later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A piece of the original text, by character offsets."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        return None if d is None else cls(int(d["start"]), int(d["end"]), str(d["text"]))


@dataclass
class Label:
    """A model's decision with its calibrated class probabilities.

    `label` is "abstain" where the top probability is under the model's abstain threshold; the
    scores are kept so users can apply their own threshold.
    """

    label: str
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "scores": {k: round(float(v), 4) for k, v in self.scores.items()}}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | str | None) -> "Label | None":
        if d is None:
            return None
        if isinstance(d, str):
            return cls(d, {})
        return cls(str(d["label"]), {k: float(v) for k, v in (d.get("scores") or {}).items()})


@dataclass
class Quote:
    """Attributed speech: the quoted or reported content, who said it and how it was introduced.

    kind is "direct" (all inside quotation marks), "indirect" (reported, no marks) or "mixed"
    (reported with quoted fragments). `speaker` is the canonical actor name, or None when the
    source could not be resolved (never guessed).
    """

    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_mention: Span | None = None
    cue: Span | None = None
    stance: dict[str, Label] = field(default_factory=dict)
    sentiment: Label | None = None
    sentiment_toward: dict[str, Label] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention.to_dict() if self.speaker_mention else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "stance": {t: lab.to_dict() for t, lab in self.stance.items()},
            "sentiment": self.sentiment.to_dict() if self.sentiment else None,
            "sentiment_toward": {a: lab.to_dict() for a, lab in self.sentiment_toward.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            text=str(d["text"]),
            kind=str(d.get("kind", "direct")),
            speaker=d.get("speaker"),
            speaker_mention=Span.from_dict(d.get("speaker_mention")),
            cue=Span.from_dict(d.get("cue")),
            stance={t: Label.from_dict(v) for t, v in (d.get("stance") or {}).items()},
            sentiment=Label.from_dict(d.get("sentiment")),
            sentiment_toward={a: Label.from_dict(v) for a, v in (d.get("sentiment_toward") or {}).items()},
        )

    def _repr_html_(self) -> str:
        """Notebook display: the quote with its speaker, cue and stance badges (see stancekit.display)."""
        from stancekit.display import quote_html

        return quote_html(self)


@dataclass
class Actor:
    """A canonical actor of one document: its fullest name form and every mention of it."""

    name: str
    type: str = "person"  # "person" | "organisation"
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "mentions": [m.to_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Actor":
        return cls(str(d["name"]), str(d.get("type", "person")),
                   [Span.from_dict(m) for m in d.get("mentions") or []])


@dataclass
class Profile:
    """An actor's overall stance toward one target within a document (or a collection).

    `score` is in [-1, 1]: the confidence-weighted mean of P(favor) - P(against) over the actor's
    non-abstained quotes. `evidence` lists the quotes behind it, strongest first.
    """

    actor: str
    target: str
    label: str
    score: float
    n_quotes: int
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "target": self.target, "label": self.label,
                "score": round(float(self.score), 4), "n_quotes": self.n_quotes, "evidence": self.evidence}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Profile":
        return cls(str(d["actor"]), str(d["target"]), str(d["label"]), float(d.get("score", 0.0)),
                   int(d.get("n_quotes", 0)), list(d.get("evidence") or []))


@dataclass
class Document:
    """One analysed article. Build it with `stancekit.analyze`; rebuild it with `from_dict`."""

    text: str
    id: str | None = None
    date: str | None = None
    source: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date,
            "source": self.source,
            "text": self.text,
            "quotes": [q.to_dict() for q in self.quotes],
            "actors": [a.to_dict() for a in self.actors],
            "profiles": [p.to_dict() for p in self.profiles],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        return cls(
            text=str(d["text"]),
            id=d.get("id"),
            date=d.get("date"),
            source=d.get("source"),
            quotes=[Quote.from_dict(q) for q in d.get("quotes") or []],
            actors=[Actor.from_dict(a) for a in d.get("actors") or []],
            profiles=[Profile.from_dict(p) for p in d.get("profiles") or []],
        )

    def actor(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)

    def _repr_html_(self) -> str:
        """Notebook display: the article with quotes, speakers, cues and stance badges marked (see stancekit.display)."""
        from stancekit.display import document_html

        return document_html(self)

    def __repr__(self) -> str:
        speakers = sorted({q.speaker for q in self.quotes if q.speaker})
        head = (self.text[:40] + "…") if len(self.text) > 40 else self.text
        return (f"Document(id={self.id!r}, {len(self.text)} chars, {len(self.quotes)} quotes, "
                f"speakers={speakers[:4]}{'…' if len(speakers) > 4 else ''}, text={head!r})")
