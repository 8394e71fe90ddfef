"""Fast tests of the stance classifier's rules and data builders (no trained model, no shared data)."""
from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from stancekit.classify.stance import (StanceClassifier, context_sentence, format_quote, gated_out,
                                       needs_context)
from stancekit.doc import Label
from stancekit.targets import BUILTIN_TARGETS, Target
from stancekit.train import stance_data as sd
from stancekit.train.stance import pick_abstain

NATO, TALKS = BUILTIN_TARGETS["nato_membership"], BUILTIN_TARGETS["peace_talks"]


# -- context rule -------------------------------------------------------------------------------
@pytest.mark.parametrize("context, expected", [
    ("", ""),
    ('Mr Healey said: “', ""),  # only an unfinished lead-in
    ("Earlier. Ukraine's rightful place is in Nato.\n\n“", "Ukraine's rightful place is in Nato."),
    ("First sentence. He added: “We back Kyiv.” Then he said: ", "He added: We back Kyiv."),
    ("Earlier. He added: “Ukraine's place is in Nato.\n\n“", "He added: Ukraine's place is in Nato."),
    ("No end mark here", ""),
    ("x" * 500 + ". Short one.", "Short one."),
])
def test_context_sentence(context, expected):
    assert context_sentence(context) == expected


@pytest.mark.parametrize("quote, expected", [
    ("That is a process that will take some time, and for now our duty is clear.", True),
    ("It's not going to happen in the foreseeable future, whatever anyone says.", True),
    ("Not this year.", True),  # short
    ("Ukraine's rightful place is in Nato, and we have always been clear about it.", False),
    ("Thatcher's legacy is not what matters in this debate about the alliance.", False),
    ("We are and we will.", False),
])
def test_needs_context(quote, expected):
    assert needs_context(quote) is expected


def test_format_quote_prepends_previous_sentence_only_when_needed():
    ctx = "Earlier news. He added: “Ukraine's rightful place is in Nato.\n\n“"
    assert format_quote("That is a process that will take some time.", ctx) == (
        "He added: Ukraine's rightful place is in Nato. That is a process that will take some time.")
    long_quote = "The nations around the table must step up the help for Ukraine, and we will."
    assert format_quote(long_quote, ctx) == long_quote
    assert format_quote("It will.", 'He was asked about Nato. He said: “') == "He was asked about Nato. It will."
    assert format_quote("It will.", 'He said: “') == "It will."
    assert format_quote("It will.", "") == "It will."


# -- keyword gate ---------------------------------------------------------------------------------
@pytest.mark.parametrize("target, quote, context, expected", [
    (NATO, "We sent 500,000 rounds of ammunition.", "", True),
    (NATO, "Ukraine's rightful place is in Nato.", "", False),
    (NATO, "That will take time.", "Membership is the goal. He said: ", False),  # keyword in the context sentence
    (TALKS, "We sent tanks.", "He spoke about talks. Then more. Then he said: ", True),  # only one sentence counts
    (Target("x", "Cats are great."), "Anything at all.", "", False),  # no keywords: never gated
])
def test_gated_out(target, quote, context, expected):
    assert gated_out(target, quote, context) is expected


# -- StanceClassifier with a stub model -----------------------------------------------------------
class StubModel:
    labels = ["favor", "against", "none"]
    abstain_below = 0.5

    def __init__(self, rows):
        self.rows, self.calls = rows, []

    def predict_proba(self, a, b):
        self.calls.append((list(a), list(b)))
        return np.array([self.rows(p, t) for p, t in zip(a, b)])


def _rows(prop, text):
    if "unsure" in text:
        return [0.4, 0.35, 0.25]
    return [0.8, 0.1, 0.1] if "NATO" in prop else [0.1, 0.2, 0.7]


def test_predict_gates_batches_and_abstains():
    stub = StubModel(_rows)
    clf = StanceClassifier(stub)
    items = [("We sent tanks and drones to Kyiv this week, and will send more.", ""),
             ("Ukraine belongs in the alliance and peace talks must wait.", ""),
             ("I am unsure whether Nato membership or talks come first.", "")]
    out = clf.predict(items, [NATO, TALKS])
    assert len(stub.calls) == 1 and len(stub.calls[0][0]) == 4  # one batch; item 0 fully gated
    assert out[0] == {"nato_membership": Label("none", {"favor": 0.0, "against": 0.0, "none": 1.0}),
                      "peace_talks": Label("none", {"favor": 0.0, "against": 0.0, "none": 1.0})}
    assert out[1]["nato_membership"].label == "favor"
    assert out[1]["peace_talks"].label == "none"
    assert out[2]["nato_membership"].label == "abstain"  # 0.4 < 0.5
    assert out[2]["nato_membership"].scores == pytest.approx({"favor": 0.4, "against": 0.35, "none": 0.25})
    assert list(out[1]) == ["nato_membership", "peace_talks"]


