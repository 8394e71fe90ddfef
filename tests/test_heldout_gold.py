"""The held-out gold articles are well formed: spans index the text, speakers and profiles name actors."""
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
HELDOUT = sorted(BENCH.glob("heldout*/*.gold.json"))
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
        # every alias occurs (the scorer ignores case); the canonical name may be a label of its own
        assert all(form.lower() in g["text"].lower() for form in g["actors"][actor] if form != actor)


def test_there_are_four_sets_of_three_heldout_articles():
    assert [p.parent.name for p in HELDOUT].count("heldout") == 3
    assert [p.parent.name for p in HELDOUT].count("heldout2") == 3
    assert [p.parent.name for p in HELDOUT].count("heldout3") == 3
    assert [p.parent.name for p in HELDOUT].count("heldout4") == 3
