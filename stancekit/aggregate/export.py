"""Writing results out: the profile table (CSV, Parquet, JSONL), DNA statements and graphs.

Nested evidence is stored as a JSON string in CSV and Parquet (flat, readable by any tool) and as
a real list in JSONL.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from stancekit.aggregate.frames import quotes_frame, usable
from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.networks import build_graph
from stancekit.aggregate.optional import require
from stancekit.aggregate.profiles import profile

STATEMENT_COLUMNS = ["doc_id", "date", "source", "actor", "organisation", "concept", "agreement",
                     "start", "end", "text"]


def write_profiles(docs, out_dir: str | Path, targets: Iterable[str] | None = None,
                   gazetteer: Gazetteer | None = None, min_quotes: int = 1) -> dict[str, Path]:
    """Write out_dir/profiles.csv and out_dir/profiles.parquet; `stancekit score` calls this last.

    Returns:
        {"csv": path, "parquet": path}.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prof = profile(docs, targets=targets, gazetteer=gazetteer, min_quotes=min_quotes)
    return {"csv": export_profiles(prof, out / "profiles.csv"),
            "parquet": export_profiles(prof, out / "profiles.parquet")}


def export_profiles(prof: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write a profile table as csv, parquet or jsonl (by `fmt`, else by the file extension)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    table = pd.DataFrame(prof)
    if fmt == "jsonl":
        table = table.assign(**{c: table[c].map(_iso) for c in ("first_date", "last_date") if c in table})
        with path.open("w", encoding="utf-8") as fh:
            for row in table.to_dict(orient="records"):
                fh.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
        return path
    if "evidence" in table:
        table = table.assign(evidence=table["evidence"].map(lambda ev: json.dumps(ev, ensure_ascii=False)))
    if fmt == "csv":
        table.to_csv(path, index=False)
    elif fmt == "parquet":
        table.to_parquet(path, index=False)
    else:
        raise ValueError(f"Unknown format {fmt!r} for {path}: use csv, parquet or jsonl.")
    return path


def read_profiles(path: str | Path) -> pd.DataFrame:
    """Read back a profile table written by `export_profiles`, evidence as lists again."""
    path = Path(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    if "evidence" in table:
        table["evidence"] = table["evidence"].map(lambda s: json.loads(s) if isinstance(s, str) else [])
    return table


def statements(docs, targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """A Discourse Network Analyzer-style statement list: one row per quote taking a side.

    concept = target id, agreement = 1 (favor) or 0 (against); quotes labelled none or abstain,
    or without a speaker, are left out. Columns: `STATEMENT_COLUMNS`.
    """
    quotes = usable(quotes_frame(docs, targets, gazetteer))
    quotes = quotes[quotes["label"].isin(["favor", "against"])]
    out = quotes.rename(columns={"target": "concept"}).assign(agreement=(quotes["label"] == "favor").astype(int))
    out["organisation"] = [gazetteer.organisation(a) if gazetteer else None for a in out["actor"]]
    return out[STATEMENT_COLUMNS].reset_index(drop=True)


def to_graphml(docs, path: str | Path, kind: str = "actor_target", **kwargs) -> Path:
    """Write the `kind` graph ("actor_target", "congruence" or "sentiment") as GraphML."""
    nx = require("networkx", "GraphML export")
    nx.write_graphml(build_graph(docs, kind, **kwargs), path)
    return Path(path)


def to_gexf(docs, path: str | Path, kind: str = "actor_target", **kwargs) -> Path:
    """Write the `kind` graph as GEXF (Gephi)."""
    nx = require("networkx", "GEXF export")
    nx.write_gexf(build_graph(docs, kind, **kwargs), path)
    return Path(path)


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).isoformat()


def _plain(row: dict) -> dict:
    """JSON-safe values: NaN -> None, numpy scalars -> Python."""
    out = {}
    for k, v in row.items():
        if isinstance(v, float) and v != v:
            v = None
        elif hasattr(v, "item") and not isinstance(v, (list, dict)):
            v = v.item()
        out[k] = v
    return out
