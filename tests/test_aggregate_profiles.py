"""The cross-document profile table, its quotes table, CI bounds and the ProfileFrame type."""
import numpy as np
import pandas as pd
import pytest

from stancekit.aggregate import ProfileFrame, profile, quotes_frame
from stancekit.aggregate.profiles import PROFILE_COLUMNS
from stancekit.doc import Document, Label, Quote


def lab(label, f=None, a=None, n=None):
    return Label(label, {} if f is None else {"favor": f, "against": a, "none": n})


def doc(i, date, source, *quotes):
    return Document("x" * 200, id=f"d{i}", date=date, source=source,
                    quotes=[Quote(start, start + 4, text, "direct", speaker=s, stance=st)
                            for start, text, s, st in quotes])


DOCS = [
    doc(0, "2025-02-03", "BBC", (0, "Yes", "Healey", {"nato": lab("favor", 0.9, 0.05, 0.05), "talks": lab("none", 0.1, 0.1, 0.8)}),
        (10, "No", "Putin", {"nato": lab("against", 0.0, 0.95, 0.05)})),
    doc(1, "2025-02-10", "Guardian", (0, "Maybe", "John Healey", {"nato": lab("favor", 0.6, 0.1, 0.3)}),
        (10, "Hm", None, {"nato": lab("favor", 1, 0, 0)})),
    doc(2, None, "BBC", (0, "Skip", "Healey", {"nato": lab("abstain", 0.4, 0.3, 0.3)})),
]


def test_quotes_frame_one_row_per_quote_and_target():
    q = quotes_frame(DOCS)
    assert len(q) == 6 and q["actor"].isna().sum() == 1
    assert set(q.loc[q["speaker"] == "Healey", "actor"]) == {"John Healey"}
    assert q["date"].dtype.kind == "M" and q["date"].isna().sum() == 1
    row = q[(q["doc_id"] == "d0") & (q["target"] == "nato")].iloc[0]
    assert row["score"] == pytest.approx(0.85) and row["weight"] == pytest.approx(0.9)


def test_quotes_frame_targets_and_passthrough():
    q = quotes_frame(DOCS, targets=["talks"])
    assert list(q["target"]) == ["talks"]
    assert quotes_frame(q) is q


def test_profile_rows_weighting_and_abstain_exclusion():
    prof = profile(DOCS)
    assert isinstance(prof, ProfileFrame) and list(prof.columns) == PROFILE_COLUMNS
    assert prof[["actor", "target", "label"]].values.tolist() == [
        ["John Healey", "nato", "favor"], ["John Healey", "talks", "none"], ["Putin", "nato", "against"]]
    healey = prof.iloc[0]
    assert healey["score"] == pytest.approx((0.85 * 0.9 + 0.5 * 0.6) / 1.5)  # abstained quote left out
    assert healey["n_quotes"] == 2 and healey["n_documents"] == 2 and healey["n_outlets"] == 2
    assert healey["first_date"] == pd.Timestamp("2025-02-03") and healey["last_date"] == pd.Timestamp("2025-02-10")
    assert [e["text"] for e in healey["evidence"]] == ["Yes", "Maybe"]
    assert set(healey["evidence"][0]) == {"doc_id", "start", "end", "text", "score"}
    assert healey["organisation"] is None


def test_min_quotes_and_targets():
    assert list(profile(DOCS, min_quotes=2)["actor"]) == ["John Healey"]
    assert list(profile(DOCS, targets=["talks"])["target"]) == ["talks"]
    empty = profile(DOCS, min_quotes=10)
    assert empty.empty and list(empty.columns) == PROFILE_COLUMNS


def test_profile_of_nothing():
    assert profile([]).empty


@pytest.mark.parametrize("labels", [
    [lab("favor", 0.9, 0.05, 0.05)],
    [lab("favor", 0.9, 0.05, 0.05)] * 5,
    [lab("favor", 0.9, 0.05, 0.05), lab("against", 0.1, 0.8, 0.1), lab("none", 0.3, 0.3, 0.4)],
    [lab("favor"), lab("against"), lab("favor"), lab("none")],
    [lab("against", 0.0, 1.0, 0.0)] * 3,
])
def test_ci_contains_score_and_stays_in_range(labels):
    d = doc(0, "2025-01-01", "X", *[(i * 10, "q", "A", {"t": l}) for i, l in enumerate(labels)])
    r = profile([d]).iloc[0]
    assert -1 <= r["ci_low"] <= r["score"] <= r["ci_high"] <= 1


def test_ci_narrows_with_more_agreeing_quotes():
    def width(n):
        d = doc(0, "2025-01-01", "X", *[(i * 10, "q", "A", {"t": lab("favor", 0.7, 0.1, 0.2)}) for i in range(n)])
        r = profile([d]).iloc[0]
        return r["ci_high"] - r["ci_low"]

    assert width(1) > width(4) > width(16) > 0


def test_profile_frame_keeps_type_and_pandas_plotting():
    prof = profile(DOCS)
    assert isinstance(prof[prof["n_quotes"] > 1], ProfileFrame)
    assert type(prof["score"]) is pd.Series
    ax = prof.plot.bar(x="actor", y="score")
    assert hasattr(ax, "get_xticklabels")
    assert callable(prof.plot.heatmap)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_ten_thousand_quotes_fast():
    import time

    rng = np.random.default_rng(0)
    docs = []
    for i in range(1000):
        quotes = []
        for j in range(10):
            f, a = rng.dirichlet([1, 1, 1])[:2]
            quotes.append((j * 10, "q", f"Actor {rng.integers(200)}", {"t": lab("favor", f, a, 1 - f - a)}))
        docs.append(doc(i, f"2025-01-{i % 28 + 1:02d}", f"S{i % 7}", *quotes))
    start = time.perf_counter()
    prof = profile(docs)
    assert time.perf_counter() - start < 5
    assert prof["n_quotes"].sum() == 10_000
