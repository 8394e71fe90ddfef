"""Distillation data for the quote recipe: probability labels in training, teacher-labelled news sentences."""
import numpy as np
import pytest

from stancekit.doc import Label
from stancekit.train import quote as recipe
from stancekit.train.transfer import news_sentences, teacher_examples

torch = pytest.importorskip("torch")

SENT = ["negative", "neutral", "positive"]
STANCE = ["favor", "against", "none"]
TOY = [{"text": "We love this wonderful deal.", "labels": {"tone": "positive"}, "items": []},
       {"text": "This is a shameful disaster.", "labels": {"tone": "negative"}, "items": []},
       {"text": "Smith lied and Jones helped.", "labels": {}, "items": [([(0, 5)], "negative"), ([(15, 20)], "positive")]}]


def _trained(examples):
    from stancekit.models.quote_model import QuoteModel

    m = QuoteModel({"tone": SENT, "toward": SENT}, device="cpu")
    return recipe.train_quote_model(m, examples, epochs=2, lr=3e-4, batch_size=4, seed=3, progress=False)


def test_one_hot_probability_labels_train_exactly_as_label_names():
    hot = [{"text": e["text"], "labels": {t: recipe.as_probs(v, SENT).tolist() for t, v in e["labels"].items()},
            "items": [(s, recipe.as_probs(v, SENT).tolist()) for s, v in e["items"]]} for e in TOY]
    a, b = _trained(TOY * 2), _trained(hot * 2)
    for k, v in a.net_.state_dict().items():
        assert torch.allclose(v, b.net_.state_dict()[k], atol=1e-6), k


def test_soft_labels_pull_the_student_toward_the_teacher():
    soft = [0.1, 0.2, 0.7]
    m = _trained([{"text": "It was a day.", "labels": {"tone": soft}, "items": []}] * 16)
    out = m.predict_proba(["It was a day."])["tone"][0]
    assert out.argmax() == 2 and abs(out[2] - 0.7) < 0.2


@pytest.mark.parametrize("bad", [[0.5, 0.6, 0.1], [1.0, 0.0], "happy", [-0.2, 0.6, 0.6]])
def test_labels_that_are_neither_names_nor_distributions_are_refused(bad):
    from stancekit.models.quote_model import QuoteModel

    m = QuoteModel({"tone": SENT}, device="cpu")
    with pytest.raises(ValueError, match="example 0"):
        recipe.train_quote_model(m, [{"text": "x", "labels": {"tone": bad}, "items": []}], progress=False)


class _Sentiment:
    """A teacher whose labels are in another order than the student's."""
    tasks = {"tone": ["positive", "negative", "neutral"], "toward": ["neutral", "positive", "negative"]}

    def predict_proba(self, texts, items):
        self.seen = (texts, items)
        return {"tone": np.tile([0.7, 0.2, 0.1], (len(texts), 1)), "toward": np.tile([0.6, 0.3, 0.1], (len(items), 1))}


class _Stance:
    def predict_pairs(self, pairs):
        from stancekit.classify.stance import _gated, certain_none

        return [certain_none() if _gated(t, q) else Label("favor", {"favor": 0.8, "against": 0.1, "none": 0.1})
                for q, _, t in pairs]


def test_teacher_labels_follow_the_students_label_order_and_the_gate():
    tasks = {"tone": SENT, "nato_membership": STANCE, "peace_talks": STANCE, "toward": SENT}
    items = [("Smith wants Ukraine in Nato.", [(0, 5)], "Earlier text. "),
             ("That will take time.", [], "Jones backed the peace talks in Geneva. ")]
    teacher = _Sentiment()
    out = teacher_examples(items, teacher, _Stance(), tasks)
    assert out[0]["labels"]["tone"] == pytest.approx([0.2, 0.1, 0.7])          # negative, neutral, positive
    assert out[0]["items"] == [([(0, 5)], pytest.approx([0.1, 0.6, 0.3]))]
    assert out[0]["labels"]["nato_membership"] == pytest.approx([0.8, 0.1, 0.1])
    assert "peace_talks" not in out[0]["labels"]                                 # gated: no teacher label
    # a short quote is read after the sentence before it, as the pipeline reads it
    assert out[1]["text"] == "Jones backed the peace talks in Geneva. That will take time."
    assert "peace_talks" in out[1]["labels"] and "nato_membership" not in out[1]["labels"]


