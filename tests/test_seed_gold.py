"""The seed article's gold annotation as a regression test for segmentation and attribution."""
import pytest

from stancekit.evaluate import match_spans, score_quotes, speaker_ok
from stancekit.segment import segment
from stancekit.doc import Quote


def predict(gold):
    quotes, _ = segment(gold["text"], date="2025-02-12")
    return {"id": gold["id"], "quotes": [q.to_dict() for q in quotes], "profiles": []}


def test_seed_attribution_f1_at_least_085(seed_gold):
    scores = score_quotes([seed_gold], [predict(seed_gold)])
    assert scores["attribution_f1"] >= 0.85, scores
    assert scores["span_f1"] >= 0.85, scores


def test_seed_every_required_gold_quote_found_with_its_speaker(seed_gold):
    pred = predict(seed_gold)["quotes"]
    gq = seed_gold["quotes"]
    pairs = dict(match_spans([(q["start"], q["end"]) for q in gq], [(q["start"], q["end"]) for q in pred]))
    for i, q in enumerate(gq):
        if q.get("optional"):
            continue
        assert i in pairs, f"missed: {q['text'][:60]}"
        got = pred[pairs[i]]["speaker"]
        assert speaker_ok(got, q["speaker"], seed_gold["actors"][q["speaker"]]), (q["text"][:50], got)


def test_seed_offsets_index_the_text(seed_gold):
    text = seed_gold["text"]
    quotes, actors = segment(text)
    for q in quotes:
        assert text[q.start:q.end] == q.text
        for span in (q.speaker_mention, q.cue):
            if span:
                assert text[span.start:span.end] == span.text
    for a in actors:
        for m in a.mentions:
            assert text[m.start:m.end] == m.text


def test_scoring_rules():
    assert match_spans([(0, 10)], [(5, 30)]) == [(0, 0)]       # overlap 5 >= half of 10
    assert match_spans([(0, 10)], [(6, 30)]) == []
    assert speaker_ok("Mr Healey", "John Healey", [])  # surname rule
    assert speaker_ok("Healey", "John Healey", [])
    assert speaker_ok("the US", "United States", ["the US"])
    assert not speaker_ok(None, "United States", ["the US"])
    q = Quote(0, 3, "abc", "direct").to_dict()
    gold = {"id": "d", "text": "abc", "actors": {"A": []},
            "quotes": [{"start": 0, "end": 3, "speaker": "A", "optional": True}]}
    s = score_quotes([gold], [{"id": "d", "quotes": [q]}])
    assert s["n_gold"] == 0 and s["n_pred"] == 0  # a matched optional quote neither counts nor costs


def test_score_labels_counts_acceptable_abstain_and_missing_profiles():
    from stancekit.evaluate import score_labels

    gold = {"id": "d", "actors": {"Ann Lee": ["Lee"], "Bo": []},
            "quotes": [{"start": 0, "end": 10, "speaker": "Ann Lee", "stance": {"t": "favor"}, "sentiment": "positive"},
                       {"start": 20, "end": 30, "speaker": "Bo", "stance": {"t": "none"}, "sentiment": "neutral",
                        "acceptable": {"t": ["against"]}},
                       {"start": 40, "end": 50, "speaker": "Bo", "stance": {"t": "against"}, "sentiment": "negative",
                        "optional": True}],
            "profiles": {"Ann Lee": {"t": "favor"}, "Bo": {"t": "none"}}}
    pred = {"id": "d", "quotes": [{"start": 1, "end": 9, "stance": {"t": {"label": "favor"}}, "sentiment": "abstain"},
                                  {"start": 21, "end": 29, "stance": {"t": "against"}, "sentiment": "neutral"},
                                  {"start": 40, "end": 50, "stance": {"t": "favor"}, "sentiment": "positive"}],
            "profiles": [{"actor": "Lee", "target": "t", "label": "favor"}]}
    r = score_labels([gold], [pred])
    assert r["n_quotes"] == 2  # the optional quote is not scored
    assert r["stance_t_f1"] == 1.0  # "against" is acceptable for the second quote
    assert r["sentiment_f1"] == pytest.approx((0 + 1) / 2)  # abstain: a miss for positive; neutral right
    assert r["profiles_polar"] == (1, 1) and r["profiles_none"] == (1, 1)  # surname matches; missing reads as none
