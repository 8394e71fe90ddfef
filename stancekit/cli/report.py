"""`stancekit report`: a self-contained HTML report from quotes.jsonl (no models)."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("report", help="Write a self-contained HTML report from quotes.jsonl (no models).",
                              description="Profiles, heatmap, timelines, shifts, outlets and evidence in one HTML file.")
    p.add_argument("input", help="quotes.jsonl, or the output folder of `stancekit score`")
    p.add_argument("-o", "--out", default="report.html", help="HTML file to write (default report.html)")
    p.add_argument("--gazetteer", help="YAML or CSV of canonical names, aliases, organisations and dated roles")
    p.add_argument("--targets", nargs="+", help="target ids to keep (default: all in the data)")
    p.add_argument("--freq", default="W", choices=["W", "M"], help="timeline period: W(eek) or M(onth)")
    p.add_argument("--min-quotes", type=int, default=1, help="drop actor x target rows with fewer quotes (default 1)")
    p.add_argument("--title", default="stancekit report")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from stancekit.aggregate import load_gazetteer, read_documents, write_report

    gazetteer = load_gazetteer(args.gazetteer) if args.gazetteer else None
    docs = read_documents(args.input)
    path = write_report(docs, Path(args.out), title=args.title, targets=args.targets, gazetteer=gazetteer,
                        freq=args.freq, min_quotes=args.min_quotes)
    print(f"{len(docs)} documents -> wrote {path}")
    return 0
