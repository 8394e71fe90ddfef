"""`stancekit.score_dataset`: a `datasets.Dataset` in, the same rows with result columns out."""
import json

import pytest

datasets = pytest.importorskip("datasets", reason="needs the datasets package (pip install datasets)")

import stancekit  # noqa: E402
from tests.conftest import ROOT, SEED_TEXT  # noqa: E402

MODELS = [ROOT / "models" / m / "config.json" for m in ("stance-minilm", "quote-minilm")]


def _ds():
    return datasets.Dataset.from_dict({
        "id": ["a", "b", "a", "c"],
        "text": ["“We will join NATO one day,” said Mr Smith. “Never,” Anna Lee replied.", "", "Nothing quoted.", None],
        "date": ["2025-01-01", None, None, None],
    })


def test_score_dataset_adds_result_columns_row_by_row():
    out = stancekit.score_dataset(_ds(), stance=False, sentiment=False, batch_size=3)
    assert out.num_rows == 4 and out["id"] == ["a", "b", "a", "c"]
    assert out["n_quotes"] == [2, 0, 0, 0]
    assert out["speakers"][0] == ["Smith", "Anna Lee"]
    assert [q["text"] for q in json.loads(out["quotes"][0])] == ["We will join NATO one day,", "Never,"]
    assert out["error"][0] is None and out["error"][2] is None       # a repeated id is still scored
    assert out["error"][1].startswith("empty_text") and out["error"][3].startswith("missing_text")
    assert out["stance_nato_membership"][0] == {"favor": 0, "against": 0, "none": 0, "abstain": 0}
    assert set(out.column_names) >= {"quotes", "n_quotes", "speakers", "profiles", "error", "stance_peace_talks"}


def test_score_dataset_with_other_column_names_and_a_given_pipeline():
    ds = datasets.Dataset.from_dict({"body": ["“Fine,” said Mr Smith."]})
    nlp = stancekit.load(["peace_talks"], stance=False, sentiment=False)
    out = stancekit.score_dataset(ds, text_column="body", nlp=nlp)
    assert out["n_quotes"] == [1] and "stance_nato_membership" not in out.column_names


def test_score_dataset_explains_a_missing_text_column_or_a_clash():
    with pytest.raises(ValueError, match="text_column"):
        stancekit.score_dataset(datasets.Dataset.from_dict({"body": ["x"]}), stance=False, sentiment=False)
    with pytest.raises(ValueError, match="already has result columns"):
        stancekit.score_dataset(datasets.Dataset.from_dict({"text": ["x"], "quotes": ["y"]}),
                                stance=False, sentiment=False)


@pytest.mark.slow
@pytest.mark.skipif(not all(p.exists() for p in MODELS), reason="needs the trained models (models/*/config.json)")
def test_score_dataset_with_models_matches_the_pipeline():
    text = SEED_TEXT.read_text(encoding="utf-8")
    ds = datasets.Dataset.from_dict({"id": ["seed", "empty"], "text": [text, " "]})
    out = stancekit.score_dataset(ds, batch_size=2)
    doc = stancekit.load()(text)
    assert out["n_quotes"][0] == len(doc.quotes)
    got = json.loads(out["quotes"][0])
    assert [q["stance"]["nato_membership"]["label"] for q in got] == \
        [q.stance["nato_membership"].label for q in doc.quotes]
    counts = out["stance_nato_membership"][0]
    assert sum(counts.values()) == len(doc.quotes) and counts["favor"] >= 1
    assert out["error"][1].startswith("empty_text")
