"""`stancekit profile`: re-aggregate stance profiles from quotes.jsonl without running any model."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("profile", help="Aggregate per-actor stance profiles from quotes.jsonl (no models).",
                              description="Read the quotes.jsonl written by `stancekit score` (or a folder holding it) "
                                          "and write profiles.csv and profiles.parquet.")
    p.add_argument("input", help="quotes.jsonl, or the output folder of `stancekit score`")
    p.add_argument("-o", "--out", help="output folder (default: the input's folder)")
    p.add_argument("--gazetteer", help="YAML or CSV of canonical names, aliases, organisations and dated roles")
    p.add_argument("--targets", nargs="+", help="target ids to keep (default: all in the data)")
    p.add_argument("--min-quotes", type=int, default=1, help="drop actor x target rows with fewer quotes (default 1)")
    p.add_argument("--jsonl", action="store_true", help="also write profiles.jsonl")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    from stancekit.aggregate import export_profiles, load_gazetteer, profile, read_documents

    source = Path(args.input)
    out = Path(args.out) if args.out else (source if source.is_dir() else source.parent)
    out.mkdir(parents=True, exist_ok=True)
    gazetteer = load_gazetteer(args.gazetteer) if args.gazetteer else None
    docs = read_documents(source)
    prof = profile(docs, targets=args.targets, gazetteer=gazetteer, min_quotes=args.min_quotes)
    written = [export_profiles(prof, out / f"profiles.{fmt}") for fmt in ("csv", "parquet")]
    if args.jsonl:
        written.append(export_profiles(prof, out / "profiles.jsonl"))
    print(f"{len(docs)} documents -> {len(prof)} actor x target profiles ({prof['actor'].nunique()} actors)")
    for path in written:
        print(f"wrote {path}")
    return 0
