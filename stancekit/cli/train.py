"""`stancekit train {stance,sentiment,quote,cascade}`: run a model recipe (see models/<name>.md for each recipe).

Each recipe module (`stancekit.train.<name>`) defines `add_arguments(parser)` and `run(args)`; it is
imported when the parser is built, and imports torch only inside `run`.
"""
from __future__ import annotations

import argparse
import importlib

RECIPES = {
    "stance": "fine-tune models/stance-minilm (favor/against/none toward a proposition)",
    "sentiment": "fine-tune the sentiment model",
    "quote": "fine-tune models/quote-minilm (one pass per quote: tone, built-in targets, sentiment toward actors)",
    "cascade": "fit the confidence under which quote-minilm's stance heads defer to the stance cross-encoder",
}


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("train", help="train a shipped model from its recipe",
                                   description="Train a shipped model from its recipe.")
    recipes = parser.add_subparsers(dest="recipe", required=True)
    for name, help_text in RECIPES.items():
        sub = recipes.add_parser(name, help=help_text, description=help_text)
        try:
            module = importlib.import_module(f"stancekit.train.{name}")
        except ImportError as exc:
            sub.set_defaults(func=_missing(name, exc))
            continue
        module.add_arguments(sub)
        sub.set_defaults(func=module.run)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    return parser


def run(args: argparse.Namespace) -> int:
    return int(args.func(args) or 0)


def _missing(name: str, exc: ImportError):
    def fail(args) -> int:
        raise SystemExit(f"The {name} recipe could not be imported ({exc}); "
                         f"install the training extras: pip install 'stancekit[train]'.")
    return fail
