"""Data for the sentiment model: NewsMTSC target pairs, quote-tone pairs, and the input format both share.

One cross-encoder serves two questions. Its first text says what is asked, its second text is
what is read:

* sentiment toward an actor: first text = the mention ("Judge Gorsuch"), second text = the
  sentence with the mention wrapped in `<t> … </t>` (plain characters the tokenizer knows);
* tone of a whole quote: first text = `TONE_QUERY`, second text = the quote, unmarked.

Example:
    >>> target_pair("Critics say Putin lied.", 12, 17)
    ('Putin', 'Critics say <t> Putin </t> lied.')
    >>> tone_pair("We will win.")
    ("the speaker's tone", 'We will win.')
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from stancekit.train import DOMAIN, REPO

LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
TONE_QUERY = "the speaker's tone"
MARK_OPEN, MARK_CLOSE = "<t> ", " </t>"
MAX_CHARS = 600  # a longer text is cut to a window around the mention (~128 tokens)

# NewsMTSC files under the data root. The paper trains on original/train.jsonl (byte-identical to
# upstream newsmtsc-rw/train.jsonl) and reports the 70% test parts of devtest_rw / devtest_mt.
NEWSMTSC = {
    "train": "sentiment/newsmtsc/original/train.jsonl",
    "dev_rw": "sentiment/newsmtsc/splits/newsmtsc-rw/dev.jsonl",
    "dev_mt": "sentiment/newsmtsc/splits/newsmtsc-mt/dev.jsonl",
    "test_rw": "sentiment/newsmtsc/splits/newsmtsc-rw/test.jsonl",
    "test_mt": "sentiment/newsmtsc/splits/newsmtsc-mt/test.jsonl",
}
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_DOMAIN = DOMAIN


def crop(text: str, start: int, end: int, max_chars: int = MAX_CHARS) -> tuple[str, int, int]:
    """Cut `text` to at most ~max_chars around [start, end), at spaces; returns the new text and offsets."""
    if len(text) <= max_chars:
        return text, start, end
    room = max(0, max_chars - (end - start))
    lo = max(0, start - room // 2)
    hi = min(len(text), end + (room - (start - lo)))
    lo = max(0, min(lo, hi - max_chars))
    if lo > 0:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut >= 0 else lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut >= 0 else hi
    return text[lo:hi], start - lo, end - lo


def mark(text: str, start: int, end: int, max_chars: int = MAX_CHARS) -> str:
    """The text (cropped around the mention if long) with the mention wrapped in `<t> … </t>`."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"Mention offsets ({start}, {end}) are not a non-empty span of a {len(text)}-char text.")
    text, start, end = crop(text, start, end, max_chars)
    return text[:start] + MARK_OPEN + text[start:end] + MARK_CLOSE + text[end:]


def target_pair(text: str, start: int, end: int) -> tuple[str, str]:
    """(first, second) texts asking the sentiment toward the mention text[start:end]."""
    return " ".join(text[start:end].split()), mark(text, start, end)


def tone_pair(text: str) -> tuple[str, str]:
    """(first, second) texts asking the tone of a whole quote."""
    return TONE_QUERY, text


def flatten_newsmtsc(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Batched `datasets.map` function: one row per sentence → one row per target."""
    out: dict[str, list[Any]] = {"text": [], "start": [], "end": [], "mention": [], "label": []}
    for sentence, targets in zip(batch["sentence_normalized"], batch["targets"]):
        for t in targets:
            out["text"].append(sentence)
            out["start"].append(int(t["from"]))
            out["end"].append(int(t["to"]))
            out["mention"].append(t["mention"])
            out["label"].append(POLARITY[float(t["polarity"])])
    return out


def load_newsmtsc(path: str | Path):
    """A NewsMTSC JSONL file as a `datasets.Dataset` with columns text, start, end, mention, label."""
    import datasets

    ds = datasets.load_dataset("json", data_files=str(path), split="train")
    return ds.map(flatten_newsmtsc, batched=True, remove_columns=ds.column_names)


def load_domain(path: str | Path, split: str):
    """Tone-labelled quotes (`text`, `sentiment`, `split`) of one split as a `datasets.Dataset`."""
    import datasets

    ds = datasets.load_dataset("json", data_files=str(path), split="train")
    ds = ds.filter(lambda r: r["split"] == split and r["sentiment"] in LABELS)
    return ds.select_columns(["text", "sentiment"]).rename_column("sentiment", "label")


def target_pairs(rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """(first texts, second texts, labels) from rows with text, start, end, label."""
    a, b, y = [], [], []
    for r in rows:
        x1, x2 = target_pair(r["text"], r["start"], r["end"])
        a.append(x1); b.append(x2); y.append(r["label"])
    return a, b, y


def tone_pairs(rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    """(first texts, second texts, labels) from rows with text and label."""
    rows = list(rows)
    return [TONE_QUERY] * len(rows), [r["text"] for r in rows], [r["label"] for r in rows]
