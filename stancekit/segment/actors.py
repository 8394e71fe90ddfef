"""Canonical actors of one document: names merged to their fullest form, roles and pronouns resolved.

Resolution is positional: a pronoun or a bare role ("the president") refers to the most salient
matching actor before it — the latest speaker or sentence subject — as a reader would take it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from stancekit.doc import Actor, Span
from stancekit.segment.mentions import Mention, appositives, names_in, norm_name, parse_role


@lru_cache(maxsize=1)
def known_roles() -> dict[str, list[tuple[str, str, str | None, str | None]]]:
    """Built-in office holders (`stancekit/data/roles.json`): normalised name -> roles."""
    data = json.loads(resources.files("stancekit").joinpath("data/roles.json").read_text("utf-8"))
    return {norm_name(p["name"]): [tuple(r) for r in p["roles"]] for p in data["people"]}


def _in_office(frm: str | None, to: str | None, date: str | None) -> bool:
    if not date:
        return True
    d = date[:10]
    return (frm is None or frm <= d) and (to is None or d < to)


def role_matches(held: str, wanted: str) -> bool:
    """'defence secretary' matches 'defence secretary' and 'secretary'; 'leader' matches 'president'."""
    if not wanted:
        return False
    if held == wanted or held.endswith(" " + wanted) or wanted.endswith(" " + held):
        return True
    return wanted in ("leader", "head") and held in ("president", "prime minister", "chancellor", "leader")


@dataclass
class DocActors:
    """Actors of one document, built from its text and refined while quotes are attributed."""

    text: str
    date: str | None = None
    persons: dict[str, str] = field(default_factory=dict)        # surname key -> canonical
    first_seen: dict[str, int] = field(default_factory=dict)     # canonical -> offset
    bindings: list[tuple[str, str | None, str]] = field(default_factory=list)  # (role, country, canonical)
    salience: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, canonical, type)
    mentions: dict[str, list[Span]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._seen: dict[str, set[int]] = {}
        names = names_in(self.text)
        for m in sorted(names, key=lambda m: -len(m.key.split())):
            key = norm_name(m.key.split()[-1])
            if key not in self.persons:
                self.persons[key] = m.key
        for m in names:
            canon = self.person(m.key)
            self.first_seen.setdefault(canon, m.start)
            self._add_mention(canon, m, "person")
        for name, role in appositives(self.text):
            self.bind_role(role, self.person(name))
        known = known_roles()
        for canon in set(self.persons.values()):
            key = norm_name(canon)
            if key not in known:  # "Sybiha" alone: match the built-in "Andrii Sybiha" by surname
                full = [k for k in known if k.split()[-1] == key.split()[-1]]
                key = full[0] if len(full) == 1 else key
            for role, country, frm, to in known.get(key, ()):
                if _in_office(frm, to, self.date):
                    self.bindings.append((role, country, canon))

    def person(self, name: str) -> str:
        return self.persons.get(norm_name(name.split()[-1]), name)

    def _add_mention(self, canon: str, m: Mention, typ: str) -> None:
        seen = self._seen.setdefault(canon, set())
        if m.start not in seen:
            seen.add(m.start)
            self.mentions.setdefault(canon, []).append(Span(m.start, m.end, m.text))
        self.types.setdefault(canon, typ)

    def bind_role(self, role_phrase: str, canon: str) -> None:
        role, country = parse_role(role_phrase)
        if role:
            self.bindings.append((role, country, canon))

    def note_subject(self, pos: int, canon: str, typ: str) -> None:
        self.salience.append((pos, canon, typ))

    def resolve(self, m: Mention, pos: int, last_speaker: str | None = None) -> tuple[str, str] | None:
        """Canonical name and type ("person" | "organisation") of a speaker mention, or None."""
        if m.kind == "name":
            canon = self.person(m.key)
            self._add_mention(canon, m, "person")
            if m.text != m.key and m.text.endswith(m.key):  # "US defence secretary Pete Hegseth"
                self.bind_role(m.text[: -len(m.key)], canon)
            return canon, "person"
        if m.kind == "org":
            self._add_mention(m.key, m, "organisation")
            return m.key, "organisation"
        if m.kind == "pronoun":
            return self._pronoun(m.key, pos, last_speaker)
        if m.kind == "role":
            canon = self._role(m.text, pos)
            if canon is None:
                canon = m.text
                self.types.setdefault(canon, "person")
            self._add_mention(canon, m, self.types.get(canon, "person"))
            return canon, self.types.get(canon, "person")
        return None

    def _pronoun(self, pron: str, pos: int, last_speaker: str | None) -> tuple[str, str] | None:
        want = {"he": "person", "she": "person", "it": "organisation", "they": "organisation"}.get(pron)
        if want is None:
            return None
        for p, canon, typ in reversed(self.salience):
            if p < pos and typ == want:
                return canon, typ
        if want == "person" and last_speaker:
            return last_speaker, "person"
        return None

    def _role(self, phrase: str, pos: int) -> str | None:
        role, country = parse_role(phrase)
        matching = [(r, c) for r, k, c in self.bindings if role_matches(r, role) and (country is None or k in (None, country))]
        exact = {c for r, c in matching if r == role}
        cands = exact or {c for _, c in matching}
        if not cands:
            return None
        if len(cands) == 1:
            return next(iter(cands))
        for p, canon, _ in reversed(self.salience):
            if p < pos and canon in cands:
                return canon
        return min(cands, key=lambda c: abs(self.first_seen.get(c, 0) - pos))

    def actors(self, speakers: set[str]) -> list[Actor]:
        """Every person named in the document and every speaker, with their mentions in text order."""
        names = set(self.persons.values()) | speakers
        return [Actor(n, self.types.get(n, "person"), sorted(self.mentions.get(n, []), key=lambda s: s.start))
                for n in sorted(names, key=lambda n: self.first_seen.get(n, 10**9))]
