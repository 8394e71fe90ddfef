"""Fast tests of the quote benchmark's scoring (benchmarks/quote_scoring.py) on hand-made inputs."""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("quote_scoring", ROOT / "benchmarks" / "quote_scoring.py")
qs = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("quote_scoring", qs)
_spec.loader.exec_module(qs)


def _doc(quotes, actors=None, text="x" * 200):
    return {"id": "d", "text": text, "actors": actors or {"John Healey": ["Mr Healey", "the Defence Secretary"]},
            "quotes": quotes}


def _gq(s, e, speaker="John Healey", optional=False):
    return {"start": s, "end": e, "speaker": speaker, "optional": optional}


# ------------------------------------------------------------------ overlap matching


def test_overlap_half_of_shorter_span():
    # gold 0-100, prediction 40-60: overlap 20 = all of the shorter span -> match
    assert qs.overlap_match([(0, 100)], [(40, 60)]) == [(0, 0)]
    # gold 0-10, prediction 6-30: overlap 4 < 5 (half of the shorter, 10) -> no match
    assert qs.overlap_match([(0, 10)], [(6, 30)]) == []
    # exactly half of the shorter span is enough
    assert qs.overlap_match([(0, 10)], [(5, 30)]) == [(0, 0)]


def test_overlap_matching_is_one_to_one_and_prefers_the_closer_pair():
    gold = [(0, 50), (60, 100)]
    pred = [(0, 48), (2, 50), (60, 100)]
    pairs = qs.overlap_match(gold, pred)
    assert sorted(pairs) == [(0, 1), (1, 2)]  # (2, 50) covers more of gold 0 than (0, 48)


def test_span_prf_and_exact():
    doc = _doc([_gq(0, 50), _gq(60, 100)])
    preds = {"d": [{"start": 0, "end": 50, "speaker": "Healey"}, {"start": 62, "end": 100, "speaker": None},
                   {"start": 150, "end": 190, "speaker": "Healey"}]}
    r = qs.score_gold_docs([doc], preds)
    assert r["span"]["p"] == pytest.approx(2 / 3) and r["span"]["r"] == 1.0
    assert r["exact"]["tp"] == 1
    assert r["attribution"]["tp"] == 1 and r["speaker_acc"] == 0.5


# ------------------------------------------------------------------ optional gold quotes


def test_optional_quotes_neither_required_nor_penalised():
    doc = _doc([_gq(0, 50), _gq(60, 100, optional=True)])
    # predicting the optional one: not a false positive; missing it: not a false negative
    with_opt = qs.score_gold_docs([doc], {"d": [{"start": 0, "end": 50, "speaker": "Healey"},
                                                 {"start": 60, "end": 100, "speaker": "Healey"}]})
    without = qs.score_gold_docs([doc], {"d": [{"start": 0, "end": 50, "speaker": "Healey"}]})
    for r in (with_opt, without):
        assert r["span"]["f1"] == 1.0 and r["attribution"]["f1"] == 1.0
        assert r["counts"]["gold"] == 1 and r["counts"]["pred"] == 1


def test_prediction_not_matching_anything_is_a_false_positive_even_near_optional():
    doc = _doc([_gq(0, 50), _gq(60, 100, optional=True)])
    r = qs.score_gold_docs([doc], {"d": [{"start": 0, "end": 50, "speaker": "Healey"},
                                          {"start": 120, "end": 160, "speaker": None}]})
    assert r["counts"]["pred"] == 2 and r["span"]["p"] == 0.5


# ------------------------------------------------------------------ speaker rule


@pytest.mark.parametrize("pred,ok", [
    ("John Healey", True), ("john healey", True), ("Mr Healey", True), ("Mr. Healey", True),
    ("the Defence Secretary", True), ("Healey", True), ("Sir John Healey", True),
    ("Healey's", False), ("Pete Hegseth", False), (None, False), ("", False), ("the secretary", False),
])
def test_speaker_rule(pred, ok):
    assert qs.speaker_ok(pred, "John Healey", ["Mr Healey", "the Defence Secretary"]) is ok


def test_surname_rule_needs_a_multiword_canonical_name():
    # single-word canonical (an organisation): only exact names/aliases count
    assert qs.speaker_ok("the US", "United States", ["the US", "Washington"])
    assert not qs.speaker_ok("Kremlin spokesman", "Kremlin", [])
    assert qs.speaker_ok("Dmitry Peskov", "Peskov", []) is False  # canonical has one word: no surname rule