def test_news_sentences_are_those_naming_an_actor_with_its_mention_spans(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Senator Jane Miller said on Monday that the deal was bad for the country and its workers. "
        "The weather in the capital was mild and dry for most of the long afternoon session. "
        "Miller later met Governor Tom Baker, and Miller praised Baker for his patience in the talks.\n",
        encoding="utf-8")
    got = list(news_sentences(tmp_path, 10))
    assert [s[:20] for s, _, _ in got] == ["Senator Jane Miller ", "Miller later met Gov"]
    # the mentions are those stancekit.segment gives its actors, as the pipeline asks about them
    assert [[s[a:b] for a, b in spans] for s, spans, _ in got] == [["Senator Jane Miller"], ["Governor Tom Baker"]]
    assert got[1][2].endswith("afternoon session. ")
    assert list(news_sentences(tmp_path, 1)) == got[:1]


def test_soften_mixes_gold_and_teacher_in_the_students_order():
    from stancekit.train.transfer import soften

    examples = [{"text": "Smith lied.", "labels": {}, "items": [([(0, 5)], "negative")]},
                {"text": "Jones and Lee met.", "labels": {}, "items": [([(0, 5)], "positive"), ([(10, 13)], "neutral")]}]
    out = soften(examples, _Sentiment(), {"toward": SENT}, alpha=0.75)
    teacher = np.array([0.1, 0.6, 0.3])                  # the stub's [0.6, 0.3, 0.1] in negative, neutral, positive
    for ex, gold in zip([x for e in out for x in e["items"]], ["negative", "positive", "neutral"]):
        assert ex[1] == pytest.approx(0.75 * recipe.as_probs(gold, SENT) + 0.25 * teacher)
    assert [e["items"][0][0] for e in out] == [[(0, 5)], [(0, 5)]] and examples[0]["items"][0][1] == "negative"


def test_a_model_on_another_local_base_trains_saves_and_needs_that_base_to_load(tmp_path):
    """How a larger teacher (e.g. all-mpnet-base-v2) is trained: a tiny random BERT stands in for it here."""
    from transformers import BertConfig, BertModel

    from stancekit.models.base import load_base
    from stancekit.models.quote_model import QuoteModel

    tok, _ = load_base()
    base = tmp_path / "tiny-bert"
    BertModel(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64)).save_pretrained(base)
    tok.save_pretrained(base)
    m = QuoteModel({"tone": SENT, "toward": SENT}, device="cpu", base=base)
    recipe.train_quote_model(m, TOY * 2, epochs=1, batch_size=4, progress=False)
    assert m.net_.encoder.config.hidden_size == 32
    m.save(tmp_path / "teacher")
    with pytest.raises(ValueError, match="tiny-bert"):
        QuoteModel.load(tmp_path / "teacher", device="cpu")
    again = QuoteModel.load(tmp_path / "teacher", device="cpu", base=base)
    texts = [e["text"] for e in TOY]
    assert np.allclose(m.predict_proba(texts)["tone"], again.predict_proba(texts)["tone"], atol=2e-3)


def test_recorded_command_lines_name_outside_folders_by_name_and_repo_paths_relative(tmp_path):
    from stancekit.train import REPO, recipe_argv

    argv = ["--sentiment-teacher", str(tmp_path / "teacher"), "--init-from", str(REPO / "models" / "stance-minilm"),
            "--transfer", "8000", "--out", "models/quote-minilm"]
    assert recipe_argv(argv) == ["--sentiment-teacher", "teacher", "--init-from", "models/stance-minilm",
                                 "--transfer", "8000", "--out", "models/quote-minilm"]
