"""Exports: profile files, DNA statements and the three networks (GraphML / GEXF round trips)."""
import json

import pytest

from stancekit.aggregate import (actor_target_graph, congruence_graph, profile, read_profiles, sentiment_graph,
                                 statements, to_gexf, to_graphml, write_profiles)
from stancekit.aggregate.export import export_profiles
from stancekit.doc import Document, Label, Quote

nx = pytest.importorskip("networkx")


def q(start, speaker, nato=None, talks=None, toward=None):
    stance = {k: Label(v) for k, v in (("nato", nato), ("talks", talks)) if v}
    return Quote(start, start + 3, f"q{start}", "direct", speaker=speaker, stance=stance,
                 sentiment_toward={k: Label(v) for k, v in (toward or {}).items()})


DOCS = [
    Document("x" * 100, id="a", date="2025-02-12", source="BBC", quotes=[
        q(0, "John Healey", nato="favor", talks="favor", toward={"Vladimir Putin": "negative"}),
        q(10, "Pete Hegseth", nato="against", talks="none"),
        q(20, "Vladimir Putin", nato="against", talks="favor", toward={"Zelensky": "negative"}),
        q(30, None, nato="favor"),
    ]),
    Document("y" * 100, id="b", date="2025-02-13", source="Guardian", quotes=[
        q(0, "Volodymyr Zelensky", nato="favor", talks="abstain", toward={"Putin": "negative", "Healey": "positive"}),
        q(10, "Healey", toward={"Volodymyr Zelensky": "positive"}),
    ]),
]


def test_statements_dna_style():
    s = statements(DOCS)
    assert list(s.columns[:7]) == ["doc_id", "date", "source", "actor", "organisation", "concept", "agreement"]
    got = sorted(zip(s["actor"], s["concept"], s["agreement"]))
    assert got == [("John Healey", "nato", 1), ("John Healey", "talks", 1), ("Pete Hegseth", "nato", 0),
                   ("Vladimir Putin", "nato", 0), ("Vladimir Putin", "talks", 1), ("Volodymyr Zelensky", "nato", 1)]


def test_actor_target_graph():
    g = actor_target_graph(DOCS)
    assert {n for n, d in g.nodes(data=True) if d["kind"] == "target"} == {"nato", "talks"}
    assert {n for n, d in g.nodes(data=True) if d["kind"] == "actor"} == {
        "John Healey", "Pete Hegseth", "Vladimir Putin", "Volodymyr Zelensky"}
    assert g.edges["Pete Hegseth", "nato"]["sign"] == -1 and g.edges["John Healey", "talks"]["weight"] == 1.0
    assert not g.has_edge("Pete Hegseth", "talks")  # none left out by default
    assert actor_target_graph(DOCS, include_none=True).has_edge("Pete Hegseth", "talks")


def test_congruence_graph():
    g = congruence_graph(DOCS)
    healey_putin = g.edges["John Healey", "Vladimir Putin"]
    assert (healey_putin["congruence"], healey_putin["conflict"], healey_putin["weight"]) == (1, 1, 0)
    assert healey_putin["targets"] == "nato;talks"
    assert g.edges["Pete Hegseth", "Vladimir Putin"]["weight"] == 1
    assert g.edges["John Healey", "Pete Hegseth"]["conflict"] == 1
    assert g.edges["John Healey", "Volodymyr Zelensky"]["congruence"] == 1
    assert g.number_of_edges() == 6


def test_sentiment_graph_resolves_names_on_both_ends():
    g = sentiment_graph(DOCS)
    assert g.is_directed()
    assert set(g.edges()) == {("John Healey", "Vladimir Putin"), ("Vladimir Putin", "Volodymyr Zelensky"),
                              ("Volodymyr Zelensky", "Vladimir Putin"), ("Volodymyr Zelensky", "John Healey"),
                              ("John Healey", "Volodymyr Zelensky")}
    e = g.edges["Volodymyr Zelensky", "John Healey"]
    assert (e["n"], e["positive"], e["weight"]) == (1, 1, 1.0)


@pytest.mark.parametrize("kind", ["actor_target", "congruence", "sentiment"])
def test_graphml_and_gexf_round_trip(tmp_path, kind):
    path = to_graphml(DOCS, tmp_path / f"{kind}.graphml", kind=kind)
    back = nx.read_graphml(path)
    assert back.number_of_edges() > 0 and back.number_of_nodes() > 1
    assert back.is_directed() == (kind == "sentiment")
    assert nx.read_gexf(to_gexf(DOCS, tmp_path / f"{kind}.gexf", kind=kind)).number_of_edges() == back.number_of_edges()


def test_unknown_graph_kind(tmp_path):
    with pytest.raises(ValueError, match="actor_target"):
        to_graphml(DOCS, tmp_path / "g.graphml", kind="bogus")


def test_write_profiles_and_read_back(tmp_path):
    paths = write_profiles(DOCS, tmp_path / "out")
    assert sorted(p.name for p in paths.values()) == ["profiles.csv", "profiles.parquet"]
    expected = profile(DOCS)
    for path in paths.values():
        back = read_profiles(path)
        assert list(back["actor"]) == list(expected["actor"])
        assert back["evidence"].iat[0] == expected["evidence"].iat[0]
        assert back["score"].tolist() == pytest.approx(expected["score"].tolist())


def test_jsonl_export(tmp_path):
    path = export_profiles(profile(DOCS), tmp_path / "p.jsonl")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0]["actor"] == "John Healey" and rows[0]["first_date"].startswith("2025-02-12")
    assert isinstance(rows[0]["evidence"], list) and rows[0]["organisation"] is None
    with pytest.raises(ValueError, match="csv, parquet or jsonl"):
        export_profiles(profile(DOCS), tmp_path / "p.xlsx")


def test_missing_networkx_says_what_to_install(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "networkx", None)  # import networkx now raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'stancekit\[viz\]'"):
        to_graphml(DOCS, tmp_path / "g.graphml")
