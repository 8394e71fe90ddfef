"""Paragraphs and sentences with offsets into the original string (no tokenizer needed)."""
from __future__ import annotations

import re
from typing import Iterator

_ABBREV = frozenset("""mr mrs ms dr st sen rep gov gen col lt sgt prof jr sr inc corp co ltd no vs etc rev
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m i.e e.g approx dept est fig
""".split())
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9\u00C0-\u024F])|\n+")


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped of surrounding spaces."""
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of sentences within text[start:end]; newlines always end a sentence."""
    end = len(text) if end is None else end
    out, s = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group().startswith("\n"):
            cut = m.start()
        else:
            word = re.search(r"([\w.]+)[.!?…]*$", text[max(start, m.start() - 12):m.start() + 1])
            w = word.group(1).lower().rstrip(".") if word else ""
            if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                continue
            cut = m.end()
        if text[s:cut].strip():
            out.append(_strip(text, s, cut))
        s = m.end()
    if text[s:end].strip():
        out.append(_strip(text, s, end))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def is_markup_line(line: str) -> bool:
    """Image or link lines of scraped articles (`![alt](url)`), which never hold speech."""
    line = line.strip()
    return line.startswith("![") or bool(re.fullmatch(r"\[?https?://\S+\]?", line))
