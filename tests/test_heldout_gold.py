"""The held-out gold articles are well formed: spans index the text, speakers and profiles name actors."""
import json
from pathlib import Path

import pytest

HELDOUT = sorted((Path(__file__).resolve().parents[1] / "benchmarks" / "heldout").glob("*.gold.json"))
LABELS = {"favor", "against", "none"}


@pytest.mark.parametrize("path", HELDOUT, ids=lambda p: p.name)
def test_heldout_gold_is_well_formed(path):
    g = json.loads(path.read_text(encoding="utf-8"))
    assert set(g["targets"]) == {"nato_membership", "peace_talks"}
    starts = [q["start"] for q in g["quotes"]]
    assert starts == sorted(starts) and len(g["quotes"]) >= 20
    for q in g["quotes"]:
        assert g["text"][q["start"]:q["end"]] == q["text"], q["text"]
        assert q["speaker"] in g["actors"] and q["kind"] in {"direct", "indirect", "mixed"}
        assert set(q["stance"]) == set(g["targets"]) and set(q["stance"].values()) <= LABELS
        assert q["sentiment"] in {"positive", "negative", "neutral"}
    for actor, per_target in g["profiles"].items():
        assert actor in g["actors"] and set(per_target.values()) <= LABELS
        assert all(form in g["text"] for form in g["actors"][actor])


def test_there_are_three_heldout_articles():
    assert len(HELDOUT) == 3
