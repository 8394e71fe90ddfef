"""`python -m stancekit.demo [ARTICLE.txt]`: analyse the seed article and print who said what."""
from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "seeds" / "ukraine_nato_healey_2025-02-12.txt"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("article", nargs="?", default=str(SEED))
    p.add_argument("--date", default="2025-02-12")
    p.add_argument("--source", default="Shropshire Star")
    p.add_argument("--json", action="store_true", help="print the Document as JSON instead")
    args = p.parse_args(argv)
    import stancekit

    text = Path(args.article).read_text(encoding="utf-8")
    doc = stancekit.analyze(text, doc_id=Path(args.article).stem, date=args.date, source=args.source)
    if args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(f"{doc.id}: {len(doc.quotes)} quotes, {len(doc.actors)} actors\n")
    for q in doc.quotes:
        stance = "  ".join(f"{t}={lab.label}({max(lab.scores.values(), default=0):.2f})" for t, lab in q.stance.items())
        tone = q.sentiment.label if q.sentiment else "-"
        print(f"[{q.start}:{q.end}] {q.speaker or '?'} ({q.kind}, cue: {q.cue.text if q.cue else '-'})")
        print(textwrap.indent(textwrap.fill(q.text.replace("\n", " "), 96), "    "))
        if stance:
            print(f"    stance: {stance}  tone: {tone}")
    if doc.profiles:
        print("\nPer-actor stance (this article):")
        print(f"  {'actor':24} {'target':18} {'label':8} {'score':>6} {'quotes':>6}")
        for pr in doc.profiles:
            print(f"  {pr.actor:24} {pr.target:18} {pr.label:8} {pr.score:6.2f} {pr.n_quotes:6d}")
    else:
        counts: dict[str, int] = {}
        for q in doc.quotes:
            counts[q.speaker or "?"] = counts.get(q.speaker or "?", 0) + 1
        print("\nQuotes per actor:")
        for a, n in sorted(counts.items(), key=lambda x: -x[1]):
            print(f"  {a:24} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
