"""Per-document profiles: weighting, abstain exclusion, label thresholds, evidence order."""
import pytest

from stancekit.aggregate import LABEL_THRESHOLD, document_profiles
from stancekit.aggregate.scoring import quote_score, stance_label
from stancekit.doc import Document, Label, Quote


def lab(label, f, a, n):
    return Label(label, {"favor": f, "against": a, "none": n})


def quote(start, speaker, **stance):
    return Quote(start, start + 5, f"q{start}", "direct", speaker=speaker, stance=stance)


def test_weighting_by_confidence():
    # score_i = P(f)-P(a), weight_i = max prob: (0.8*0.9 + 0.5*(-0.4)) / (0.9 + 0.5) = 0.3714...
    doc = Document("x" * 50, quotes=[quote(0, "A", t=lab("favor", 0.9, 0.1, 0.0)),
                                     quote(10, "A", t=lab("against", 0.3, 0.5, 0.2))])
    (p,) = document_profiles(doc, ["t"])
    assert p.score == pytest.approx((0.8 * 0.9 - 0.2 * 0.5) / 1.4)
    assert p.label == "favor" and p.n_quotes == 2


def test_abstain_and_unattributed_quotes_are_skipped():
    doc = Document("x" * 50, quotes=[quote(0, "A", t=lab("abstain", 0.1, 0.5, 0.4)),
                                     quote(10, None, t=lab("favor", 1, 0, 0)),
                                     quote(20, "A", t=lab("favor", 0.6, 0.1, 0.3))])
    (p,) = document_profiles(doc, ["t"])
    assert p.n_quotes == 1 and p.score == pytest.approx(0.5)
    assert [e["start"] for e in p.evidence] == [20]


def test_only_abstained_gives_no_row():
    doc = Document("x", quotes=[quote(0, "A", t=lab("abstain", 0.4, 0.3, 0.3))])
    assert document_profiles(doc, ["t"]) == []


@pytest.mark.parametrize("score,expected", [
    (LABEL_THRESHOLD, "favor"), (LABEL_THRESHOLD - 1e-9, "none"), (0.0, "none"),
    (-LABEL_THRESHOLD + 1e-9, "none"), (-LABEL_THRESHOLD, "against"), (1.0, "favor"), (-1.0, "against"),
])
def test_label_thresholds(score, expected):
    assert stance_label(score) == expected


@pytest.mark.parametrize("label,scores,expected", [
    ("favor", {"favor": 0.7, "against": 0.1, "none": 0.2}, (0.6, 0.7)),
    ("none", {"favor": 0.2, "against": 0.2, "none": 0.6}, (0.0, 0.6)),
    ("against", {}, (-1.0, 1.0)),  # no probabilities (gold): certain
    ("none", {}, (0.0, 1.0)),
])
def test_quote_score(label, scores, expected):
    assert quote_score(label, scores) == pytest.approx(expected)


def test_rows_per_speaker_and_target_with_none_label_and_evidence_order():
    doc = Document("x" * 100, quotes=[
        quote(0, "A", t=lab("none", 0.1, 0.1, 0.8), u=lab("favor", 0.6, 0.2, 0.2)),
        quote(10, "B", u=lab("against", 0.0, 1.0, 0.0)),
        quote(20, "A", u=lab("favor", 0.95, 0.0, 0.05)),
        quote(30, "A", u=lab("favor", 0.7, 0.1, 0.2)),
        quote(40, "A", u=lab("favor", 0.5, 0.4, 0.1)),
    ])
    rows = document_profiles(doc, ["t", "u"])
    assert [(p.actor, p.target, p.label) for p in rows] == [("A", "t", "none"), ("A", "u", "favor"), ("B", "u", "against")]
    evidence = rows[1].evidence
    assert [e["start"] for e in evidence] == [20, 30, 0]  # strongest (weight x |score|) first, at most 3
    assert set(evidence[0]) == {"start", "end", "text", "label", "score"}
    assert evidence[0]["score"] == pytest.approx(0.95)


def test_unrequested_targets_ignored():
    doc = Document("x", quotes=[quote(0, "A", t=lab("favor", 1, 0, 0))])
    assert document_profiles(doc, ["other"]) == []
