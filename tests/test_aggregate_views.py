"""Time and outlet views: periods, shift flags, per-outlet stance and deviation."""
import pandas as pd
import pytest

from stancekit.aggregate import stance_by_outlet, stance_over_time
from stancekit.doc import Document, Label, Quote


def docs_from(rows):
    """rows: (date, source, speaker, label) -> one single-quote document each."""
    return [Document("x", id=f"d{i}", date=date, source=source,
                     quotes=[Quote(0, 1, "x", "direct", speaker=speaker, stance={"talks": Label(label)})])
            for i, (date, source, speaker, label) in enumerate(rows)]


TRUMP = docs_from([
    ("2025-01-06", "BBC", "Trump", "favor"),    # week of Mon 6 Jan
    ("2025-01-08", "Fox", "Trump", "favor"),
    ("2025-01-14", "BBC", "Trump", "favor"),    # week of 13 Jan: no change
    ("2025-01-21", "BBC", "Trump", "against"),  # week of 20 Jan: flip
    ("2025-02-03", "Fox", "Trump", "none"),     # week of 3 Feb: moved by 1.0
    ("2025-02-04", "BBC", "Trump", "abstain"),  # left out
    (None, "BBC", "Trump", "against"),          # undated: not in time views
])


def test_weekly_periods_and_shift_flag():
    t = stance_over_time(TRUMP, freq="W")
    assert list(t["period"]) == [pd.Timestamp(d) for d in ("2025-01-06", "2025-01-13", "2025-01-20", "2025-02-03")]
    assert list(t["n_quotes"]) == [2, 1, 1, 1]
    assert list(t["label"]) == ["favor", "favor", "against", "none"]
    assert list(t["shift"]) == [False, False, True, True]
    assert pd.isna(t["prev_score"].iat[0]) and t["prev_score"].iat[2] == pytest.approx(1.0)


def test_monthly_periods():
    t = stance_over_time(TRUMP, freq="M")
    assert list(t["period"]) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert t["score"].iat[0] == pytest.approx(0.5) and list(t["shift"]) == [False, True]


@pytest.mark.parametrize("scores,threshold,expected", [
    ([1.0, 0.8], 0.3, [False, False]),     # small move
    ([1.0, 0.6], 0.3, [False, True]),      # moved by 0.4 > 0.3
    ([1.0, 0.6], 0.5, [False, False]),
    ([0.25, -0.25], 0.9, [False, True]),   # favor -> against flips even under the threshold
    ([0.1, 0.15, -0.1], 0.3, [False, False, False]),  # none <-> none is no flip
])
def test_shift_rule(scores, threshold, expected):
    docs = [Document("x", id=f"d{i}", date=f"2025-0{i + 1}-10",
                     quotes=[Quote(0, 1, "x", "direct", speaker="A",
                                   stance={"t": Label("x", {"favor": (1 + s) / 2, "against": (1 - s) / 2, "none": 0})})])
            for i, s in enumerate(scores)]
    assert list(stance_over_time(docs, freq="M", threshold=threshold)["shift"]) == expected


def test_shift_is_per_actor_and_target():
    docs = docs_from([("2025-01-06", "BBC", "A", "favor"), ("2025-01-13", "BBC", "B", "against")])
    assert not stance_over_time(docs)["shift"].any()


def test_outlet_view_with_deviation():
    t = stance_by_outlet(TRUMP)
    assert list(t["source"]) == ["BBC", "Fox"]
    bbc, fox = t.iloc[0], t.iloc[1]
    assert bbc["n_quotes"] == 4 and bbc["n_documents"] == 4   # favor x2, against x2 (one undated)
    assert bbc["score"] == pytest.approx(0.0) and bbc["label"] == "none"
    assert fox["score"] == pytest.approx(0.5) and fox["label"] == "favor"
    assert t["overall_score"].iat[0] == pytest.approx(1 / 6)
    assert list(t["deviates"]) == [False, True]   # Fox quotes Trump 0.33 more favourably than overall


def test_outlet_view_unknown_source_and_timeline():
    docs = docs_from([("2025-01-06", None, "A", "favor"), ("2025-01-20", "BBC", "A", "against"),
                      ("2025-02-20", "BBC", "A", "favor")])
    assert set(stance_by_outlet(docs)["source"]) == {"(unknown)", "BBC"}
    t = stance_by_outlet(docs, freq="M")
    bbc = t[t["source"] == "BBC"]
    assert list(bbc["shift"]) == [False, True]
    assert t[t["source"] == "(unknown)"]["shift"].tolist() == [False]


def test_empty_views():
    assert stance_over_time([]).empty and stance_by_outlet([]).empty
