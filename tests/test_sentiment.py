"""Sentiment: input marking with offsets, data loading on tiny files, abstain logic with a stub model."""
import argparse
import json

import numpy as np
import pytest

from stancekit.classify.sentiment import ABSTAIN, SentimentClassifier, to_label
from stancekit.doc import Label
from stancekit.train import sentiment as recipe
from stancekit.train.calibration import scored_macro_f1
from stancekit.train import sentiment_data as sd

# -- input format ------------------------------------------------------------------------------


@pytest.mark.parametrize("text,start,end,expected", [
    ("Putin lied.", 0, 5, ("Putin", "<t> Putin </t> lied.")),
    ("Critics say Putin lied.", 12, 17, ("Putin", "Critics say <t> Putin </t> lied.")),
    ("They thanked Mr Healey", 13, 22, ("Mr Healey", "They thanked <t> Mr Healey </t>")),
    ("“Zelensky’s” plan", 1, 9, ("Zelensky", "“<t> Zelensky </t>’s” plan")),
    ("A  new\nPrime  Minister said", 3, 22, ("new Prime Minister", "A  <t> new\nPrime  Minister </t> said")),
])
def test_target_pair_marks_the_mention(text, start, end, expected):
    assert sd.target_pair(text, start, end) == expected


@pytest.mark.parametrize("start,end", [(0, 0), (-1, 3), (5, 4), (3, 99)])
def test_mark_rejects_bad_offsets(start, end):
    with pytest.raises(ValueError, match="offsets"):
        sd.mark("Putin lied.", start, end)


@pytest.mark.parametrize("where", [0, 0.3, 0.5, 0.99])
def test_long_text_is_cropped_around_the_mention(where):
    words = [f"w{i}" for i in range(400)]
    i = int(where * (len(words) - 1))
    words[i] = "Trump"
    text = " ".join(words)
    start = text.index("Trump")
    cut, s, e = sd.crop(text, start, start + 5, max_chars=200)
    assert len(cut) <= 200 and cut[s:e] == "Trump" and cut in text
    assert cut == cut.strip() and (cut.split()[0] in words)  # cut at spaces, whole words
    marked = sd.mark(text, start, start + 5, max_chars=200)
    assert "<t> Trump </t>" in marked


def test_short_text_is_not_cropped():
    assert sd.crop("short text", 0, 5) == ("short text", 0, 5)


def test_tone_pair_has_fixed_first_text():
    assert sd.tone_pair("We will win.") == (sd.TONE_QUERY, "We will win.")
    a, b, y = sd.tone_pairs([{"text": "x", "label": "neutral"}, {"text": "y", "label": "positive"}])
    assert a == [sd.TONE_QUERY] * 2 and b == ["x", "y"] and y == ["neutral", "positive"]


# -- data loading --------------------------------------------------------------------------------

NEWS = [
    {"primary_gid": "a", "sentence_normalized": "Critics say Putin lied to Trump.",
     "targets": [{"Input.gid": "a", "from": 12, "to": 17, "mention": "Putin", "polarity": 2.0},
                 {"Input.gid": "b", "from": 26, "to": 31, "mention": "Trump", "polarity": 4.0,
                  "further_mentions": [{"from": 0, "to": 1, "mention": "C"}]}]},
    {"primary_gid": "c", "sentence_normalized": "Merkel won praise.",
     "targets": [{"Input.gid": "c", "from": 0, "to": 6, "mention": "Merkel", "polarity": 6.0}]},
]
DOMAIN = [
    {"text": "A shameful betrayal.", "sentiment": "negative", "split": "train", "synthetic": True},
    {"text": "We welcome the talks.", "sentiment": "positive", "split": "train", "synthetic": True},
    {"text": "The meeting is on Friday.", "sentiment": "neutral", "split": "dev", "synthetic": True},
]


def write_jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_flatten_newsmtsc_one_row_per_target():
    batch = {k: [r[k] for r in NEWS] for k in NEWS[0]}
    out = sd.flatten_newsmtsc(batch)
    assert out["label"] == ["negative", "neutral", "positive"]
    assert [t[s:e] for t, s, e in zip(out["text"], out["start"], out["end"])] == ["Putin", "Trump", "Merkel"]


