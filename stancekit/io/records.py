"""Read articles from JSONL, CSV, a folder of .txt files, dicts, a DataFrame or a `datasets.Dataset`.

Every input row becomes either a `Record` or a `RecordError` naming the row, the kind of problem
and what is wrong, so a batch run can report bad rows instead of crashing or dropping them
silently. Blank lines of a JSONL file are the only input that yields nothing.

Example:
    >>> rows = [{"id": "a", "text": "“No,” he said."}, {"id": "b", "text": " "}]
    >>> [type(r).__name__ for r in iter_records(rows)]
    ['Record', 'RecordError']
    >>> list(iter_records(rows))[1].kind
    'empty_text'
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

MAX_CHARS = 1_000_000
"""Longest accepted text (characters, ~150,000 words); longer ones are reported, not analysed."""
TEXT_KEYS = ("text", "body", "content")

ERROR_KINDS = {
    "invalid_utf8": "bytes that are not valid UTF-8",
    "malformed_json": "a line that is not valid JSON",
    "malformed_csv": "a CSV row that cannot be parsed or has the wrong number of fields",
    "csv_columns": "a CSV file without 'id' and 'text' columns",
    "not_an_object": "a row that is not an object / mapping",
    "missing_id": "no 'id'",
    "bad_id": "an 'id' that is not a string or integer",
    "missing_text": "no 'text' (or 'body', 'content')",
    "bad_text": "a 'text' that is not a string",
    "empty_text": "an empty or blank text",
    "too_long": f"a text over the length limit ({MAX_CHARS:,} characters by default)",
    "bad_field": "a 'date' or 'source' of the wrong type",
    "duplicate_id": "an id seen earlier in the input (the first is kept)",
    "unreadable": "a file that cannot be read",
    "analysis_failed": "the pipeline raised an exception on this document",
}
"""Every `RecordError.kind`, with what it means."""


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class RecordError:
    record: str      # the id if known, else "<file>:<line>" or "record <n>"
    error: str       # what is wrong, for a person
    kind: str = ""   # one of ERROR_KINDS, for counting

    def to_dict(self) -> dict[str, str]:
        return {"record": self.record, "kind": self.kind, "error": self.error}


def _bad_unicode(s: str) -> int:
    """Index of the first lone surrogate (an undecodable byte or a bad JSON escape), else -1."""
    try:
        s.encode("utf-8")
        return -1
    except UnicodeEncodeError as exc:
        return exc.start


def is_missing(v: Any) -> bool:
    """None, or how a DataFrame / Arrow table marks an empty cell (float NaN, pandas NA or NaT)."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(v, float) and v != v


def from_mapping(row: Any, where: str, max_chars: int = MAX_CHARS) -> Record | RecordError:
    """Validate one row (a mapping with id, text and optional date, source)."""
    if isinstance(row, Record):
        row = {"id": row.id, "text": row.text, "date": row.date, "source": row.source}
    if not isinstance(row, dict):
        return RecordError(where, f"expected an object with 'id' and 'text', got {type(row).__name__}",
                           "not_an_object")
    rid = row.get("id", row.get("doc_id"))
    if is_missing(rid) or (isinstance(rid, str) and not rid.strip()):
        return RecordError(where, "missing 'id'", "missing_id")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        return RecordError(where, f"'id' must be a string or integer, got {type(rid).__name__}", "bad_id")
    if isinstance(rid, str) and _bad_unicode(rid) >= 0:
        return RecordError(where, "'id' is not valid Unicode (undecodable bytes or a lone surrogate escape)",
                           "invalid_utf8")
    name = str(rid)
    text = next((row[k] for k in TEXT_KEYS if k in row and not is_missing(row[k])), None)
    if text is None:
        return RecordError(name, f"missing 'text' (expected one of {', '.join(TEXT_KEYS)})", "missing_text")
    if not isinstance(text, str):
        return RecordError(name, f"'text' must be a string, got {type(text).__name__}", "bad_text")
    if not text.strip():
        return RecordError(name, "empty text", "empty_text")
    if len(text) > max_chars:
        return RecordError(name, f"text has {len(text):,} characters, over the {max_chars:,} limit "
                                 "(split the document, or raise the limit: --max-chars / max_chars=)", "too_long")
    bad = _bad_unicode(text)
    if bad >= 0:
        return RecordError(name, f"text is not valid UTF-8 (undecodable byte or lone surrogate at character {bad})",
                           "invalid_utf8")
    if "\ufffd" in text and text.count("\ufffd") > max(3, len(text) // 200):
        return RecordError(name, "text is not valid UTF-8 (many replacement characters U+FFFD: it was decoded "
                                 "with the wrong encoding)", "invalid_utf8")
    meta = {}
    for key in ("date", "source"):
        v = row.get(key)
        v = None if is_missing(v) else v
        if v is not None and not isinstance(v, str):
            if hasattr(v, "isoformat") and not isinstance(v, type):
                v = v.isoformat()
            else:
                return RecordError(name, f"'{key}' must be a string, got {type(v).__name__}", "bad_field")
        if isinstance(v, str) and _bad_unicode(v) >= 0:
            return RecordError(name, f"'{key}' is not valid Unicode (lone surrogate escape)", "invalid_utf8")
        meta[key] = v or None
    return Record(name, text, **meta)


def _jsonl(path: Path, max_chars: int) -> Iterator[Record | RecordError]:
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path.name}:{n}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RecordError(where, f"invalid UTF-8 at byte {exc.start} of the line", "invalid_utf8")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(where, f"malformed JSON: {exc.msg} (column {exc.colno})", "malformed_json")
                continue
            except (ValueError, RecursionError) as exc:  # e.g. nesting too deep, huge integers
                yield RecordError(where, f"malformed JSON: {type(exc).__name__}: {str(exc)[:200]}", "malformed_json")
                continue
            yield from_mapping(row, where, max_chars)


