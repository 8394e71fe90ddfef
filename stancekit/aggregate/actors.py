"""Cross-document actors: one canonical name per person, however each article spelled it.

Within a document the speaker is already canonical; across documents "Zelensky", "Zelenskyy",
"Volodymyr Zelenskiy" and "Mr Zelensky" must still become one actor, or every profile splits.
Names are grouped by `names.name_key`, a bare surname joins the one fuller name that ends with it
(never when two fuller names share it: "Johnson" stays apart from Boris and Mike Johnson), and an
optional gazetteer fixes names, aliases and dated roles first.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from stancekit.aggregate.gazetteer import Gazetteer, pick_holder
from stancekit.aggregate.names import display_name, is_shorter_form, name_key


def resolve_actors(names: Sequence[str | None], dates: Sequence[str | None] | None = None,
                   gazetteer: Gazetteer | None = None) -> list[str | None]:
    """The cross-document canonical actor of each (name, date) pair.

    Args:
        names: speaker strings, one per quote (None stays None).
        dates: the documents' ISO dates, used to resolve roles ("the Defence Secretary") through
            the gazetteer; None when unknown.
        gazetteer: optional `Gazetteer`; its names win over the automatic merging.

    Returns:
        One name per input: the gazetteer's canonical name, else the fullest form seen among the
        merged spellings (most words, then most frequent, then alphabetical), without titles.

    Example:
        >>> resolve_actors(["Zelensky", "Volodymyr Zelenskiy", "Mr Zelensky", "Donald Trump"])
        ['Volodymyr Zelenskiy', 'Volodymyr Zelenskiy', 'Volodymyr Zelenskiy', 'Donald Trump']
    """
    dates = list(dates) if dates is not None else [None] * len(names)
    pairs = [(n, _day(d)) for n, d in zip(names, dates)]
    fixed = _gazetteer_names(dict.fromkeys(p for p in pairs if p[0] is not None), gazetteer)
    counts = Counter(n for n, d in pairs if n is not None and (n, d) not in fixed)
    anchors = [p.name for p in gazetteer.people] if gazetteer else []
    merged = merge_names(counts, anchors)
    return [None if n is None else fixed.get((n, d)) or merged[n] for n, d in pairs]


def merge_names(counts: dict[str, int] | Iterable[str], anchors: Iterable[str] = ()) -> dict[str, str]:
    """Map each name to the display form of its group; `anchors` (gazetteer names) are kept verbatim.

    >>> merge_names(["Zelensky", "Volodymyr Zelensky", "Johnson", "Boris Johnson", "Mike Johnson"])["Johnson"]
    'Johnson'
    """
    counts = Counter(counts) if not isinstance(counts, dict) else counts
    anchors = list(anchors)
    keys = {n: name_key(n) for n in [*counts, *anchors]}
    roots = _roots(set(keys.values()) - {""}, {keys[a] for a in anchors})
    members: dict[str, list[str]] = defaultdict(list)
    for n in counts:
        if keys[n]:
            members[roots[keys[n]]].append(n)
    display = {root: _fullest(names, counts) for root, names in members.items()}
    display.update({keys[a]: a for a in anchors if keys[a]})
    return {n: display[roots[keys[n]]] if keys[n] else n.strip() for n in counts}


def _day(date) -> str | None:
    """'YYYY-MM-DD' of an ISO date or datetime; None for None, NaN, NaT and ''."""
    if date is None or date != date or date == "":
        return None
    return str(date)[:10]


def _gazetteer_names(pairs: Iterable[tuple[str, str | None]], gazetteer: Gazetteer | None) -> dict:
    """(name, date) -> gazetteer canonical name, by alias first and dated role second."""
    if gazetteer is None:
        return {}
    out, people, roles = {}, {}, {}
    for name, date in pairs:
        if name not in people:
            people[name] = gazetteer.person(name)
        person = people[name]
        if person is None:
            if name not in roles:
                roles[name] = gazetteer.role_matches(name)
            person = pick_holder(roles[name], date)
        if person is not None:
            out[(name, date)] = person.name
    return out


def _roots(keys: set[str], anchor_keys: set[str]) -> dict[str, str]:
    """key -> the one fullest key it is a shorter form of (itself when none or ambiguous).

    Anchors (gazetteer names) are roots: they never merge into a longer automatic name.
    """
    by_surname: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_surname[k.split()[-1]].append(k)
    roots = {}
    for k in keys:
        if k in anchor_keys:
            roots[k] = k
            continue
        peers = by_surname[k.split()[-1]]
        fuller = [m for m in peers if is_shorter_form(k, m)]
        tops = [m for m in fuller if m in anchor_keys or not any(is_shorter_form(m, x) for x in peers)]
        anchored = [m for m in tops if m in anchor_keys]
        tops = anchored or tops
        roots[k] = tops[0] if len(tops) == 1 else k
    return roots


def _fullest(names: list[str], counts: dict[str, int]) -> str:
    """Most words, then most frequent, then alphabetical: deterministic and favours full names."""
    forms = Counter()
    for n in names:
        forms[display_name(n)] += counts[n]
    return sorted(forms, key=lambda f: (-len(f.split()), -forms[f], f))[0]