# ------------------------------------------------------------------ PolNeAR helpers


ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 24\tthe war ended
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 27 35;47 56\t“We won,” “It's over”
T6\tCue 37 41\tsaid
T7\tSource 42 45\tshe
T8\tAttribution 37 41\tsaid
E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7
T9\tCue 60 64\tsaid
T10\tContent 65 70\tstuff
T11\tAttribution-no-source 60 64\tsaid
E3\tAttribution-no-source:T11 Content:T10 Cue:T9
"""
TEXT = "Smith said the war ended. “We won,” she said. “It's over” it said stuff."


def test_parse_brat_fragments_and_no_source():
    gold = qs.parse_brat(ANN)
    assert [g.content for g in gold] == [(11, 24), (27, 56), (65, 70)]
    assert gold[1].content_fragments == [(27, 35), (47, 56)] and gold[1].source == (42, 45)
    assert gold[2].source is None and gold[2].cue == (60, 64)


def test_normalise_span_strips_marks_that_and_punctuation():
    t = 'He said that "we will win." Then'
    s, e = qs.normalise_span(t, 8, 27)
    assert t[s:e] == "we will win"
    assert qs.normalise_span(t, 14, 25) == (14, 25)


def test_score_polnear_counts():
    text = "Smith said the war ended. “We won,” she said. “It's over.” Jones said peace came now."
    gold = [qs.GoldAttribution((11, 24), (0, 5), (6, 10)), qs.GoldAttribution((26, 57), (36, 39), (40, 44))]
    doc = {"id": "d", "text": text, "gold": gold}
    preds = [{"start": 11, "end": 24, "mention": (0, 5), "cue": (6, 10), "kind": "indirect"},
             {"start": 27, "end": 34, "mention": (36, 39), "cue": (40, 44), "kind": "direct"},
             {"start": 47, "end": 57, "mention": None, "cue": None, "kind": "direct"},
             {"start": 70, "end": 84, "mention": (59, 64), "cue": (65, 69), "kind": "indirect"}]
    r = qs.score_polnear([doc], {"d": preds})
    assert r["content_exact"]["tp"] == 1 and r["content_overlap"]["tp"] == 2
    assert r["content_overlap"]["pred"] == 4 and r["content_overlap"]["gold"] == 2
    # unjoined, gold 2 pairs with the cue-less second half ("It's over."): no source credit
    assert r["attribution"]["tp"] == 1 and r["source_exact"]["tp"] == 2
    merged = qs.merge_split_quotes(text, preds)
    assert len(merged) == 3 and (merged[1]["start"], merged[1]["end"]) == (27, 57)
    assert merged[1]["mention"] == (36, 39)
    r2 = qs.score_polnear([doc], {"d": merged})
    assert r2["content_overlap"]["pred"] == 3 and r2["content_norm_exact"]["tp"] == 2
    assert r2["attribution"]["tp"] == 2


def test_merge_keeps_quotes_with_their_own_later_cue_apart():
    text = "“We won,” he said. “We lost,” she said."
    preds = [{"start": 1, "end": 8, "kind": "direct", "cue": (13, 17), "mention": (10, 12)},
             {"start": 20, "end": 28, "kind": "direct", "cue": (34, 38), "mention": (30, 33)}]
    assert len(qs.merge_split_quotes(text, preds)) == 2


SCORER = ROOT.parent / "shared" / "tools" / "score_gold.py"


@pytest.mark.skipif(not SCORER.exists(), reason="needs ../shared/tools/score_gold.py")
def test_agrees_with_the_project_scorer_on_a_toy_document(tmp_path):
    import json
    import subprocess
    doc = _doc([_gq(0, 50), _gq(55, 60, optional=True), _gq(60, 100), _gq(120, 140, speaker="Pete Hegseth")],
               actors={"John Healey": ["Mr Healey"], "Pete Hegseth": ["Mr Hegseth"]})
    for q in doc["quotes"]:
        q.update(stance={}, sentiment="neutral", kind="direct")
    doc.update(targets={}, profiles={})
    preds = [{"start": 0, "end": 40, "speaker": "Mr Healey"}, {"start": 54, "end": 61, "speaker": None},
             {"start": 70, "end": 99, "speaker": "Hegseth"}, {"start": 121, "end": 139, "speaker": "Pete Hegseth"},
             {"start": 150, "end": 170, "speaker": "Healey"}]
    (tmp_path / "g.jsonl").write_text(json.dumps(doc) + "\n")
    (tmp_path / "p.jsonl").write_text(json.dumps({"id": "d", "quotes": preds, "profiles": []}) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), str(tmp_path / "g.jsonl"), str(tmp_path / "p.jsonl")],
                         capture_output=True, text=True, check=True).stdout
    theirs = json.loads(out)
    ours = qs.score_gold_docs([doc], {"d": preds})
    assert ours["span"]["f1"] == pytest.approx(theirs["quote_span_f1"])
    assert ours["attribution"]["f1"] == pytest.approx(theirs["attribution_f1"])
    assert ours["speaker_acc"] == pytest.approx(theirs["speaker_acc_on_matched"])
