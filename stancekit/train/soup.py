"""Average the weights of several fine-tuning runs of one recipe (a "model soup", Wortsman et al. 2022).

Runs that start from the same base and head init and differ only in seed land close together;
their average is often better than each of them and costs nothing at inference. The soup is then
recalibrated on dev by its task's recipe (`--recalibrate`), which refits temperature and thresholds.

Usage:
    python -m stancekit.train.soup --out models/quote-minilm RUN_DIR [RUN_DIR ...]
    python -m stancekit.train.quote --recalibrate --out models/quote-minilm
    (a soup of sentiment cross-encoders: python -m stancekit.train.sentiment --recalibrate --out DIR)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from stancekit.models.base import sha256_of
from stancekit.train import recipe_argv

MUST_AGREE = ("base", "kind", "labels", "tasks", "freeze_layers", "max_length", "pooling", "mark_mentions", "task")


def average_states(states: Sequence[dict]) -> dict:
    """Element-wise mean of state dicts with the same keys and shapes (computed in fp32)."""
    keys = set(states[0])
    for i, st in enumerate(states[1:], 1):
        if set(st) != keys:
            raise ValueError(f"run {i} has other tensors than run 0: {sorted(keys ^ set(st))[:3]}")
    out = {}
    for k in sorted(keys):
        acc = states[0][k].float().clone()
        for st in states[1:]:
            if st[k].shape != acc.shape:
                raise ValueError(f"tensor {k}: shape {tuple(st[k].shape)} differs from {tuple(acc.shape)}")
            acc += st[k].float()
        out[k] = acc / len(states)
    return out


def soup(runs: Sequence[str | Path], out: str | Path) -> Path:
    """Write the average of `runs` (model folders) to `out`: fp16 weights + config.json naming the members."""
    from safetensors.torch import load_file, save_file

    if len(runs) < 2:
        raise ValueError("a soup needs at least two runs")
    configs = [json.loads((Path(r) / "config.json").read_text()) for r in runs]
    for key in MUST_AGREE:
        values = {json.dumps(c.get(key)) for c in configs}
        if len(values) > 1:
            raise ValueError(f"runs disagree on {key!r}: {sorted(values)}; only runs of one recipe can be averaged")
    for r, c in zip(runs, configs):
        if sha256_of(Path(r) / "model.safetensors") != c.get("sha256"):
            raise ValueError(f"{r}: model.safetensors does not match the sha256 of its config.json")
    state = average_states([load_file(str(Path(r) / "model.safetensors")) for r in runs])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / "model.safetensors.tmp"
    save_file({k: v.half().contiguous() for k, v in state.items()}, str(tmp), metadata={"base": configs[0]["base"]})
    os.replace(tmp, out / "model.safetensors")
    config = {k: v for k, v in configs[0].items() if k not in ("dev_metrics", "recalibrated")}
    config.update(sha256=sha256_of(out / "model.safetensors"), seed=[c.get("seed") for c in configs],
                  soup={"members": [{"argv": recipe_argv(c.get("argv") or []), "seed": c.get("seed"), "dev_metrics": c.get("dev_metrics"),
                                     "train_seconds": c.get("train_seconds")} for c in configs],
                        "rule": "uniform average of the trained tensors (fp32), saved in fp16",
                        "argv": recipe_argv()})
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m stancekit.train.soup", description=__doc__.split("\n")[0])
    ap.add_argument("runs", nargs="+", help="model folders of runs of one recipe")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    print(soup(args.runs, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
