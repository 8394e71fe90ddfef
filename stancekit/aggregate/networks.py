"""Discourse networks (as in Discourse Network Analysis) built with networkx, imported late.

Three views of the same statements: actors linked to the targets they take sides on (two-mode),
actors linked to each other by agreeing or disagreeing on targets (one-mode congruence/conflict),
and who speaks well or ill of whom (directed sentiment). Attribute values are plain str / int /
float so every graph can be written to GraphML and GEXF.
"""
from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from stancekit.aggregate.frames import sentiment_frame
from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.optional import require
from stancekit.aggregate.profiles import profile

GRAPH_KINDS = ("actor_target", "congruence", "sentiment")


def actor_target_graph(docs, targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None,
                       include_none: bool = False):
    """Two-mode graph: actor -- target, weight = profile score, sign = +1 favor / -1 against / 0 none.

    Nodes carry kind ("actor" or "target") and bipartite (0 / 1). Rows labelled none are left out
    unless `include_none`, since they record that the actor spoke without taking a side.
    """
    nx = require("networkx", "Networks")

    prof = _profile(docs, targets, gazetteer)
    g = nx.Graph(name="actor_target")
    for r in prof.itertuples(index=False):
        if r.label == "none" and not include_none:
            continue
        g.add_node(r.actor, kind="actor", bipartite=0, **({"organisation": r.organisation} if r.organisation else {}))
        g.add_node(r.target, kind="target", bipartite=1)
        g.add_edge(r.actor, r.target, weight=float(r.score), sign=_sign(r.label), label=r.label,
                   n_quotes=int(r.n_quotes))
    return g


def congruence_graph(docs, targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None):
    """One-mode actor graph: an edge where two actors took sides on the same target.

    Edge attributes: congruence (targets they agree on), conflict (targets they disagree on),
    weight = congruence - conflict, and targets ("t1;t2", the shared targets). Actors whose only
    stances are none are not in the graph.
    """
    nx = require("networkx", "Networks")

    prof = _profile(docs, targets, gazetteer)
    sided = prof[prof["label"].isin(["favor", "against"])]
    g = nx.Graph(name="congruence")
    for actor in sorted(set(sided["actor"])):
        g.add_node(actor, kind="actor")
    for target, rows in sided.groupby("target", sort=True):
        stance = dict(zip(rows["actor"], rows["label"]))
        for a, b in combinations(sorted(stance), 2):
            e = g.get_edge_data(a, b) or {"congruence": 0, "conflict": 0, "targets": []}
            e["congruence" if stance[a] == stance[b] else "conflict"] += 1
            e["targets"] = e["targets"] + [target]
            g.add_edge(a, b, **e)
    for _, _, e in g.edges(data=True):
        e["weight"] = e["congruence"] - e["conflict"]
        e["targets"] = ";".join(e["targets"])
    return g


def sentiment_graph(docs, gazetteer: Gazetteer | None = None):
    """Directed actor -> actor graph from `Quote.sentiment_toward`.

    Edge attributes: n (quotes), negative / neutral / positive (label counts), weight = mean
    P(positive) - P(negative). Abstained labels and self-references are left out.
    """
    nx = require("networkx", "Networks")

    frame = sentiment_frame(docs, gazetteer)
    frame = frame[(frame["label"] != "abstain") & (frame["actor"] != frame["toward"])]
    g = nx.DiGraph(name="sentiment")
    for (src, dst), rows in frame.groupby(["actor", "toward"], sort=True):
        counts = rows["label"].value_counts()
        g.add_node(src, kind="actor")
        g.add_node(dst, kind="actor")
        g.add_edge(src, dst, n=len(rows), weight=float(rows["score"].mean()),
                   **{k: int(counts.get(k, 0)) for k in ("negative", "neutral", "positive")})
    return g


def build_graph(docs, kind: str = "actor_target", **kwargs):
    """The graph of `kind` (one of `GRAPH_KINDS`)."""
    builders = {"actor_target": actor_target_graph, "congruence": congruence_graph, "sentiment": sentiment_graph}
    if kind not in builders:
        raise ValueError(f"Unknown graph kind {kind!r}: use one of {', '.join(GRAPH_KINDS)}.")
    return builders[kind](docs, **kwargs)


def _profile(docs, targets, gazetteer):
    """Accept a finished profile table as well as documents."""
    if hasattr(docs, "columns") and "n_documents" in docs.columns:
        return docs
    return profile(docs, targets=targets, gazetteer=gazetteer)


def _sign(label: str) -> int:
    return {"favor": 1, "against": -1}.get(label, 0)
