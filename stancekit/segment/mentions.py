"""Recognise the noun phrases that can be speakers: names, roles, organisations and pronouns.

Pure functions over (text, offsets); no tagger, so segmentation stays fast and import-light.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stancekit.segment.lexicon import ORG_ALIASES, ORG_HEADS, PRONOUNS, ROLE_HEADS, TITLES

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž"
NAME_TOKEN = rf"(?:(?:[{_UP}][’'](?=[{_UP}]))?[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:[-’'][{_UP}]?[{_LOW}]+)*|[{_UP}]{{2}}(?=\s+[{_UP}][{_LOW}])|[{_UP}]\.)"
PARTICLE = r"(?:von der|van der|von|van|de|da|del|der|bin|al-|el-|le|la)"
FULL_NAME = rf"{NAME_TOKEN}(?:\s+(?:{PARTICLE}\s+)?\(?{NAME_TOKEN}\)?){{0,3}}"
_TITLE_RE = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
TITLED_NAME = re.compile(rf"\b(?:{_TITLE_RE})\.?\s+(?P<name>{FULL_NAME})")
NAME_RE = re.compile(rf"(?<![\w’'])(?P<name>{FULL_NAME})")

NOT_NAME = frozenset("""The A An But And Or So Yet Meanwhile It He She They We I You His Her Their Its Our In On At As
After Before Following Giving Addressing Asked Opening Speaking While When Where Why How What Who This That These
Those There Here Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December Ukraine Ukraine’s Russia Nato NATO US UK EU
European American Russian Ukrainian British French German Polish Chinese Kremlin Washington Moscow Kyiv Kiev
Brussels London Paris Berlin Beijing Truth Social Group Defence Defense Secretary General Contact Summit Article
Five House White Street Downing Ministry Foreign Office Council Union Nations United States Kingdom Army Force Forces
Party Security Challenger Rolls Royce Submarines Cabinet Babcock Parliament Congress Senate Post Times News Press
Associated Reuters Getty Images PA AP AFP Black Sea Crimea Donbas God Prime Minister President Mr Mrs Ms Dr Sir
Common Sense Campaign Nations War World Europe Asia Africa North South East West Central Oval Office Capitol Hill
Government Commission Agency Department Committee Institute University Centre Center Council Court Bank Fund
Also However Despite Later Earlier Separately Speaking Asked Instead Afterwards Elsewhere Overall Indeed Although Though Instead Still Now Then Once Only Even If Since Until Unless Because Under
Over With Without Within Across Around Against Among Between Through During By For From Of To Into Onto Upon
Sen Rep Gov Gen Col Lt Sgt Prof Rev Reverend Rabbi Bishop Cardinal Sheriff
Unlike Like Besides Beside Beyond Amid Amidst Regarding Concerning Including Except Toward Towards Near Behind Via
Per Whether Perhaps Maybe Dear Thanks Throughout Alongside Outside Inside Upon Above Below Beneath Aboard
Everything Everyone Everybody Anything Anyone Anybody Nothing Nobody Something Someone Somebody Whatever Whoever
""".split())


@dataclass(frozen=True)
class Mention:
    """A possible speaker: `kind` is name | role | org | pronoun; `key` is the value used to resolve it."""

    start: int
    end: int
    text: str
    kind: str
    key: str


def norm_name(name: str) -> str:
    """Lower-case, strip diacritics and transliteration endings so Zelensky/Zelenskyy/Zelenskiy agree."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[()’'.]", "", s)
    s = re.sub(r"(iy|yy|yi|ii|ij)\b", "y", s)
    return " ".join(s.split())


def is_person_name(name: str, titled: bool = False) -> bool:
    toks = [t.strip("()") for t in name.split()]
    if not toks:
        return False
    if titled:
        return toks[0] not in NOT_NAME or len(toks) > 1
    if any(t in NOT_NAME for t in toks) or name.lower() in ORG_ALIASES:
        return False
    return len(toks) >= 2


