"""`stancekit score INPUT -o OUT/`: analyse a collection, resumably.

Writes OUT/quotes.jsonl (one line per document: id, date, source and the Document's to_dict()),
OUT/errors.jsonl (every record that could not be read or analysed, and why) and, at the end,
OUT/profiles.csv and OUT/profiles.parquet. Lines are appended and flushed batch by batch; a run
killed midway resumes with the same command: records already in quotes.jsonl or errors.jsonl are
skipped and a half-written last line is cut off, so the result equals an uninterrupted run.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("score", help="analyse articles (.jsonl, .csv with id/text, or a folder of .txt)")
    p.add_argument("input", help="a .jsonl/.csv file or a folder of .txt files")
    p.add_argument("-o", "--out", required=True, help="output folder")
    p.add_argument("--targets", nargs="*", default=None, help="built-in target ids (default: all built-ins)")
    p.add_argument("--no-stance", action="store_true", help="skip the stance model")
    p.add_argument("--no-sentiment", action="store_true", help="skip the sentiment model")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("--batch-size", type=int, default=16, help="documents per model batch")
    p.add_argument("--restart", action="store_true", help="ignore earlier output in OUT and start over")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _done_ids(path: Path, key: str) -> set[str]:
    """Ids already written; truncates a partial last line left by a killed run."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with open(path, "r+b") as fh:
            fh.truncate(len(data))
    ids = set()
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            ids.add(str(json.loads(line)[key]))
    return ids


def _append(fh, rows: list[dict]) -> None:
    if rows:
        fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        fh.flush()
        os.fsync(fh.fileno())


def run(args) -> int:
    from tqdm.auto import tqdm

    from stancekit.io.records import RecordError, iter_records
    from stancekit.pipeline import load

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    qpath, epath = out / "quotes.jsonl", out / "errors.jsonl"
    if args.restart:
        for p in (qpath, epath):
            p.unlink(missing_ok=True)
    done = _done_ids(qpath, "id") | _done_ids(epath, "record")
    nlp = load(args.targets, stance=False if args.no_stance else "auto",
               sentiment=False if args.no_sentiment else "auto", device=args.device, batch_size=args.batch_size)
    n_ok = n_err = n_skip = 0
    with open(qpath, "a", encoding="utf-8") as qf, open(epath, "a", encoding="utf-8") as ef:
        bar = tqdm(desc="scoring", unit="doc", disable=args.quiet)
        batch, errs = [], []

        def flush():
            nonlocal n_ok, n_err
            docs = list(nlp.pipe([{"id": r.id, "text": r.text, "date": r.date, "source": r.source} for r in batch]))
            _append(qf, [d.to_dict() for d in docs])
            _append(ef, [e.to_dict() for e in errs])
            n_ok += len(docs); n_err += len(errs)
            bar.update(len(docs) + len(errs))
            batch.clear(); errs.clear()

        for r in iter_records(args.input):
            key = r.record if isinstance(r, RecordError) else r.id
            if key in done and not (isinstance(r, RecordError) and r.error.startswith("duplicate id")):
                n_skip += 1
                continue
            (errs if isinstance(r, RecordError) else batch).append(r)
            if len(batch) >= args.batch_size:
                flush()
        flush()
        bar.close()
    _write_profiles(qpath, out)
    summary = {"documents": n_ok, "errors": n_err, "skipped_already_done": n_skip, "out": str(out)}
    print(json.dumps(summary), file=sys.stderr)
    return 0


def _write_profiles(qpath: Path, out: Path) -> None:
    try:
        from stancekit.aggregate import read_documents, write_profiles
    except ImportError:  # pragma: no cover
        return
    docs = read_documents(qpath)
    if any(q.stance for d in docs for q in d.quotes):
        write_profiles(docs, out)