def test_predict_threshold_override_targets_by_id_and_context_in_input():
    stub = StubModel(_rows)
    clf = StanceClassifier(stub, abstain_below=0.0)
    out = clf.predict([("That makes me unsure.", "Ukraine wants to join NATO. He said: ")], ["nato_membership"])
    assert out[0]["nato_membership"].label == "favor"
    assert stub.calls[0][1] == ["Ukraine wants to join NATO. That makes me unsure."]


def test_predict_pairs_asks_each_pair_once_in_one_batch_as_predict_would():
    stub = StubModel(_rows)
    clf = StanceClassifier(stub)
    quote, ctx = "Ukraine belongs in the alliance and peace talks must wait.", "Nato met. He said: "
    pairs = [(quote, ctx, TALKS), ("We sent tanks to Kyiv.", "", NATO), (quote, ctx, NATO)]
    out = clf.predict_pairs(pairs)
    assert len(stub.calls) == 1 and len(stub.calls[0][0]) == 2  # the gated pair never reaches the model
    assert out[1].label == "none" and out[1].scores["none"] == 1.0
    full = StanceClassifier(StubModel(_rows)).predict([(quote, ctx)], [NATO, TALKS])[0]
    assert [out[0], out[2]] == [full["peace_talks"], full["nato_membership"]]


def test_predict_empty_and_unfitted():
    stub = StubModel(_rows)
    assert StanceClassifier(stub).predict([], [NATO]) == []
    assert stub.calls == []
    with pytest.raises(RuntimeError, match="load"):
        StanceClassifier().predict([("x", "")], [NATO])


# -- abstain rule ---------------------------------------------------------------------------------
def test_pick_abstain_rule():
    rng = np.random.default_rng(0)
    confident = np.tile([0.9, 0.05, 0.05], (95, 1))
    shaky = np.tile([0.4, 0.35, 0.25], (5, 1))
    probs = np.vstack([confident, shaky])
    y = np.array([0] * 95 + [1] * 5)  # the shaky ones are all wrong: class 0 loses 5 false positives
    assert pick_abstain(probs, y) == pytest.approx(0.41)
    assert pick_abstain(probs, np.zeros(100, int)) == 0.0  # shaky ones right: never abstain
    assert rng is not None


# -- data builders ----------------------------------------------------------------------------------
def test_argq_rows_map_and_clean():
    frame = pd.DataFrame({"Tweet": ["`zoos keep animals safe", "cages are cruel\\"], "Target 1": ["We should abolish zoos"] * 2,
                          "Stance 1": ["AGAINST", "FAVOR"], "set": ["train", "train"]})
    rows = sd.argq_rows(frame)
    assert [r["label"] for r in rows] == ["against", "favor"]
    assert rows[0]["text"] == "zoos keep animals safe" and rows[1]["text"] == "cages are cruel"
    assert rows[0]["proposition"] == "We should abolish zoos"


def _claim_line(fields):
    inner = ",".join(f'"{f}"' if i else f for i, f in enumerate(fields))
    return '"' + inner.replace('"', '""') + '";;;;\n'


def test_parse_claim_stance_odd_format():
    header = ["topicId", "split", "topicText", "claims.stance", "claims.claimCorrectedText"]
    lines = ['"' + ",".join(f'""{h}""' if i else h for i, h in enumerate(header)) + '";;;;\n',
             _claim_line(["1", "test", "This house would ban boxing", "PRO", "Boxing, says the study, causes brain damage"]),
             _claim_line(["2", "train", "This house believes that advertising is harmful", "CON", "Ads fund free media"]),
             '"3,""train"",""broken row""\n']
    recs = sd.parse_claim_stance(lines)
    assert len(recs) == 2 and recs[0]["claims.claimCorrectedText"] == "Boxing, says the study, causes brain damage"
    rows = sd.claim_rows(recs)
    assert [(r["proposition"], r["label"]) for r in rows] == [("We should ban boxing.", "favor"),
                                                              ("Advertising is harmful.", "against")]
    assert [r["label"] for r in sd.claim_rows(recs, exclude_motions=["We should ban boxing in schools"])] == ["against"]


@pytest.mark.parametrize("topic, prop", [
    ("This house believes that bribery is sometimes acceptable", "Bribery is sometimes acceptable."),
    ("This house believes in the use of affirmative action", "We should support the use of affirmative action."),
    ("This house supports raising the school leaving age to 18", "We should support raising the school leaving age to 18."),
    ("This house believes atheism is the only way", "Atheism is the only way."),
])
def test_claim_proposition(topic, prop):
    assert sd.claim_proposition(topic) == prop