def test_load_newsmtsc_and_domain(tmp_path):
    ds = sd.load_newsmtsc(write_jsonl(tmp_path / "n.jsonl", NEWS))
    assert len(ds) == 3 and set(ds.column_names) == {"text", "start", "end", "mention", "label"}
    a, b, y = sd.target_pairs(ds)
    assert a == ["Putin", "Trump", "Merkel"] and b[0] == "Critics say <t> Putin </t> lied to Trump."
    dom = write_jsonl(tmp_path / "d.jsonl", DOMAIN)
    assert sd.load_domain(dom, "train")["label"] == ["negative", "positive"]
    assert sd.load_domain(dom, "dev")["text"] == ["The meeting is on Friday."]


def test_build_sets_from_a_tiny_data_root(tmp_path):
    for key, rel in sd.NEWSMTSC.items():
        write_jsonl(tmp_path / rel, NEWS)
    dom = write_jsonl(tmp_path / "d.jsonl", DOMAIN)
    sets = recipe.build_sets(tmp_path, dom, tone_upsample=2)
    a, b, y = sets["train"]
    assert len(a) == 3 + 2 * 2 and a.count(sd.TONE_QUERY) == 4
    assert sets["sizes"]["train_pairs"] == 7 and sets["sizes"]["domain_tone_dev"] == 1
    assert set(sets["dev"]) == {"newsmtsc_rw_dev", "newsmtsc_mt_dev", "domain_tone_dev"}


def test_build_sets_says_what_is_missing(tmp_path):
    with pytest.raises(SystemExit, match="--data"):
        recipe.build_sets(tmp_path, tmp_path / "none.jsonl")


def test_recipe_arguments_defaults():
    args = recipe.add_arguments(argparse.ArgumentParser()).parse_args([])
    assert args.max_length == 128 and args.seed == 13 and args.out.endswith("sentiment-minilm")


# -- metrics and abstain -------------------------------------------------------------------------


def test_macro_f1_counts_abstain_as_wrong():
    gold = ["negative", "neutral", "positive"]
    assert recipe.macro_f1(gold, gold) == 1.0
    assert recipe.macro_f1(gold, ["negative", "neutral", ABSTAIN]) == pytest.approx(2 / 3)
    assert recipe.scores(gold, gold) == {"macro_f1": 1.0, "accuracy": 1.0, "n": 3}


def test_pick_abstain_only_where_it_raises_macro_f1_as_the_gold_scorer_counts():
    sure = np.repeat(np.eye(3) * 0.85 + 0.05, 30, axis=0)  # 90 confident, right
    shaky = np.tile([0.40, 0.35, 0.25], (10, 1))  # top label 0, gold 1 or 2: all wrong
    probs, y = np.vstack([sure, shaky]), np.array([0] * 30 + [1] * 30 + [2] * 30 + [1, 2] * 5)
    assert scored_macro_f1(probs, y) == pytest.approx((60 / 70 + 2 * 60 / 65) / 3)
    assert scored_macro_f1(probs, y, 0.41) == pytest.approx((1 + 2 * 60 / 65) / 3)
    assert recipe.pick_abstain(probs, y) == pytest.approx(0.41)  # the smallest t that drops them
    y_right = np.array([0] * 30 + [1] * 30 + [2] * 30 + [0] * 10)
    assert recipe.pick_abstain(probs, y_right) == 0.0  # the shaky ones are right: never abstain
    conf = np.array([0.36, 0.38] + [0.9] * 38)
    two = np.stack([conf, (1 - conf) / 2, (1 - conf) / 2], 1)
    y_rare = np.array([1, 2] + [0] * 38)  # wrong, but dropping them gains under a point of macro-F1
    assert scored_macro_f1(two, y_rare, 0.4) - scored_macro_f1(two, y_rare) < 0.01
    assert recipe.pick_abstain(two, y_rare) == 0.0