def names_in(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Person-name mentions: titled ones ("Mr Healey") and multi-word capitalised names."""
    end = len(text) if end is None else end
    found: dict[int, Mention] = {}
    covered: set[int] = set()
    for m in TITLED_NAME.finditer(text, start, end):
        name = m.group("name").replace("(", "").replace(")", "")
        if is_person_name(name, titled=True):
            found[m.start("name")] = Mention(m.start(), m.end(), m.group(), "name", _clean(name))
            covered.update(range(m.start(), m.end()))
    for m in NAME_RE.finditer(text, start, end):
        s = m.start("name")
        if s in covered:
            continue
        name = m.group("name")
        if "\n" in name:  # a name never runs across a line break
            continue
        parts = list(re.finditer(r"\S+", name))
        k = 0
        while k < len(parts) and parts[k].group() in NOT_NAME:  # sentence-initial words glued to a name
            k += 1
        if k == len(parts):
            continue
        off = s + parts[k].start()
        cand = " ".join(x.group() for x in parts[k:])
        if is_person_name(cand):
            found[off] = Mention(off, s + len(name), text[off:s + len(name)], "name", _clean(cand))
    return sorted(found.values(), key=lambda x: x.start)


def _clean(name: str) -> str:
    name = re.sub(r"\s*\(sic\)", "", name)
    name = re.sub(r"[’']s$", "", " ".join(name.replace("(", "").replace(")", "").split()))
    toks = name.split()
    while len(toks) > 1 and toks[0] in NOT_NAME:
        toks = toks[1:]
    return " ".join(toks)


_DET = r"(?:the|his|her|their|its|a|an|one|another|Ukraine’s|Ukraine's|Russia’s|Russia's|America’s|America's|Britain’s|Britain's|Nato’s|Nato's|NATO’s|NATO's|[A-Z][a-z]+’s|[A-Z][a-z]+'s)"
_MOD = r"(?:[A-Za-z\-]+)"
_PRONOUN_RE = re.compile(r"\b(he|she|they|it|we|i)\b", re.I)

_COUNTRY_WORDS = {
    "uk": "United Kingdom", "british": "United Kingdom", "britain": "United Kingdom", "us": "United States",
    "u.s.": "United States", "american": "United States", "america": "United States", "white": "United States",
    "russian": "Russia", "russia": "Russia", "kremlin": "Russia", "moscow": "Russia", "ukrainian": "Ukraine",
    "ukraine": "Ukraine", "kyiv": "Ukraine", "french": "France", "france": "France", "german": "Germany",
    "germany": "Germany", "polish": "Poland", "poland": "Poland", "hungarian": "Hungary", "turkish": "Turkey",
    "chinese": "China", "china": "China", "nato": "NATO", "alliance": "NATO", "eu": "European Union",
    "european": "European Union", "italian": "Italy",
}
_ROLE_NORMAL = {"defense": "defence", "spokeswoman": "spokesman", "spokesperson": "spokesman",
                "secretary-general": "secretary general", "leader": "leader", "head": "leader"}


def parse_role(phrase: str) -> tuple[str, str | None]:
    """("the UK Defence Secretary") -> ("defence secretary", "United Kingdom")."""
    words = re.findall(r"[\w.\-]+", phrase.lower().replace("’s", "").replace("'s", ""))
    country = next((_COUNTRY_WORDS[w] for w in words if w in _COUNTRY_WORDS), None)
    if "kremlin" in words and "spokesman" in " ".join(words):
        country = "Russia"
    words = [_ROLE_NORMAL.get(w, w) for w in words if w not in _COUNTRY_WORDS and w not in
             ("the", "his", "her", "their", "its", "a", "an", "one", "another", "then", "former", "new", "top")]
    return " ".join(words), country


def org_key(phrase: str) -> str | None:
    low = phrase.lower().strip().replace("’s", "").replace("'s", "")
    if low in ORG_ALIASES:
        return ORG_ALIASES[low]
    words = low.split()
    if len(words) >= 2 and words[0] == "the" and words[-1] in ORG_HEADS:
        return " ".join(words[1:])
    if len(words) >= 2 and words[-1] in ORG_HEADS and re.match(r"[A-Z][a-z]+[’']s\s", phrase.strip()):
        return phrase.strip()  # "Ukraine’s presidential office": the owner names it
    return None


_ROLES_ALT = "|".join(sorted(ROLE_HEADS, key=len, reverse=True))
_ORGS_ALT = "|".join(re.escape(k) for k in sorted({a[4:] if a.startswith("the ") else a for a in ORG_ALIASES},
                                                   key=len, reverse=True))
_ORG_HEADS_ALT = "|".join(sorted(ORG_HEADS))
_GROUPS = "officials|sources|analysts|diplomats|experts|observers|critics|lawmakers|aides|negotiators"
_SUBJ_TAIL = re.compile(
    rf"(?:(?P<titled>\b(?:{_TITLE_RE})\.?\s+{FULL_NAME})"
    rf"|(?P<role>\b(?i:{_DET})\s+(?:{_MOD}\s+){{0,3}}?(?i:{_ROLES_ALT})(?:\s+\(?{FULL_NAME}\)?)?)"
    rf"|(?P<rolename>\b(?:(?!(?i:as|and|but|or|of|by|with|after|before|when|while|that|to|in|on|at|for|from|said|says)\b)[A-Za-z.\-]+\s+){{0,3}}(?i:{_ROLES_ALT})\s+(?:(?:{_TITLE_RE})\.?\s+)?{FULL_NAME})"
    rf"|(?P<org>\b(?i:(?:the\s+)?(?:{_ORGS_ALT}))|\b(?i:the)\s+[A-Za-z]+\s+(?i:{_ORG_HEADS_ALT})"
    # "Ukraine’s presidential office", "Russia's defence ministry"
    rf"|\b[A-Z][a-z]+[’']s\s+(?:[A-Za-z\-]+\s+){{0,2}}(?i:{_ORG_HEADS_ALT}))"
    rf"|(?P<group>\b(?:(?i:a|one|two|three|some|several|many)\s+)?(?:[A-Za-z\-]+\s+){{0,2}}(?:{_GROUPS}))"
    rf"|(?P<name>(?<![\w’']){FULL_NAME})"
    rf"|(?P<acro>(?<![\w’'])(?!I\b)[A-Z]{{2,5}}(?![\w’']))"
    rf"|(?P<pron>\b(?i:he|she|they|it|we|I)\b))\s*$")


_SUBJ_HEAD = re.compile(_SUBJ_TAIL.pattern[:-len(r"\s*$")] + r"(?![\w’'])")


def np_at_start(text: str, start: int, end: int) -> Mention | None:
    """The speaker-like noun phrase that starts exactly at `start` (a sentence subject)."""
    m = _SUBJ_HEAD.match(text, start, end)
    if not m:
        return None
    return classify_np(m.group(), m.start(), m.end(), m.lastgroup)


def np_at_end(text: str, start: int, end: int) -> Mention | None:
    """The speaker-like noun phrase that ends exactly at `end` (the subject right before a cue)."""
    seg = text[start:end]
    m = _SUBJ_TAIL.search(seg)
    if not m:
        return None
    s, e = start + m.start(), start + len(seg.rstrip())
    phrase = text[s:e]
    kind = m.lastgroup
    return classify_np(phrase, s, e, kind)


_LEADING_PREPS = frozenset("""after before unlike like besides with without for from of to in on at by as among
amid despite during following since until while when under over against between through into about""".split())


def classify_np(phrase: str, s: int, e: int, kind: str | None = None) -> Mention | None:
    low = phrase.lower()
    if kind == "pron" or low in PRONOUNS:
        return Mention(s, e, phrase, "pronoun", low)
    org = org_key(phrase)
    if org and kind in (None, "org", "name", "role"):
        return Mention(s, e, phrase, "org", org)
    if kind == "acro":  # "CNS reported", "NBC said": a news outlet or agency
        return Mention(s, e, phrase, "org", phrase)
    if kind == "group":
        lead = re.match(r"[A-Z][a-z]+\s+", phrase)
        if lead and lead.group().strip().lower() in _LEADING_PREPS:  # "After campaign aides insisted"
            phrase, s = phrase[lead.end():], s + lead.end()
        return Mention(s, e, phrase, "role", phrase)
    if kind == "titled":
        m = TITLED_NAME.search(phrase)
        return Mention(s, e, phrase, "name", _clean(m.group("name"))) if m else None
    if kind in ("role", "rolename"):
        name = re.search(rf"({FULL_NAME})\)?$", phrase)
        cleaned = _clean(name.group(1)) if name else ""
        if cleaned and cleaned.split()[0] not in NOT_NAME and is_person_name(cleaned, titled=kind == "rolename"):
            return Mention(s, e, phrase, "name", cleaned)
        if re.match(r"(?i)(the|his|her|their|its|a|an|one|another)\s", phrase) or "’s " in phrase or "'s " in phrase:
            return Mention(s, e, phrase, "role", phrase)
        return None
    if kind == "name":
        titled = re.search(rf"\b(?:{_TITLE_RE})\.?\s+({FULL_NAME})$", phrase)
        if titled and is_person_name(titled.group(1), titled=True):
            return Mention(s + titled.start(), e, titled.group(), "name", _clean(titled.group(1)))
        parts = list(re.finditer(r"\S+", phrase))
        k = 0
        while k < len(parts) and parts[k].group() in NOT_NAME:
            k += 1
        if k == len(parts) or "\n" in phrase[parts[k].start():]:
            return None
        toks = [x.group() for x in parts[k:]]
        off = s + parts[k].start()
        clean = " ".join(toks)
        if len(toks) == 1 and clean.lower() in ORG_ALIASES:
            return Mention(off, e, text_of(phrase, parts[k].start()), "org", ORG_ALIASES[clean.lower()])
        if not any(t in NOT_NAME for t in toks):
            return Mention(off, e, text_of(phrase, parts[k].start()), "name", _clean(clean))
    return None


def text_of(phrase: str, start: int) -> str:
    return phrase[start:]


def pronouns_in(text: str, start: int, end: int) -> list[Mention]:
    return [Mention(m.start(), m.end(), m.group(), "pronoun", m.group().lower())
            for m in _PRONOUN_RE.finditer(text, start, end)]


APPOSITIVE = re.compile(
    rf"(?P<name>{FULL_NAME}),\s+(?P<role>(?:(?i:the)\s+|[A-Z][\w’']*[’']s\s+)(?:[\w\-]+\s+){{0,3}}?(?i:{_ROLES_ALT}))\b"
    rf"|(?P<role2>\b(?i:the)\s+(?:[\w\-]+\s+){{0,3}}?(?i:{_ROLES_ALT})),\s+(?P<name2>{FULL_NAME})\s*,")


def appositives(text: str) -> list[tuple[str, str]]:
    """(name, role phrase) pairs: "Sybiha, Ukraine's foreign minister," / "the envoy, Steve Witkoff,"."""
    out = []
    for m in APPOSITIVE.finditer(text):
        name, role = (m.group("name"), m.group("role")) if m.group("name") else (m.group("name2"), m.group("role2"))
        name = _clean(name)
        if name and name.split()[0] not in NOT_NAME:
            out.append((name, role))
    return out