@pytest.mark.parametrize("prop, neg", [
    ("We should abolish zoos", "We should not abolish zoos"),
    ("Surrogacy should be banned", "Surrogacy should not be banned"),
    ("Foster care brings more harm than good", "Foster care brings more good than harm"),
    ("Intelligence tests bring more good than harm", "Intelligence tests bring more harm than good"),
    ("Advertising is harmful.", "Advertising is not harmful."),
    ("We should not ban boxing", None),
    ("Zoos forever", None),
])
def test_negate_proposition(prop, neg):
    assert sd.negate_proposition(prop) == neg


def test_flipped_pairs():
    ds = sd._dataset([{"proposition": "We should ban X", "text": "t1", "label": "favor", "source": "argq"},
                      {"proposition": "Zoos forever", "text": "t2", "label": "favor", "source": "argq"},
                      {"proposition": "Y is good", "text": "t3", "label": "against", "source": "argq"}])
    rows = sorted(sd.flipped(ds, 5, seed=0).to_list(), key=lambda r: r["text"])
    assert [(r["proposition"], r["label"]) for r in rows] == [("We should not ban X", "against"), ("Y is not good", "favor")]


def test_mismatched_and_news_none():
    ds = sd._dataset([{"proposition": p, "text": f"{p} text {i}", "label": "favor", "source": "argq"}
                      for i, p in enumerate(["A.", "B.", "C."] * 4)])
    none = sd.mismatched_none(ds, 20, seed=1)
    assert len(none) == 20 and set(none["label"]) == {"none"}
    assert all(not t.startswith(p) for p, t in zip(none["proposition"], none["text"]))
    assert len(sd.mismatched_none(sd._dataset([]), 5, seed=1)) == 0
    news = sd.news_none(["Budget talks stalled in Congress.", "The storm hit Texas."], 30, ["We should ban boxing."], seed=2)
    assert len(news) == 30 and set(news["label"]) == {"none"}
    assert set(news["proposition"]) <= {NATO.proposition, TALKS.proposition, "We should ban boxing."}
    assert sd.ON_DOMAIN.search("Kyiv said") and not sd.ON_DOMAIN.search("Budget talks")


def test_domain_rows_and_read_domain(tmp_path):
    recs = [{"id": "a", "text": "Ukraine's place is in NATO.", "nato_membership": "favor", "peace_talks": "none",
             "split": "train", "synthetic": True},
            {"id": "b", "text": "That will take time.", "context": "Talks are the only way.", "nato_membership": "none",
             "peace_talks": "favor", "split": "train", "synthetic": True},
            {"id": "c", "text": "No talks.", "nato_membership": "none", "peace_talks": "against", "split": "dev"}]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    assert sd.read_domain(path) == recs
    rows = sd.domain_rows(recs, "train", seed=0)
    assert len(rows) == 4
    assert rows[0] == {"proposition": NATO.proposition, "text": "Ukraine's place is in NATO.", "label": "favor",
                       "source": "domain"}
    assert rows[3]["text"] == "Talks are the only way. That will take time." and rows[3]["label"] == "favor"
    assert [r["label"] for r in sd.domain_rows(recs, "dev")] == ["none", "against"]
    led = sd.domain_rows(recs, "train", seed=0, context_share=1.0)
    assert led[0]["text"] == "Ukraine's place is in NATO."  # not short, not anaphoric: no context
    assert led[3]["text"] == rows[3]["text"]  # a record's own context wins
    short = [{"id": "s", "text": "Not this year.", "nato_membership": "favor", "split": "train"}]
    text = sd.domain_rows(short, "train", ("nato_membership",), context_share=1.0)[0]["text"]
    assert any(text == f"{c} Not this year." for c in sd.NEUTRAL_CONTEXT)
    off = sd.offtarget_none(recs, "train", ["We should ban boxing."], seed=0)
    assert [(r["proposition"], r["label"], r["source"]) for r in off] == [("We should ban boxing.", "none", "domain_offtarget")] * 2
    with pytest.raises(FileNotFoundError, match="GUIDELINES"):
        sd.read_domain(tmp_path / "missing.jsonl")


# -- CLI ------------------------------------------------------------------------------------------
def test_train_cli_parser():
    from stancekit.cli import train

    parser = argparse.ArgumentParser(prog="stancekit")
    train.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["train", "stance", "--epochs", "2", "--seed", "7", "--data", "/x"])
    from stancekit.train import stance

    assert args.func is stance.run and args.epochs == 2.0 and args.seed == 7 and args.data == "/x"
    args = parser.parse_args(["train", "sentiment"])
    assert callable(args.func)
