"""A user gazetteer: canonical people, their aliases, organisation and roles held over time.

Articles often quote an office rather than a person ("the Defence Secretary said"); who that is
depends on the date, so roles carry date ranges and are resolved against each document's date.
Files are YAML or CSV (see `load_gazetteer`); everything here is immutable and built once.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from stancekit.aggregate.names import name_key
from stancekit.aggregate.optional import require


@dataclass(frozen=True)
class Role:
    """An office held from `start` to `end` (ISO dates, inclusive; None = open-ended)."""

    title: str
    start: str | None = None
    end: str | None = None

    def active(self, date: str | None) -> bool:
        """True when the role was held on `date` (always true for an undated document)."""
        if not date:
            return True
        day = str(date)[:10]
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    """One gazetteer entry: the canonical name every alias and role resolves to."""

    name: str
    aliases: tuple[str, ...] = ()
    organisation: str | None = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Lookup of people by name, alias or (role, date)."""

    people: tuple[Person, ...] = field(default_factory=tuple)

    @cached_property
    def _by_key(self) -> dict[str, Person]:
        out: dict[str, Person] = {}
        for p in self.people:
            for form in (p.name, *p.aliases):
                out.setdefault(name_key(form), p)
        out.pop("", None)
        return out

    @cached_property
    def _by_name(self) -> dict[str, Person]:
        return {p.name: p for p in self.people}

    def person(self, name: str) -> Person | None:
        """The entry whose name or alias has the same key as `name`."""
        return self._by_key.get(name_key(name))

    @cached_property
    def _roles(self) -> list[tuple[list[str], Role, Person]]:
        return [(name_key(r.title).split(), r, p) for p in self.people for r in p.roles]

    def role_matches(self, role: str) -> list[tuple[bool, Role, Person]]:
        """(exact, role, person) for every role `role` may name, whatever the date.

        "the Defence Secretary" matches a role "UK Defence Secretary" (a word-suffix of it,
        exact=False), but "the US Defence Secretary" does not match a role "Defence Secretary": a
        qualifier the role lacks may name another country's office, so list such variants as
        roles. Resolving many dates of one string? Call this once, then `pick_holder`.
        """
        want = name_key(role).split()
        if not want:
            return []
        return [(have == want, r, p) for have, r, p in self._roles
                if have and (have == want or _suffix(want, have))]

    def holder(self, role: str, date: str | None = None) -> Person | None:
        """Who held `role` on `date`; None when nobody or more than one person matches."""
        return pick_holder(self.role_matches(role), date)

    def resolve(self, name: str, date: str | None = None) -> Person | None:
        """A name or alias first, then a role held on `date`."""
        return self.person(name) or self.holder(name, date)

    def organisation(self, name: str) -> str | None:
        """The organisation of the person called `name` (canonical or alias), if listed."""
        p = self._by_name.get(name) or self.person(name)
        return p.organisation if p else None


def pick_holder(matches: list[tuple[bool, Role, Person]], date: str | None) -> Person | None:
    """The one person among `matches` active on `date`; exact title matches beat suffix matches.

    Ties are left unresolved (None) rather than guessed: two people holding matching offices on
    the same day means the string does not say which one spoke.
    """
    active = [(exact, p) for exact, r, p in matches if r.active(date)]
    exact = {p.name: p for e, p in active if e}
    found = exact or {p.name: p for _, p in active}
    return next(iter(found.values())) if len(found) == 1 else None


def _suffix(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and long[-len(short):] == short


def load_gazetteer(path: str | Path) -> Gazetteer:
    """Read a gazetteer from YAML (.yaml/.yml) or CSV (.csv).

    YAML: a list of entries (or a mapping name -> entry) with keys name, aliases, organisation and
    roles, each role {role, start, end}::

        - name: John Healey
          aliases: [Healey, Mr Healey]
          organisation: UK Government
          roles: [{role: UK Defence Secretary, start: 2024-07-05}]

    CSV: columns name, aliases (separated by ';'), organisation, role, start, end; one row per
    role, rows with the same name are merged.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Gazetteer {path} not found: pass a .yaml or .csv file (see load_gazetteer's docstring).")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return Gazetteer(tuple(_from_yaml(path)))
    if suffix == ".csv":
        return Gazetteer(tuple(_from_csv(path)))
    raise ValueError(f"Gazetteer {path}: use a .yaml, .yml or .csv file.")


def _from_yaml(path: Path) -> list[Person]:
    yaml = require("yaml", "A YAML gazetteer")

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        data = data.get("people") or [dict(v or {}, name=k) for k, v in data.items()]
    return [_person(e) for e in data]


def _from_csv(path: Path) -> list[Person]:
    merged: dict[str, dict[str, Any]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            name = row.get("name") or row.get("canonical")
            if not name:
                continue
            entry = merged.setdefault(name, {"name": name, "aliases": [], "roles": []})
            entry["aliases"] += [a for a in _split(row.get("aliases", "")) if a not in entry["aliases"]]
            entry["organisation"] = entry.get("organisation") or row.get("organisation") or row.get("organization")
            if row.get("role"):
                entry["roles"].append({"role": row["role"], "start": row.get("start"), "end": row.get("end")})
    return [_person(e) for e in merged.values()]


def _person(e: dict[str, Any]) -> Person:
    name = e.get("name") or e.get("canonical")
    if not name:
        raise ValueError(f"Gazetteer entry {e!r} has no 'name'.")
    aliases = e.get("aliases") or []
    aliases = _split(aliases) if isinstance(aliases, str) else [str(a) for a in aliases]
    roles = [_role(r) for r in e.get("roles") or []]
    org = e.get("organisation") or e.get("organization") or e.get("org")
    return Person(str(name), tuple(aliases), str(org) if org else None, tuple(roles))


def _role(r: dict[str, Any] | str) -> Role:
    if isinstance(r, str):
        return Role(r)
    title = r.get("role") or r.get("title")
    if not title:
        raise ValueError(f"Gazetteer role {r!r} has no 'role'.")
    return Role(str(title), _date(r.get("start") or r.get("from")), _date(r.get("end") or r.get("to")))


def _date(v: Any) -> str | None:
    return str(v)[:10] if v not in (None, "") else None


def _split(s: str) -> list[str]:
    return [a.strip() for a in s.replace("|", ";").split(";") if a.strip()]
