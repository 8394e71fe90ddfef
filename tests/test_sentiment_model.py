"""The shipped sentiment model (slow) and the shared NewsMTSC files (skipped when absent)."""
import json

import pytest

from stancekit.models.base import MODELS_DIR
from stancekit.train import sentiment_data as sd

MODEL = MODELS_DIR / "sentiment-minilm"
needs_model = pytest.mark.skipif(not (MODEL / "config.json").exists(),
                                 reason="models/sentiment-minilm/config.json missing: train it with "
                                        "`stancekit train sentiment` (see models/sentiment-minilm.md)")
needs_data = pytest.mark.skipif(not (sd.DEFAULT_DATA / sd.NEWSMTSC["train"]).exists(),
                                reason=f"NewsMTSC not found under {sd.DEFAULT_DATA} (the shared data root)")


@needs_data
def test_newsmtsc_files_have_the_documented_sizes():
    sizes = {k: len(sd.load_newsmtsc(sd.DEFAULT_DATA / p)) for k, p in sd.NEWSMTSC.items()}
    assert sizes == {"train": 8739, "dev_rw": 343, "dev_mt": 442, "test_rw": 803, "test_mt": 1034}
    train = sd.load_newsmtsc(sd.DEFAULT_DATA / sd.NEWSMTSC["train"])
    assert all(r["text"][r["start"]:r["end"]] == r["mention"] for r in train.select(range(500)))


@pytest.fixture(scope="module")
def clf():
    from stancekit.classify.sentiment import SentimentClassifier

    return SentimentClassifier.load()


@pytest.mark.slow
@needs_model
def test_config_records_the_recipe():
    cfg = json.loads((MODEL / "config.json").read_text())
    for key in ("seed", "hyperparameters", "data_sizes", "dev_metrics", "temperature", "abstain_below", "sha256"):
        assert key in cfg
    assert cfg["labels"] == list(sd.LABELS)
    shipped = sum(f.stat().st_size for f in MODEL.parent.glob("*/model.safetensors"))
    assert shipped <= 50_000_000  # all shipped models together


@pytest.mark.slow
@needs_model
def test_tone_of_clear_quotes(clf):
    out = clf.tone(["This is a shameful, disastrous betrayal of our allies.",
                    "We warmly welcome this excellent agreement and thank our partners."])
    assert [l.label for l in out] == ["negative", "positive"]
    assert all(abs(sum(l.scores.values()) - 1) < 1e-4 for l in out)


@pytest.mark.slow
@needs_model
def test_toward_depends_on_the_marked_mention(clf):
    text = "Voters praised Merkel for her courage, while Smith was convicted of fraud and corruption."
    merkel, smith = clf.toward([(text, 15, 21), (text, 45, 50)])
    assert merkel.scores["positive"] > merkel.scores["negative"]
    assert smith.scores["negative"] > smith.scores["positive"]
