"""Read articles from JSONL, CSV, a folder of .txt files, dicts, a DataFrame or a `datasets.Dataset`.

Every input row becomes either a `Record` or a `RecordError` naming the row and the problem, so a
batch run can report bad rows instead of crashing or dropping them silently.
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

MAX_CHARS = 2_000_000
TEXT_KEYS = ("text", "body", "content")


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class RecordError:
    record: str      # the id if known, else "<file>:<line>"
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"record": self.record, "error": self.error}


def from_mapping(row: Any, where: str) -> Record | RecordError:
    """Validate one row (a mapping with id, text and optional date, source)."""
    if not isinstance(row, dict):
        return RecordError(where, f"expected an object with 'id' and 'text', got {type(row).__name__}")
    rid = row.get("id", row.get("doc_id"))
    name = str(rid) if rid not in (None, "") else where
    if rid in (None, ""):
        return RecordError(where, "missing 'id'")
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        return RecordError(where, f"'id' must be a string or integer, got {type(rid).__name__}")
    text = next((row[k] for k in TEXT_KEYS if k in row), None)
    if text is None:
        return RecordError(name, f"missing 'text' (expected one of {', '.join(TEXT_KEYS)})")
    if not isinstance(text, str):
        return RecordError(name, f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        return RecordError(name, "empty text")
    if len(text) > MAX_CHARS:
        return RecordError(name, f"text has {len(text):,} characters, over the {MAX_CHARS:,} limit")
    if "\ufffd" in text and text.count("\ufffd") > max(3, len(text) // 200):
        return RecordError(name, "text is not valid UTF-8 (many undecodable bytes)")
    meta = {}
    for key in ("date", "source"):
        v = row.get(key)
        if v is not None and not isinstance(v, str):
            if hasattr(v, "isoformat"):
                v = v.isoformat()
            else:
                return RecordError(name, f"'{key}' must be a string, got {type(v).__name__}")
        meta[key] = v or None
    return Record(str(rid), text, **meta)


def _jsonl(path: Path) -> Iterator[Record | RecordError]:
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            where = f"{path.name}:{n}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RecordError(where, f"invalid UTF-8 at byte {exc.start}")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(where, f"malformed JSON: {exc.msg} (column {exc.colno})")
                continue
            yield from_mapping(row, where)


def _csv(path: Path) -> Iterator[Record | RecordError]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "text" not in reader.fieldnames or "id" not in reader.fieldnames:
            yield RecordError(path.name, f"CSV needs 'id' and 'text' columns, found {reader.fieldnames}")
            return
        for n, row in enumerate(reader, 2):
            if None in row:
                yield RecordError(f"{path.name}:{n}", "malformed CSV row: more fields than columns")
                continue
            yield from_mapping(dict(row), f"{path.name}:{n}")


def _folder(path: Path) -> Iterator[Record | RecordError]:
    for f in sorted(path.glob("*.txt")):
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RecordError(f.stem, f"{f.name}: invalid UTF-8 at byte {exc.start}")
            continue
        yield from_mapping({"id": f.stem, "text": text}, f.name)


def iter_records(source: str | Path | Iterable[Any]) -> Iterator[Record | RecordError]:
    """Records from a path (.jsonl/.json lines, .csv, folder of .txt) or an iterable of rows.

    Duplicate ids are reported as errors (the first occurrence is kept).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            rows = _folder(path)
        elif path.suffix.lower() == ".csv":
            rows = _csv(path)
        elif path.exists():
            rows = _jsonl(path)
        else:
            raise FileNotFoundError(f"No such input: {path} (give a .jsonl or .csv file or a folder of .txt files)")
    else:
        rows = _rows(source)
    seen: set[str] = set()
    for r in rows:
        if isinstance(r, Record):
            if r.id in seen:
                yield RecordError(r.id, "duplicate id (an earlier record has the same id; this one was not scored)")
                continue
            seen.add(r.id)
        yield r


def _rows(source: Any) -> Iterator[Record | RecordError]:
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # pandas DataFrame
        source = source.to_dict("records")
    for n, row in enumerate(source):
        if isinstance(row, str):
            row = {"id": str(n), "text": row}
        yield from_mapping(row, f"record {n}")
