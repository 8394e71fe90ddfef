"""Stance targets: a proposition that `favor` agrees with, plus keywords that say it is at issue.

The classifier reads the proposition, not the id, so a new target needs no retraining: define it
with one sentence (zero-shot). Definitions of the built-ins follow the project's gold format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence


@dataclass(frozen=True)
class Target:
    """A stance target.

    Example:
        >>> ceasefire = Target("ceasefire_now", "An immediate ceasefire should be agreed.",
        ...                    keywords=["ceasefire", "truce"])
    """

    id: str
    proposition: str
    keywords: list[str] | tuple[str, ...] = field(default_factory=tuple)
    description: str = ""

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise ValueError("Target id must be a non-empty string, e.g. Target('ceasefire_now', '...').")
        if not self.proposition or not self.proposition.strip():
            raise ValueError(f"Target {self.id!r} needs a proposition sentence that 'favor' agrees with.")
        object.__setattr__(self, "keywords", tuple(self.keywords))

    def mentioned_in(self, text: str) -> bool:
        """True when one of the keywords occurs in `text` (case-insensitive); True if none are set."""
        return not self.keywords or _keyword_pattern(self.keywords).search(text) is not None


def keyword_spans(text: str, keywords: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of the keywords' case-insensitive occurrences in `text`, the rule `mentioned_in` applies.

    >>> keyword_spans("NATO talks; the alliance", ["nato", "alliance"])
    [(0, 4), (16, 24)]
    """
    return [m.span() for m in _keyword_pattern(tuple(keywords)).finditer(text)] if keywords else []


@lru_cache(maxsize=256)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern per keyword set (longest first), built once: the gate runs for every quote."""
    return re.compile("|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)), re.IGNORECASE)


BUILTIN_TARGETS: dict[str, Target] = {
    "nato_membership": Target(
        "nato_membership",
        "Ukraine should become a member of NATO.",
        keywords=("nato", "alliance", "member", "join", "neutral", "non-align", "bloc", "accession", "article five",
                  "article 5", "allies", " ally", "allied", "invit", "admit", "irreversible", "north atlantic",
                  "enlargement", "door", "application"),
        description=(
            "favor: the speaker supports Ukraine joining NATO, now or eventually ('rightful place is in "
            "NATO', 'irreversible path'). against: opposes it, rules it out or demands neutrality. none: "
            "NATO is not at issue, or only NATO in another sense (spending, Article 5 for peacekeepers)."
        ),
    ),
    "peace_talks": Target(
        "peace_talks",
        "Negotiations to end the Russia-Ukraine war should go ahead.",
        keywords=("negotiat", "talk", "peace", "ceasefire", "truce", "deal", "table", "diplomac", "diplomat", "settlement",
                  "end the war", "end to this war", "dialogue", "sit down", "sitting down", "sit across", "bargain",
                  "agreement", "treaty", "delegation", "mediat", "summit", "conference", "meet", "envoy", "discuss",
                  "proposal", "solution", "freez", "halt", "guns"),
        description=(
            "favor: the speaker supports, welcomes, calls for or is preparing negotiations or a negotiated "
            "end to the war. against: rejects, dismisses or refuses negotiations. none: otherwise, including "
            "doubts about the other side's sincerity without rejecting talks."
        ),
    ),
}

DEFAULT_TARGETS = ("nato_membership", "peace_talks")


def resolve_targets(targets=None) -> list[Target]:
    """Turn ids and `Target` objects into a list of `Target`s, with a clear error for unknown ids."""
    if targets is None:
        targets = DEFAULT_TARGETS
    if isinstance(targets, (str, Target)):
        targets = [targets]
    out: list[Target] = []
    for t in targets:
        if isinstance(t, Target):
            out.append(t)
        elif isinstance(t, str) and t in BUILTIN_TARGETS:
            out.append(BUILTIN_TARGETS[t])
        else:
            known = ", ".join(sorted(BUILTIN_TARGETS))
            raise ValueError(f"Unknown target {t!r}: use one of {known} or define stancekit.Target(id, proposition).")
    ids = [t.id for t in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Duplicate target ids in {ids}.")
    return out
