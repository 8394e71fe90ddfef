"""Pair quotation marks into quoted spans. Marks are paired by type, strays are skipped, nothing raises.

A paragraph that opens a quote and never closes it, followed by a paragraph that opens with a
quotation mark, continues the same quote (the newspaper convention for multi-paragraph quotes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«\""
DOUBLE_CLOSE = "”»\""
SINGLE_OPEN = "‘'‹"
SINGLE_CLOSE = "’'›"
_PAIRS = {"“": "”", "„": "“”", "«": "»", '"': '"', "‘": "’", "'": "'’", "‹": "›"}


@dataclass(frozen=True)
class Quoted:
    """A quoted span: `start`/`end` delimit the content (marks excluded); `double` tells the mark type."""

    start: int
    end: int
    double: bool
    closed: bool = True
    open_mark: int = -1
    close_mark: int = -1


def _is_open(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace():
        return False
    return prev.isspace() or prev in "([{—–―-:;/“‘\"'" or i == 0


def _is_close(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace():
        return False
    return not (nxt.isalnum())


def find_quoted(text: str, start: int, end: int, double: bool) -> tuple[list[Quoted], int | None]:
    """Quoted spans of one paragraph; also the offset of a quote left open at the paragraph's end."""
    opens, closes = (DOUBLE_OPEN, DOUBLE_CLOSE) if double else (SINGLE_OPEN, SINGLE_CLOSE)
    out: list[Quoted] = []
    i, open_at = start, None
    while i < end:
        ch = text[i]
        if open_at is None:
            if ch in opens and _is_open(text, i) and (ch not in "\"'" or True):
                open_at = i
        else:
            if ch in _PAIRS.get(text[open_at], closes) and _is_close(text, i) and i > open_at + 1:
                out.append(Quoted(open_at + 1, i, double, True, open_at, i))
                open_at = None
            elif ch in opens and ch not in closes and _is_open(text, i) and double:
                open_at = i  # a stray opener before: restart from the later one
        i += 1
    return out, open_at


def quoted_spans(text: str, paras: list[tuple[int, int]]) -> list[Quoted]:
    """Double-quoted spans across paragraphs, merging multi-paragraph continuations."""
    out: list[Quoted] = []
    pending: int | None = None  # open mark of a quote running past its paragraph
    for ps, pe in paras:
        if pending is not None:
            if text[ps] in DOUBLE_OPEN:
                spans, left_open = find_quoted(text, ps, pe, True)
                if spans and spans[0].open_mark == ps:
                    first = spans[0]
                    out.append(Quoted(pending + 1, first.end, True, True, pending, first.close_mark))
                    out.extend(spans[1:])
                    pending = left_open
                    continue
                if not spans and left_open == ps:
                    continue  # another continuation paragraph
            out.append(Quoted(pending + 1, _prev_para_end(text, ps), True, False, pending, -1))
            pending = None
        spans, left_open = find_quoted(text, ps, pe, True)
        out.extend(spans)
        pending = left_open
    if pending is not None and paras:
        out.append(Quoted(pending + 1, paras[-1][1], True, False, pending, -1))
    return out


_NYT_OPEN = re.compile(r"(?<![^\s(\[—–―:;/-])''(?=[^\s'])")
_NYT_CLOSE = re.compile(r"(?<=[^\s'])''(?![\w'])")


def nyt_marks(text: str) -> str:
    """The same text with NYT doubled apostrophes (''…'') turned into straight double marks.

    The length and all other offsets are kept: an opening `''` becomes ` "`, a closing one `" `.
    """
    if "''" not in text:
        return text
    text = _NYT_OPEN.sub(' "', text)
    return _NYT_CLOSE.sub('" ', text)


def _prev_para_end(text: str, ps: int) -> int:
    e = ps
    while e > 0 and text[e - 1].isspace():
        e -= 1
    return e


def single_quoted(text: str, start: int, end: int) -> list[Quoted]:
    """Single-quoted spans (headline fragments, British style), skipping apostrophes."""
    return find_quoted(text, start, end, False)[0]
