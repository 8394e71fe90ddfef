"""Benchmark: aggregate 10,000 synthetic quotes (~1,000 documents, ~200 actors) into profiles.

Times `quotes_frame`, `profile` (from Documents and from a ready quotes table), the time view,
DNA statements, and the `stancekit profile` command path (read quotes.jsonl, aggregate, write CSV
and Parquet) in-process and as a fresh interpreter. Names are spelled in varying forms ("Olek
Varenko", "Mr Varenko", "Varenko") so the timing includes cross-document actor resolution.

    python benchmarks/bench_profile.py [--quotes 10000] [--report out.html]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from stancekit.doc import Document, Label, Quote

SYLLABLES = ["va", "ren", "ko", "mi", "sha", "lo", "dor", "ka", "te", "vin", "bro", "zel", "pet", "ru", "an", "gor"]
FIRST = ["Olek", "Anna", "Pavel", "Maria", "John", "Irina", "Mark", "Sofia", "Taras", "Elena", "David", "Yulia"]
TARGETS = ("nato_membership", "peace_talks")


def synthetic_documents(n_docs: int = 1000, n_quotes: int = 10_000, n_actors: int = 200, seed: int = 0) -> list[Document]:
    """Documents with quotes whose stance probabilities lean by actor; ~5 % abstain, ~3 % unattributed."""
    rng = np.random.default_rng(seed)
    surnames: list[str] = []
    while len(surnames) < n_actors:
        name = "".join(rng.choice(SYLLABLES, size=3)).capitalize()
        if name not in surnames:
            surnames.append(name)
    firsts = rng.choice(FIRST, size=n_actors)
    lean = rng.normal(0, 0.6, size=(n_actors, len(TARGETS)))
    doc_of_quote = np.sort(rng.integers(0, n_docs, size=n_quotes))
    actor_of_quote = np.minimum(rng.zipf(1.3, size=n_quotes) - 1, n_actors - 1)
    docs = [Document(text="", id=f"doc{i:05d}", date=f"2025-{1 + i * 6 // n_docs:02d}-{1 + i % 28:02d}",
                     source=f"Outlet {i % 12}") for i in range(n_docs)]
    for k in range(n_quotes):
        a = int(actor_of_quote[k])
        form = rng.integers(3)
        speaker = [f"{firsts[a]} {surnames[a]}", f"Mr {surnames[a]}", surnames[a]][form]
        if rng.random() < 0.03:
            speaker = None
        stance = {}
        for t, target in enumerate(TARGETS):
            p = rng.dirichlet(np.exp([lean[a, t], -lean[a, t], 0.3]) * 2)
            label = "abstain" if p.max() < 0.4 else ("favor", "against", "none")[int(p.argmax())]
            stance[target] = Label(label, {"favor": float(p[0]), "against": float(p[1]), "none": float(p[2])})
        toward = {}
        if rng.random() < 0.2:
            other = surnames[int(rng.integers(n_actors))]
            sp = rng.dirichlet([1, 1, 1])
            toward[other] = Label(("negative", "neutral", "positive")[int(sp.argmax())],
                                  dict(zip(("negative", "neutral", "positive"), map(float, sp))))
        doc = docs[int(doc_of_quote[k])]
        text = f"Quote {k} by {speaker or 'someone'} on the war."
        start = len(doc.text)
        doc.text += text + " "
        doc.quotes.append(Quote(start, start + len(text), text, "direct", speaker=speaker, stance=stance,
                                sentiment_toward=toward))
    return docs


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--quotes", type=int, default=10_000)
    ap.add_argument("--actors", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--report", help="also write (and time) an HTML report here")
    args = ap.parse_args(argv)

    from stancekit.aggregate import profile, quotes_frame, stance_over_time, statements
    from stancekit.cli import profile as profile_cmd

    t0 = time.perf_counter()
    docs = synthetic_documents(args.docs, args.quotes, args.actors)
    print(f"built {len(docs)} docs, {sum(len(d.quotes) for d in docs)} quotes in {time.perf_counter() - t0:.2f}s")
    results = {}
    results["quotes_frame(docs)"], frame = best_of(lambda: quotes_frame(docs), args.repeat)
    results["profile(docs)"], prof = best_of(lambda: profile(docs), args.repeat)
    results["profile(quotes_frame)"], _ = best_of(lambda: profile(frame), args.repeat)
    results["stance_over_time(frame, 'W')"], _ = best_of(lambda: stance_over_time(frame, "W"), args.repeat)
    results["statements(frame)"], _ = best_of(lambda: statements(frame), args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        jsonl = out / "quotes.jsonl"
        jsonl.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs), encoding="utf-8")
        parser = argparse.ArgumentParser()
        profile_cmd.add_parser(parser.add_subparsers())
        cli_args = parser.parse_args(["profile", str(jsonl), "-o", str(out / "p")])
        with contextlib.redirect_stdout(io.StringIO()):
            results["CLI profile, in-process (read+aggregate+write)"], _ = best_of(lambda: profile_cmd.run(cli_args), args.repeat)
        code = ("import argparse,sys;from stancekit.cli import profile as p;ap=argparse.ArgumentParser();"
                "p.add_parser(ap.add_subparsers());a=ap.parse_args(sys.argv[1:]);sys.exit(p.run(a))")
        cmd = [sys.executable, "-c", code, "profile", str(jsonl), "-o", str(out / "p2")]
        results["CLI profile, fresh interpreter"], _ = best_of(
            lambda: subprocess.run(cmd, check=True, capture_output=True), args.repeat)
        size = jsonl.stat().st_size / 1e6
    if args.report:
        from stancekit.aggregate import write_report

        results["write_report(frame)"], _ = best_of(lambda: write_report(frame, args.report), 1)

    quoted = {q.speaker.split()[-1] for d in docs for q in d.quotes if q.speaker}
    print(f"{len(frame)} quote x target rows, {len(prof)} profile rows, {prof['actor'].nunique()} actors "
          f"(of {len(quoted)} distinct surnames quoted), "
          f"quotes.jsonl {size:.1f} MB")
    for name, seconds in results.items():
        print(f"{name:<50} {seconds:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
