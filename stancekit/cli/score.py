"""`stancekit score INPUT -o OUT/`: analyse a collection, resumably.

Writes OUT/quotes.jsonl (one line per document: id, date, source and the Document's to_dict()),
OUT/errors.jsonl (every record that could not be read or analysed, and why) and, at the end,
OUT/profiles.csv and OUT/profiles.parquet. Lines are appended and flushed batch by batch; a run
killed midway resumes with the same command: records already in quotes.jsonl or errors.jsonl are
skipped and a half-written last line is cut off, so the result equals an uninterrupted run.
profiles.csv / profiles.parquet are written to a temporary file and moved into place.

Bad input never stops the run and is never dropped: each unreadable row, and each document on
which the pipeline raises, gets a line in errors.jsonl ({"record", "kind", "error"}; the kinds
are `stancekit.io.records.ERROR_KINDS`), and the end-of-run summary counts them by kind.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path


def add_parser(sub) -> None:
    from stancekit.io.records import MAX_CHARS

    p = sub.add_parser("score", help="analyse articles (.jsonl, .csv with id/text, or a folder of .txt)")
    p.add_argument("input", help="a .jsonl/.csv file or a folder of .txt files")
    p.add_argument("-o", "--out", required=True, help="output folder")
    p.add_argument("--targets", nargs="*", default=None, help="built-in target ids (default: all built-ins)")
    p.add_argument("--no-stance", action="store_true", help="skip the stance model")
    p.add_argument("--no-sentiment", action="store_true", help="skip the sentiment model")
    p.add_argument("--device", default="auto", help="auto (cuda in fp16 if available), cpu or cuda")
    p.add_argument("--backend", default="torch", choices=("torch", "onnx"), help="model runtime on CPU")
    p.add_argument("--threads", type=int, default=None, help="CPU threads for the models (default: cores available)")
    p.add_argument("--batch-size", type=int, default=16, help="documents per model batch")
    p.add_argument("--stance-heads", default=None, choices=("never", "confident", "always"),
                   help="built-in targets from quote-minilm's stance heads, in the sentiment pass: always (the "
                        "default with the shipped models), where they are confident (the stance cross-encoder "
                        "answers the rest), or never (the cross-encoder for every pair, ~2x slower on CPU; "
                        "trade-offs in models/quote-minilm.md)")
    p.add_argument("--single-pass", action="store_true", help="same as --stance-heads always")
    p.add_argument("--n-process", type=int, default=1,
                   help="worker processes, each running the whole pipeline (on a GPU: ~1 per CPU core)")
    p.add_argument("--max-chars", type=int, default=MAX_CHARS, help="longer texts are reported, not analysed")
    p.add_argument("--restart", action="store_true", help="ignore earlier output in OUT and start over")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def _read_lines(path: Path) -> list[dict]:
    """The JSON lines of an output file; cuts off a partial last line left by a killed run."""
    if not path.exists():
        return []
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with open(path, "r+b") as fh:
            fh.truncate(len(data))
    rows = []
    for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                raise ValueError(f"{path} line {n} is not valid JSON; repair it or rerun with --restart") from None
    return rows


def _done_ids(path: Path, key: str = "id") -> set[str]:
    """Ids already written to an output file (a partial last line is cut off)."""
    return {str(r[key]) for r in _read_lines(path)}


def _done_errors(path: Path) -> tuple[Counter, set[str]]:
    """Errors already written, as a multiset of (record, kind, error), and the ids that failed analysis."""
    rows = _read_lines(path)
    done = Counter((str(r.get("record")), r.get("kind", ""), r.get("error", "")) for r in rows)
    failed = {str(r.get("record")) for r in rows if r.get("kind") == "analysis_failed"}
    return done, failed


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
    if not Path(args.input).exists():
        print(f"stancekit score: no such input {args.input} (give a .jsonl or .csv file or a folder of .txt files)",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    qpath, epath = out / "quotes.jsonl", out / "errors.jsonl"
    if args.restart:
        for p in (qpath, epath):
            p.unlink(missing_ok=True)
    try:
        done = _done_ids(qpath, "id")
        done_errors, failed_ids = _done_errors(epath)
    except ValueError as exc:
        print(f"stancekit score: {exc}", file=sys.stderr)
        return 2
    nlp = load(args.targets, stance=False if args.no_stance else "auto",
               sentiment=False if args.no_sentiment else "auto", device=args.device, batch_size=args.batch_size,
               backend=args.backend, num_threads=args.threads, max_chars=args.max_chars,
               n_process=args.n_process, single_pass=args.single_pass,
               stance_heads=args.stance_heads)
    kinds: Counter = Counter()
    n_ok = n_skip = 0
    with open(qpath, "a", encoding="utf-8") as qf, open(epath, "a", encoding="utf-8") as ef:
        bar = tqdm(desc="scoring", unit="doc", disable=args.quiet)
        batch: list = []   # (input position, Record)
        errs: list = []    # (input position, RecordError)

        def flush():
            nonlocal n_ok
            pipe_errors: list[RecordError] = []
            docs = list(nlp.pipe([r for _, r in batch], errors=pipe_errors)) if batch else []
            position = {r.id: i for i, r in batch}
            errs.extend((position.get(e.record, -1), e) for e in pipe_errors)
            errs.sort(key=lambda x: x[0])  # errors.jsonl in input order, however the run was cut
            _append(qf, [d.to_dict() for d in docs])
            _append(ef, [e.to_dict() for _, e in errs])
            n_ok += len(docs)
            kinds.update(e.kind or "other" for _, e in errs)
            bar.update(len(batch) + len(errs) - len(pipe_errors))
            batch.clear()
            errs.clear()

        for i, r in enumerate(iter_records(args.input, args.max_chars)):
            if isinstance(r, RecordError):
                key = (r.record, r.kind, r.error)
                if done_errors[key] > 0:  # written by an earlier run
                    done_errors[key] -= 1
                    n_skip += 1
                    continue
                errs.append((i, r))
            elif r.id in done or r.id in failed_ids:
                n_skip += 1
                continue
            else:
                batch.append((i, r))
            if len(batch) >= args.batch_size or len(errs) >= 8 * args.batch_size:
                flush()
        flush()
        bar.close()
    _write_profiles(qpath, out)
    n_err = sum(kinds.values())
    summary = {"documents": n_ok, "errors": n_err, "error_kinds": dict(sorted(kinds.items())),
               "skipped_already_done": n_skip, "out": str(out)}
    if n_err:
        listed = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        print(f"stancekit score: {n_err} record(s) not scored ({listed}); each is listed with its reason in {epath}",
              file=sys.stderr)
    print(json.dumps(summary), file=sys.stderr)
    return 0


def _write_profiles(qpath: Path, out: Path) -> None:
    """profiles.csv / .parquet, each written in a temporary folder and moved into place (atomic)."""
    try:
        from stancekit.aggregate import read_documents, write_profiles
    except ImportError:  # pragma: no cover
        return
    docs = read_documents(qpath)
    if not any(q.stance for d in docs for q in d.quotes):
        return
    tmp = Path(tempfile.mkdtemp(prefix=".profiles-", dir=out))
    try:
        for path in write_profiles(docs, tmp).values():
            os.replace(path, out / Path(path).name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
