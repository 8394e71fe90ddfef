"""Training recipes (run as `python -m stancekit.train.<recipe>`) and what they share."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[2]
DOMAIN = REPO / "models" / "data" / "stance_domain.jsonl"
"""The synthetic labelled quotes about the built-in targets (stance and tone) that the recipes share."""


def recipe_argv(argv: Sequence[str] | None = None) -> list[str]:
    """The command line as a model's config records it: paths in the repo relative to it, others by name.

    A shipped config names its teachers and outputs without the trainer's own folders in it.
    """
    out = []
    for a in sys.argv[1:] if argv is None else argv:
        p = Path(a)
        if p.is_absolute():
            try:
                a = str(p.resolve().relative_to(REPO))
            except ValueError:
                a = p.name
        out.append(a)
    return out
