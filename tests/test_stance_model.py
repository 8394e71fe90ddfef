"""Tests that need the trained stance model (slow) or the shared data sets (skipped when absent)."""
from __future__ import annotations

import json

import pytest

from stancekit.models.base import MODELS_DIR
from stancekit.targets import BUILTIN_TARGETS, Target
from stancekit.train import stance_data as sd

MODEL_DIR = MODELS_DIR / "stance-minilm"
DATA = sd.default_data_root()

needs_model = pytest.mark.skipif(not (MODEL_DIR / "config.json").exists(),
                                 reason=f"{MODEL_DIR}/config.json missing: train it with `stancekit train stance`")
needs_data = pytest.mark.skipif(not (DATA / "stance").exists(),
                                reason=f"shared data not found at {DATA} (the IBM stance sets live there)")


@pytest.fixture(scope="module")
def clf():
    from stancekit.classify.stance import StanceClassifier

    return StanceClassifier.load(device="cpu")


@pytest.mark.slow
@needs_model
def test_shipped_model_config_and_size():
    cfg = json.loads((MODEL_DIR / "config.json").read_text())
    assert cfg["labels"] == ["favor", "against", "none"]
    assert 0.0 <= cfg["abstain_below"] < 0.7 and cfg["temperature"] > 0
    assert {"seed", "hyperparameters", "data_sizes", "dev_metrics"} <= set(cfg)
    shipped = sum(f.stat().st_size for f in MODEL_DIR.parent.glob("*/model.safetensors"))
    assert shipped <= 50_000_000  # all shipped models together


@pytest.mark.slow
@needs_model
@pytest.mark.parametrize("quote, context, target, expected", [
    ("Ukraine's rightful place is in NATO and its path to membership is irreversible.", "", "nato_membership", "favor"),
    ("Ukraine will never be a member of NATO; neutrality is the only option.", "", "nato_membership", "against"),
    ("We are ready to sit down at the table and start negotiations immediately.", "", "peace_talks", "favor"),
    ("There will be no negotiations with the aggressor, full stop.", "", "peace_talks", "against"),
    ("NATO members must raise defence spending to three percent.", "", "nato_membership", "none"),
])
def test_obvious_cases(clf, quote, context, target, expected):
    lab = clf.predict([(quote, context)], [BUILTIN_TARGETS[target]])[0][target]
    assert lab.label in (expected, "abstain")
    assert max(lab.scores, key=lab.scores.get) == expected
    assert sum(lab.scores.values()) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.slow
@needs_model
def test_user_target_zero_shot_and_batching(clf):
    ceasefire = Target("ceasefire_now", "An immediate ceasefire should be agreed.", keywords=["ceasefire", "truce"])
    out = clf.predict([("We need a ceasefire now, today, before more people die.", ""),
                       ("The budget passed the Senate on Tuesday.", "")], [ceasefire, "peace_talks"])
    assert out[0]["ceasefire_now"].scores["favor"] > out[0]["ceasefire_now"].scores["against"]
    assert out[1]["ceasefire_now"].label == "none" and out[1]["peace_talks"].label == "none"


@needs_data
def test_shared_ibm_sets_load():
    val = sd.read_argq(DATA, "val")
    assert len(val) == 3208 and set(val["label"]) == {"favor", "against"}
    with open(DATA / sd.CLAIM_FILE, encoding="utf-8") as fh:
        assert len(sd.parse_claim_stance(fh)) == 2389
