"""End to end on every gold article the repository holds: the whole pipeline's `to_dict()` output,
scored as the gold format scores it, for each stance configuration, in one run.

    python benchmarks/bench_gold.py > benchmarks/RESULTS_gold.md     # from the repository root

Gold: seeds/*.gold.json (a real article), benchmarks/heldout/, heldout2/ and heldout3/ (synthetic,
fictional people; see their READMEs). Scores per set and pooled: quote span F1, attribution F1, per-quote
stance macro-F1 per target and sentiment macro-F1 over the matched required quotes (`acceptable`
labels right, `abstain` a miss), and document profiles right (polar / none gold labels).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stancekit.evaluate import score_labels, score_quotes  # noqa: E402

SETS = {"seed (real)": REPO / "seeds", "held-out (synthetic)": REPO / "benchmarks" / "heldout",
        "held-out 2 (synthetic)": REPO / "benchmarks" / "heldout2",
        "held-out 3 (synthetic, blind)": REPO / "benchmarks" / "heldout3"}
CONFIGS = {"always (default)": dict(stance_heads="always"), "confident": dict(stance_heads="confident"),
           "NATO cross-encoder, talks heads": dict(stance_heads="confident",
                                                   defer_below={"nato_membership": 2.0, "peace_talks": 0.0}),
           "never (cross-encoder)": dict(stance_heads="never")}


def load_golds(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.gold.json"))]


def row(name: str, subset: str, golds: list[dict], preds: list[dict]) -> str:
    q, lab = score_quotes(golds, preds), score_labels(golds, preds)
    (pr, pn), (nr, nn) = lab["profiles_polar"], lab["profiles_none"]
    return (f"| {name} | {subset} | {lab['n_quotes']} | {100 * q['span_f1']:.1f} | {100 * q['attribution_f1']:.1f} | "
            f"{100 * lab['stance_nato_membership_f1']:.1f} | {100 * lab['stance_peace_talks_f1']:.1f} | "
            f"{100 * lab['sentiment_f1']:.1f} | {pr}/{pn} | {nr}/{nn} | {pr + nr}/{pn + nn} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=None, help="model threads (default: the available cores)")
    args = ap.parse_args(argv)
    import stancekit

    sets = {name: load_golds(folder) for name, folder in SETS.items()}
    every = [g for golds in sets.values() for g in golds]
    print("# End to end on the gold articles\n")
    print("Command: `python benchmarks/bench_gold.py`\n")
    print("Gold: " + "; ".join(f"{name}: {len(g)} article(s), {sum(not q.get('optional') for d in g for q in d['quotes'])} "
                               f"required quotes" for name, g in sets.items()) + ". Pipeline output (`to_dict()`) "
          "scored as the gold format scores it: macro-F1 over matched required quotes, `acceptable` labels "
          "right, `abstain` a miss; profiles: a missing one reads as none.\n")
    print("| stance_heads | gold | matched quotes | span F1 | attribution F1 | NATO F1 | talks F1 | sentiment F1 "
          "| profiles polar | profiles none | profiles all |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    t0 = time.time()
    for name, kwargs in CONFIGS.items():
        nlp = stancekit.load(device="cpu", num_threads=args.threads, **kwargs)
        preds = {}
        for g in every:
            out = nlp(g["text"]).to_dict()
            out["id"] = g["id"]
            preds[g["id"]] = out
        for subset, golds in sets.items():
            print(row(name, subset, golds, [preds[g["id"]] for g in golds]))
        print(row(name, "**pooled**", every, list(preds.values())))
    print(f"\nTime: {time.time() - t0:.0f} s for {len(CONFIGS)} configurations.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