class StubModel:
    labels = ["negative", "neutral", "positive"]
    abstain_below = 0.4

    def __init__(self):
        self.calls = []

    def predict_proba(self, a, b):
        self.calls.append((list(a), list(b)))
        rows = {"good": [0.1, 0.1, 0.8], "bad": [0.7, 0.2, 0.1]}
        return np.array([rows.get(next((w for w in rows if w in x), ""), [0.35, 0.33, 0.32]) for x in b])


def test_to_label_keeps_scores_when_abstaining():
    lab = to_label({"negative": 0.35, "neutral": 0.33, "positive": 0.32}, 0.4)
    assert lab == Label(ABSTAIN, {"negative": 0.35, "neutral": 0.33, "positive": 0.32})


def test_tone_batches_once_and_abstains_below_threshold():
    model = StubModel()
    clf = SentimentClassifier(model)
    out = clf.tone(["a good day", "a bad day", "a day"])
    assert [l.label for l in out] == ["positive", "negative", ABSTAIN]
    assert len(model.calls) == 1 and model.calls[0][0] == [sd.TONE_QUERY] * 3
    assert out[2].scores["negative"] == pytest.approx(0.35)
    assert SentimentClassifier(model, abstain_below=0.3).tone("a day").label == "negative"


def test_tone_and_toward_use_their_own_thresholds():
    model = StubModel()
    model.config_ = {"tone_abstain_below": 0.3}
    clf = SentimentClassifier(model)
    assert clf.tone("a day").label == "negative"  # 0.35 >= tone threshold 0.3
    assert clf.toward(("a day", 0, 1)).label == ABSTAIN  # 0.35 < abstain_below 0.4
    assert SentimentClassifier(model, abstain_below=0.5).tone("a good day").label == "positive"
    assert SentimentClassifier(model, abstain_below=0.5).tone("a day").label == ABSTAIN


class StubLogits:
    labels = ["negative", "neutral", "positive"]

    def logits(self, a, b):
        return np.array([[4.0, 0, 0] if "bad" in x else [0, 0, 4.0] if "good" in x else [0.3, 0.2, 0.1] for x in b])


def test_calibrate_sets_temperature_and_per_use_thresholds():
    dev = {"newsmtsc_rw_dev": (["X"] * 22, ["bad", "good"] * 10 + ["so-so"] * 2,
                               ["negative", "positive"] * 10 + ["neutral", "positive"]),
           "domain_tone_dev": ([sd.TONE_QUERY] * 2, ["bad", "good"], ["negative", "positive"])}
    clf = StubLogits()
    card = recipe.calibrate(clf, dev)
    so_so = np.exp(np.array([0.3, 0.2, 0.1]) / clf.temperature_)
    assert clf.temperature_ > 0 and card["tone_abstain_below"] == 0.0  # tone dev is all right: never
    assert so_so.max() / so_so.sum() < clf.abstain_below <= 0.6  # the two wrong "so-so" rows abstain
    assert card["dev_metrics"]["domain_tone_dev"]["accuracy"] == 1.0
    assert recipe.calibrate(StubLogits(), dev, abstain=0.5)["tone_abstain_below"] == 0.5


def test_toward_marks_mentions_and_keeps_order():
    model = StubModel()
    clf = SentimentClassifier(model)
    text = "Putin is bad, Zelensky is good."
    out = clf.toward([(text, 14, 22), (text, 0, 5)])
    assert len(model.calls) == 1
    a, b = model.calls[0]
    assert a == ["Zelensky", "Putin"]
    assert b == ["Putin is bad, <t> Zelensky </t> is good.", "<t> Putin </t> is bad, Zelensky is good."]
    assert all(isinstance(l, Label) for l in out)
    assert isinstance(clf.toward((text, 0, 5)), Label)
    assert clf.toward([]) == [] and clf.tone([]) == []


def test_classifier_without_model_says_how_to_load():
    with pytest.raises(RuntimeError, match="load"):
        SentimentClassifier().tone(["x"])
