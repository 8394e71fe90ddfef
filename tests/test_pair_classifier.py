"""The pair classifier's mention pooling and its saved configuration."""
import numpy as np
import pytest

from stancekit.models.pair_classifier import MARK_TOKENS, PairClassifier, mark_mask
from stancekit.train.sentiment_data import target_pair

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def clf():
    return PairClassifier(device="cpu", pooling="mean+mark")._build()


def _tokens(clf, a, b):
    enc = clf.encode_batch([a], [b])
    ids = clf.tokenizer_.convert_tokens_to_ids(list(MARK_TOKENS))
    inside = mark_mask(enc["input_ids"], ids)[0].tolist()
    toks = clf.tokenizer_.convert_ids_to_tokens(enc["input_ids"][0])
    return [t for t, m in zip(toks, inside) if m]


def test_mark_mask_covers_the_mention_only(clf):
    a, b = target_pair("Critics say Vladimir Putin lied about the talks.", 12, 26)
    assert _tokens(clf, a, b) == ["vladimir", "putin"]
    assert _tokens(clf, "the speaker's tone", "We will win, t > 3 < / t.") == []
    assert _tokens(clf, "x", "<t> a </t> b <t> c </t>") == ["a", "c"]


def test_mention_pooling_changes_the_prediction_with_the_marked_mention(clf):
    text = "Putin praised Zelensky."
    p = clf.predict_proba(*zip(target_pair(text, 0, 5), target_pair(text, 14, 22)))
    assert p.shape == (2, 3) and np.allclose(p.sum(1), 1)
    assert np.abs(p[0] - p[1]).max() > 1e-4


def test_pooling_is_saved_and_refused_when_unknown(clf, tmp_path):
    path = clf.save(tmp_path / "m")
    again = PairClassifier.load(path, device="cpu")
    assert again.pooling == "mean+mark" and again.net_.head.in_features == 2 * 384
    b = ["Its rightful place is in the <t> alliance </t>.", "No mention here."]
    assert np.allclose(again.predict_proba(["alliance"] * 2, b), clf.predict_proba(["alliance"] * 2, b), atol=1e-3)
    with pytest.raises(ValueError, match="Unknown pooling"):
        PairClassifier(pooling="max")


def test_soup_averages_runs_of_one_recipe_and_refuses_others(tmp_path):
    import json

    from safetensors.torch import load_file

    from stancekit.train.soup import soup

    runs = []
    for seed in (1, 2):
        c = PairClassifier(device="cpu", freeze_layers=5)._build()
        torch.manual_seed(seed)
        with torch.no_grad():
            for p in c.net_.head.parameters():
                p.add_(torch.randn_like(p))
        runs.append(c.save(tmp_path / f"r{seed}", task="sentiment", seed=seed))
    out = soup(runs, tmp_path / "soup")
    a, b, m = (load_file(str(p / "model.safetensors")) for p in (*runs, out))
    assert set(m) == set(a)
    w = "head.weight"
    assert torch.allclose(m[w].float(), (a[w].float() + b[w].float()) / 2, atol=2e-3)
    config = json.loads((out / "config.json").read_text())
    assert config["seed"] == [1, 2] and len(config["soup"]["members"]) == 2
    assert PairClassifier.load(out, device="cpu").predict_proba(["x"], ["y"]).shape == (1, 3)
    other = PairClassifier(device="cpu", freeze_layers=4)._build().save(tmp_path / "r3", task="sentiment")
    with pytest.raises(ValueError, match="freeze_layers"):
        soup([runs[0], other], tmp_path / "bad")


def test_batching_and_padding_do_not_change_the_logits(clf):
    a = ["Ukraine should become a member of NATO."] * 5 + ["the speaker's tone"]
    b = ["Yes.", "Its rightful place is in the <t> alliance </t>, he said, and always has been.", "No",
         "We reject any talk of membership for now.", "Talks " * 40, "We will win."]
    one_by_one = clf.logits(a, b, batch_size=1)
    assert np.allclose(clf.logits(a, b, batch_size=4), one_by_one, atol=1e-4)
    assert np.allclose(clf.logits(a[::-1], b[::-1])[::-1], one_by_one, atol=1e-4)


def test_distillation_pulls_the_student_toward_the_teacher():
    """With alpha=0 the loss is the KL to the teacher alone: after a few steps the student agrees with it."""
    from stancekit.train.loop import train_pairs

    a = ["x"] * 8
    b = ["We will win.", "A disgrace.", "Talks resume.", "No.", "Fine.", "Never.", "Yes, gladly.", "Maybe."]
    y = ["neutral"] * 8                                  # the gold labels say one thing…
    soft = np.tile([0.05, 0.05, 0.9], (8, 1))            # …the teacher another ("positive")
    student = PairClassifier(labels=["negative", "neutral", "positive"], device="cpu", freeze_layers=5)
    train_pairs(student, a, b, y, epochs=6, lr=1e-3, batch_size=4, soft_targets=soft, distill_alpha=0.0,
                distill_temperature=1.0, progress=False)
    assert student.predict(a, b) == ["positive"] * 8
    with pytest.raises(ValueError, match="soft_targets"):
        train_pairs(student, a, b, y, soft_targets=soft[:3], progress=False)
