"""`stancekit` command line: a thin dispatcher over one module per sub-command.

Each module in COMMANDS defines `add_parser(subparsers)` and `run(args) -> int`; modules are
imported only when listed so `stancekit --help` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("score", "profile", "report", "train")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stancekit", description="Who said what, and their stance, in political news.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"stancekit.cli.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
