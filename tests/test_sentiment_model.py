"""The shipped sentiment model, models/quote-minilm (slow), and the shared NewsMTSC files (skipped when absent)."""
import json

import pytest

from stancekit.models.base import MODELS_DIR
from stancekit.train import sentiment_data as sd

MODEL = MODELS_DIR / "quote-minilm"
needs_model = pytest.mark.skipif(not (MODEL / "config.json").exists(),
                                 reason="models/quote-minilm/config.json missing: train it with "
                                        "`stancekit train quote` (see models/quote-minilm.md)")
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
    assert cfg["tasks"]["tone"] == cfg["tasks"]["toward"] == list(sd.LABELS) and cfg["mark_mentions"]
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


@pytest.mark.slow
@needs_model
def test_pipeline_reads_each_quote_once_and_defers_only_unsure_heads(seed_text):
    import stancekit

    below = 0.9  # the fitted threshold may keep every head answer on this article; this one defers some
    nlp = stancekit.load(device="cpu", stance_heads="confident", defer_below=below)
    fast = stancekit.load(device="cpu", single_pass=True)
    slow = stancekit.load(device="cpu", stance_heads="never")
    default = stancekit.load(device="cpu")
    d1, d2, d3 = nlp(seed_text), fast(seed_text), slow(seed_text)
    assert [q.text for q in d1.quotes] == [q.text for q in d2.quotes] == [q.text for q in d3.quotes]
    assert len(d1.quotes) > 10
    quick, deferred = nlp._quote, 0
    for a, b, c in zip(d1.quotes, d2.quotes, d3.quotes):
        assert a.sentiment.scores == pytest.approx(b.sentiment.scores, abs=1e-4)  # the same pass
        assert list(a.stance) == list(b.stance) == list(c.stance) == ["nato_membership", "peace_talks"]
        for t in a.stance:  # the head's answer where it is confident, the cross-encoder's elsewhere
            sure = quick.confident(t, b.stance[t], below)
            want = b.stance[t] if sure else c.stance[t]
            assert a.stance[t].label == want.label and a.stance[t].scores == pytest.approx(want.scores, abs=1e-4)
            deferred += not sure
    assert 0 < deferred < sum(len(q.stance) for q in d1.quotes)
    assert any(q.sentiment_toward for q in d1.quotes)
    assert nlp._sentiment is None and nlp._stance is not None and fast._stance is None
    assert slow._stance is not None and slow.stance_heads == "never"
    d4 = default(seed_text)  # the default: the heads, and no cross-encoder for the built-in targets
    assert default.stance_heads == "always" and default._stance is None
    assert [q.stance["nato_membership"].scores for q in d4.quotes] == [q.stance["nato_membership"].scores for q in d2.quotes]
