"""`import stancekit` wall time in a fresh interpreter, and which heavy libraries it pulls in.

Requirement: median < 1.5 s, with torch, transformers, pandas and matplotlib imported only when
first needed (a model runs, a profile is aggregated, a plot is drawn).

    python benchmarks/bench_import.py                 # 7 runs, prints a Markdown table
    python benchmarks/bench_import.py --runs 11 --write benchmarks/RESULTS_import.md

Each run is a new `python -c` process, so nothing is cached in memory between runs (the OS file
cache is warm after the first run, as on a user's machine). The process start-up itself
(`python -c pass`) is measured alongside and reported, not subtracted.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("torch", "transformers", "pandas", "matplotlib", "numpy", "scipy", "sklearn", "pyarrow",
         "networkx", "datasets", "sentence_transformers", "spacy", "tqdm", "yaml", "IPython")
LIMIT_S = 1.5
NOTES = ("`import stancekit` loads the result model, targets, pipeline and the rule-based segmenter "
         "(`python -X importtime -c 'import stancekit'`: most of the in-process time is `stancekit.segment`, "
         "compiling its cue and name patterns). torch and transformers load when a model first runs, "
         "pandas when `stancekit.profile` / `stancekit.aggregate` is first used (module `__getattr__`), "
         "matplotlib when a plot is drawn; `stancekit.aggregate` needs pandas by design.")
PROBE = ("import json, sys, time; t = time.perf_counter(); import {module}; dt = time.perf_counter() - t; "
         "print(json.dumps({{'in_process_s': dt, 'heavy': sorted(m for m in {heavy!r} if m in sys.modules)}}))")


def run_once(module: str) -> dict:
    """Wall time of a fresh `python -c 'import module'` plus what it found in sys.modules."""
    code = PROBE.format(module=module, heavy=HEAVY)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    return {"wall_s": wall, **json.loads(out.stdout.strip().splitlines()[-1])}


def baseline(runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(module: str, runs: int) -> dict:
    results = [run_once(module) for _ in range(runs)]
    return {"module": module, "runs": runs,
            "median_wall_s": statistics.median(r["wall_s"] for r in results),
            "max_wall_s": max(r["wall_s"] for r in results),
            "median_in_process_s": statistics.median(r["in_process_s"] for r in results),
            "heavy": results[-1]["heavy"]}


def table(rows: list[dict], start_s: float) -> str:
    lines = ["| import | median wall (s) | max wall (s) | median in-process (s) | heavy modules loaded |",
             "| --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| `import {r['module']}` | {r['median_wall_s']:.3f} | {r['max_wall_s']:.3f} | "
                     f"{r['median_in_process_s']:.3f} | {', '.join(r['heavy']) or 'none'} |")
    lines.append(f"| `python -c pass` (interpreter start-up) | {start_s:.3f} | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--modules", nargs="+", default=["stancekit", "stancekit.display", "stancekit.aggregate"],
                   help="modules to time; the first is the one held to the requirement")
    p.add_argument("--write", help="write the Markdown results here")
    args = p.parse_args(argv)
    rows = [measure(m, args.runs) for m in args.modules]
    start = baseline(args.runs)
    main_row = rows[0]
    eager = [m for m in ("torch", "transformers", "pandas", "matplotlib") if m in main_row["heavy"]]
    ok = main_row["median_wall_s"] < LIMIT_S and not eager
    verdict = (f"**{'PASS' if ok else 'FAIL'}**: median `import {main_row['module']}` "
               f"{main_row['median_wall_s']:.3f} s (limit {LIMIT_S} s); torch/transformers/pandas/matplotlib "
               f"imported eagerly: {', '.join(eager) or 'none'}.")
    report = "\n\n".join([table(rows, start), verdict])
    print(report)
    if args.write:
        cmd = "python benchmarks/bench_import.py " + " ".join(argv if argv is not None else sys.argv[1:])
        load = f", load average {os.getloadavg()[0]:.1f} while measured" if hasattr(os, "getloadavg") else ""
        env = (f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
               f"{_cpus()} CPUs{load}; {time.strftime('%Y-%m-%d')}.")
        Path(args.write).write_text(
            f"# `import stancekit` time\n\nCommand: `{cmd.strip()}`\n\n{env} Median of {args.runs} fresh "
            f"interpreter processes each (wall time of the whole process, start-up included; "
            f"'in-process' is the import statement alone).\n\n{report}\n\n{NOTES}\n", encoding="utf-8")
    return 0 if ok else 1


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


if __name__ == "__main__":
    raise SystemExit(main())
