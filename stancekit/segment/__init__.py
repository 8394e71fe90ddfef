"""Quote segmentation and speaker attribution: text in, attributed `Quote`s and `Actor`s out."""
from __future__ import annotations

from stancekit.doc import Actor, Quote, Span
from stancekit.segment.actors import DocActors
from stancekit.segment.candidates import Candidate
from stancekit.segment.rules import _sentence_subject, extract
from stancekit.segment.text import sentences

__all__ = ["segment", "Candidate"]


def segment(text: str, date: str | None = None) -> tuple[list[Quote], list[Actor]]:
    """Find the quotes of `text` and attribute each to a canonical actor of the document.

    Example:
        >>> quotes, actors = segment('“We will not give up,” Mr Healey said.')
        >>> quotes[0].text, quotes[0].speaker
        ('We will not give up,', 'Healey')
    """
    if not isinstance(text, str):
        raise TypeError(f"segment() needs a str, got {type(text).__name__}")
    layout, cands = extract(text)
    actors = DocActors(text, date)
    subjects = _subjects(text, layout)
    quotes: list[Quote] = []
    last_speaker: str | None = None
    events = sorted(cands, key=lambda c: c.anchor if c.anchor >= 0 else c.start)
    si = 0
    for c in events:
        pos = c.anchor if c.anchor >= 0 else c.start
        while si < len(subjects) and subjects[si][0] < pos:
            p, m = subjects[si]
            r = actors.resolve(m, p, last_speaker) if m.kind != "pronoun" else None
            if r:
                actors.note_subject(p, *r)
            si += 1
        speaker, mention = None, None
        if c.speaker is not None:
            r = actors.resolve(c.speaker, c.speaker.start, last_speaker)
            if r:
                speaker, typ = r
                mention = Span(c.speaker.start, c.speaker.end, c.speaker.text)
                actors.note_subject(pos, speaker, typ)
        elif c.floating:
            speaker = last_speaker
        if speaker and actors.types.get(speaker) == "person":
            last_speaker = speaker
        cue = Span(c.cue[0], c.cue[1], text[c.cue[0]:c.cue[1]]) if c.cue else None
        quotes.append(Quote(c.start, c.end, text[c.start:c.end], c.kind, speaker, mention, cue))
    quotes.sort(key=lambda q: q.start)
    return quotes, actors.actors({q.speaker for q in quotes if q.speaker})


def _subjects(text: str, layout) -> list[tuple[int, object]]:
    """Sentence subjects outside quotes, which make a person salient for later pronouns and roles."""
    out = []
    for ps, pe in layout.paras:
        for ss, se in sentences(text, ps, pe):
            if layout.quote_at(ss):
                continue
            m = _sentence_subject(text, ss, min(se, ss + 200))
            if m is not None:
                out.append((m.start, m))
    return out