def _csv(path: Path, max_chars: int) -> Iterator[Record | RecordError]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    # surrogateescape keeps undecodable bytes visible, so from_mapping reports them as invalid UTF-8
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            header, first_error = None, exc
        else:
            first_error = None
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        if not header or "text" not in header or "id" not in header:
            detail = f": {first_error}" if first_error else f", found {header}"
            yield RecordError(path.name, f"CSV needs 'id' and 'text' columns{detail}", "csv_columns")
            return
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RecordError(f"{path.name}:{line}", f"malformed CSV row: {exc}", "malformed_csv")
                continue
            where = f"{path.name}:{line}"
            if not fields or (len(fields) == 1 and not fields[0].strip() and len(header) > 1):
                continue  # a blank line
            if len(fields) != len(header):
                yield RecordError(where, f"malformed CSV row: {len(fields)} fields, the header has {len(header)}",
                                  "malformed_csv")
                continue
            yield from_mapping({k: (v if v != "" or k in TEXT_KEYS else None) for k, v in zip(header, fields)},
                               where, max_chars)


def _folder(path: Path, max_chars: int) -> Iterator[Record | RecordError]:
    for f in sorted(path.glob("*.txt")):
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RecordError(f.stem, f"{f.name}: invalid UTF-8 at byte {exc.start}", "invalid_utf8")
            continue
        except OSError as exc:
            yield RecordError(f.stem, f"{f.name}: cannot read: {exc}", "unreadable")
            continue
        yield from_mapping({"id": f.stem, "text": text}, f.name, max_chars)


def iter_records(source: str | Path | Iterable[Any], max_chars: int = MAX_CHARS) -> Iterator[Record | RecordError]:
    """Records from a path (.jsonl/.json lines, .csv, folder of .txt) or an iterable of rows.

    Rows may be dicts, `Record`s or plain strings (given ids "0", "1", …). Duplicate ids are
    reported as errors (the first occurrence is kept).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            rows = _folder(path, max_chars)
        elif path.suffix.lower() == ".csv":
            rows = _csv(path, max_chars)
        elif path.exists():
            rows = _jsonl(path, max_chars)
        else:
            raise FileNotFoundError(f"No such input: {path} (give a .jsonl or .csv file or a folder of .txt files)")
    else:
        rows = _rows(source, max_chars)
    seen: set[str] = set()
    for r in rows:
        if isinstance(r, Record):
            if r.id in seen:
                yield RecordError(r.id, "duplicate id (an earlier record has the same id; this one was not scored)",
                                  "duplicate_id")
                continue
            seen.add(r.id)
        yield r


def _rows(source: Any, max_chars: int) -> Iterator[Record | RecordError]:
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # pandas DataFrame
        source = source.to_dict("records")
    for n, row in enumerate(source):
        if isinstance(row, str):
            row = {"id": str(n), "text": row}
        yield from_mapping(row, f"record {n}", max_chars)
