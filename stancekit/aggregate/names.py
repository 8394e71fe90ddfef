"""Name keys: one spelling-independent key per person, so the same actor matches across articles.

News spells names differently (Zelensky / Zelenskyy / Zelenskiy, "Mr Zelensky", "Ukrainian
President Volodymyr Zelensky"); a key folds case, diacritics, leading titles, initials and common
transliteration variants, and the display form keeps the original spelling without the title.
"""
from __future__ import annotations

import re
import unicodedata

# Head words of titles; "Ukrainian President X" drops everything up to the last one, if a name remains.
TITLE_WORDS = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady baroness baron king queen prince princess
president vice minister secretary chancellor premier general gen governor mayor senator sen rep
representative congressman congresswoman ambassador envoy spokesman spokeswoman spokesperson
commander chief admiral colonel col marshal pope cardinal archbishop bishop sheikh emir
""".split())
# Where the words after a "title" end in one of these, the whole string is an organisation, not a person.
ORG_HEADS = frozenset("""
assembly council staff office ministry department committee government party commission union court
bank army forces command administration cabinet parliament alliance organisation organization agency
""".split())
DETERMINERS = frozenset({"the", "a", "an"})
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae"})
_TOKEN = re.compile(r"[^\s()\[\]{},;:\"“”«»/]+")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: diacritics removed, punctuation dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def translit(token: str) -> str:
    """Collapse transliteration variants: y -> i, then a doubled final i (-iy, -yy, -yi, -ii, -ij) to one."""
    token = token.replace("y", "i")
    if len(token) > 3 and (token.endswith("ii") or token.endswith("ij")):
        token = token[:-1]
    return token


def tokens(name: str) -> list[tuple[str, str]]:
    """(original, folded) word pairs of a name, with leading articles and titles removed."""
    toks = [(t.strip("'’‘-"), fold(t)) for t in _TOKEN.findall(name)]
    toks = [(o, f) for o, f in toks if f]
    while toks and toks[0][1] in DETERMINERS:
        toks = toks[1:]
    cut = max((i for i, (_, f) in enumerate(toks) if f in TITLE_WORDS), default=-1)
    rest = toks[cut + 1:]
    if cut >= 0 and rest and rest[-1][1] not in ORG_HEADS:
        toks = rest
    return toks


def name_key(name: str) -> str:
    """Spelling-independent key: 'Mr Zelenskyy' and 'Zelensky' -> 'zelenski'; '' for no letters."""
    folded = [translit(f) for _, f in tokens(name)]
    full = [f for f in folded if len(f) > 1] or folded
    return " ".join(full)


def display_name(name: str) -> str:
    """The name as written, minus leading articles and titles: 'Secretary General (Mark) Rutte' -> 'Mark Rutte'."""
    toks = tokens(name)
    return " ".join(o for o, _ in toks) if toks else name.strip()


def is_shorter_form(short: str, full: str) -> bool:
    """True when key `short` is a shorter form of key `full`: same surname, its words in order within `full`."""
    s, f = short.split(), full.split()
    if not s or len(s) >= len(f) or s[-1] != f[-1]:
        return False
    it = iter(f)
    return all(word in it for word in s)
