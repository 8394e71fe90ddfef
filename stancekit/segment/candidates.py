"""The one interface every quote extractor returns: candidate spans with their cue and speaker mention.

Rule extractors live in `rules.py`; a learned span tagger can yield the same `Candidate`s and
reuse the speaker resolution unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass

from stancekit.segment.mentions import Mention


@dataclass
class Candidate:
    start: int
    end: int
    kind: str                      # direct | indirect | mixed
    cue: tuple[int, int] | None = None
    speaker: Mention | None = None
    coordinated: bool = False      # speaker is the clause's earlier subject ("..., and insisted")
    floating: bool = False         # continues the previous speaker (no cue of its own)
    anchor: int = -1               # offset where the speaker is resolved (cue or quote start)
