"""mkdocs hook: fill generated sections of the docs from the repository at build time.

Nothing is copied into docs/: pages hold markers that this hook replaces, so the site always shows
the current code and files.

* `<!-- stancekit:cli -->`: `stancekit --help` and the help of every sub-command (argparse).
* `<!-- stancekit:targets -->`: the built-in targets from `stancekit.targets.BUILTIN_TARGETS`.
* `<!-- stancekit:include PATH -->`: a Markdown file of the repository (e.g. `benchmarks/RESULTS.md`),
  headings demoted, relative links, anchors and images turned into plain text (they point outside the site).
* `<!-- stancekit:glob PATTERN -->`: every file matching the pattern (e.g. `models/*.md`), one
  section each; a note where none exists yet.
"""
from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"<!--\s*stancekit:(\w+)\s*([^>]*?)\s*-->")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,5}) ", re.M)
FENCE = re.compile(r"^(```|~~~)", re.M)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return MARKER.sub(lambda m: _render(m.group(1), m.group(2)), markdown)


def _render(kind: str, arg: str) -> str:
    if kind == "cli":
        return cli_reference()
    if kind == "targets":
        return targets_reference()
    if kind == "include":
        return include(ROOT / arg, demote=2)
    if kind == "glob":
        found = sorted(p for p in ROOT.glob(arg) if p.is_file())
        if not found:
            return f"*No `{arg}` in this checkout yet.*"
        return "\n\n".join(f"## `{p.relative_to(ROOT)}`\n\n{include(p, demote=2)}" for p in found)
    raise ValueError(f"unknown docs marker stancekit:{kind}")


def include(path: Path, demote: int = 1) -> str:
    """A repository Markdown file made safe to embed: headings demoted, links outside the site inlined."""
    if not path.exists():
        return f"*`{path.relative_to(ROOT)}` is not in this checkout yet.*"
    # split keeps the fence markers: text, fence, code, fence, text, ...; only text outside code is rewritten
    parts = FENCE.split(path.read_text(encoding="utf-8"))
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0 and (i // 2) % 2 == 0:
            part = HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + demote) + " ", part)
            part = LINK.sub(_inline_link, part)
        out.append(part)
    return "".join(out)


def _inline_link(m: re.Match) -> str:
    image, text, target = m.groups()
    if image:
        return f"*[image: {text or target}]*"
    if target.startswith(("http://", "https://", "mailto:")):  # anchors too are inlined: they may not survive the merge
        return m.group(0)
    return f"{text} (`{target}`)"


def cli_reference() -> str:
    """`stancekit --help` and each sub-command's help, as fenced text blocks."""
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal width; fix it for stable pages
    from stancekit.cli.main import build_parser

    parser = build_parser()
    blocks = [("stancekit --help", parser.format_help())]
    for sub_name, sub in _subparsers(parser):
        blocks.append((f"stancekit {sub_name} --help", sub.format_help()))
        for name, recipe in _subparsers(sub):
            blocks.append((f"stancekit {sub_name} {name} --help", recipe.format_help()))
    return "\n\n".join(f"### `{title}`\n\n```text\n{text.rstrip()}\n```" for title, text in blocks)


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:  # argparse has no public accessor for sub-commands
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def targets_reference() -> str:
    from stancekit.targets import BUILTIN_TARGETS, DEFAULT_TARGETS

    out = []
    for tid, t in BUILTIN_TARGETS.items():
        default = " (default)" if tid in DEFAULT_TARGETS else ""
        keywords = ", ".join(f"`{k.strip()}`" for k in t.keywords)
        out.append(f"### `{tid}`{default}\n\n**Proposition** (what `favor` agrees with): *{t.proposition}*\n\n"
                   f"**Labels.** {t.description}\n\n**Keywords** (the gate): {keywords}")
    return "\n\n".join(out)
