"""Record readers: table-driven validation cases, and property tests that arbitrary JSONL / CSV input
never crashes a reader and that every input line (row) comes out as a Record or a RecordError."""
import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancekit.io.records import ERROR_KINDS, MAX_CHARS, Record, RecordError, from_mapping, iter_records

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("row, kind", [
    ({"id": "a", "text": "Fine."}, None),
    ({"id": 7, "text": "Fine."}, None),
    ({"doc_id": "a", "body": "Fine."}, None),
    ({"id": "a", "text": "Fine.", "date": date(2025, 1, 2)}, None),
    ({"id": "a", "text": "Fine.", "date": float("nan")}, None),       # an empty DataFrame cell
    ("just a string", "not_an_object"),
    ({"text": "Fine."}, "missing_id"),
    ({"id": "  ", "text": "Fine."}, "missing_id"),
    ({"id": True, "text": "Fine."}, "bad_id"),
    ({"id": {"x": 1}, "text": "Fine."}, "bad_id"),
    ({"id": "a"}, "missing_text"),
    ({"id": "a", "text": float("nan")}, "missing_text"),
    ({"id": "a", "text": ["Fine."]}, "bad_text"),
    ({"id": "a", "text": "\n\t "}, "empty_text"),
    ({"id": "a", "text": "x" * (MAX_CHARS + 1)}, "too_long"),
    ({"id": "a", "text": "bad \udcff byte"}, "invalid_utf8"),
    ({"id": "a", "text": "\ufffd" * 50 + "x" * 100}, "invalid_utf8"),
    ({"id": "a", "text": "Fine.", "source": 3}, "bad_field"),
])
def test_from_mapping(row, kind):
    r = from_mapping(row, "record 0")
    if kind is None:
        assert isinstance(r, Record) and r.id == str(row.get("id", row.get("doc_id")))
    else:
        assert isinstance(r, RecordError) and r.kind == kind and r.error
        assert kind in ERROR_KINDS


def test_date_objects_become_iso_strings():
    assert from_mapping({"id": "a", "text": "Fine.", "date": date(2025, 1, 2)}, "x").date == "2025-01-02"


def test_max_chars_is_adjustable():
    rows = [{"id": "a", "text": "x" * 100}]
    assert isinstance(next(iter_records(rows, max_chars=50)), RecordError)
    assert isinstance(next(iter_records(rows, max_chars=100)), Record)


def test_records_pass_through_and_duplicates_are_reported():
    out = list(iter_records([Record("a", "One."), Record("a", "Two."), "Three."]))
    assert [type(r).__name__ for r in out] == ["Record", "RecordError", "Record"]
    assert out[1].kind == "duplicate_id" and out[2].id == "2"


def test_dataframe_rows():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": ["a", "b", "c"], "text": ["Fine.", None, "Fine."], "date": [None, "2025-01-01", pd.NA],
                       "source": [pd.NaT, None, None]})
    out = list(iter_records(df))
    assert isinstance(out[0], Record) and out[0].date is None and out[0].source is None
    assert out[1].kind == "missing_text"
    assert isinstance(out[2], Record) and out[2].date is None


# -- property tests ----------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from(["id", "text", "date", "source", "x"]),
                                                              kids, max_size=4),
    max_leaves=8)
rows = st.fixed_dictionaries({}, optional={"id": json_values | st.text(max_size=8), "text": json_values | st.text(),
                                           "date": json_values, "source": json_values})
jsonl_lines = st.lists(
    st.one_of(rows.map(lambda r: json.dumps(r).encode()),
              json_values.map(lambda v: json.dumps(v).encode()),
              st.binary(max_size=40),
              st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    max_size=12)


def _check(out, n_items):
    assert len(out) == n_items
    for r in out:
        assert isinstance(r, (Record, RecordError))
        if isinstance(r, Record):
            r.text.encode("utf-8")  # writable as UTF-8 JSON
            assert r.text.strip() and r.id
        else:
            assert r.kind in ERROR_KINDS and r.error


@FUZZ
@given(lines=jsonl_lines)
def test_any_jsonl_is_read_without_crash_and_every_line_accounted(tmp_path, lines):
    lines = [b" ".join(x.splitlines()) for x in lines]   # one input line each
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = list(iter_records(path))
    _check(out, sum(1 for x in lines if x.strip()))       # blank lines are the only ones skipped


cells = st.text(max_size=30) | st.binary(max_size=20).map(lambda b: b.decode("latin-1"))


@FUZZ
@given(table=st.lists(st.lists(cells, min_size=0, max_size=5), max_size=10))
def test_csv_rows_written_by_a_csv_writer_are_each_accounted(tmp_path, table):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "text", "date"])
    writer.writerows(table)
    path = tmp_path / "in.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    out = list(iter_records(path))
    blank = sum(1 for row in table if not row or (len(row) == 1 and not row[0].strip()))
    _check(out, len(table) - blank)


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_csv_bytes_never_crash(tmp_path, data):
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,text\n" + data)
    out = list(iter_records(path))
    _check(out, len(out))
    assert len(out) <= data.count(b"\n") + data.count(b"\r") + 1


@FUZZ
@given(table=st.lists(st.dictionaries(st.sampled_from(["id", "text", "date", "body"]), json_values, max_size=4),
                      max_size=10))
def test_any_python_rows_are_each_accounted(table):
    _check(list(iter_records(table)), len(table))


def test_parallel_segmentation_matches_serial_and_reports_the_same_errors():
    """n_process > 1 gives the same documents, in the same order, and the same error entries."""
    import stancekit

    seed = sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    records = [{"id": f"d{i}", "text": text[i * 300:] or "x"} for i in range(5)]
    records.insert(2, {"id": "bad", "text": ""})
    records.append({"id": 7})
    runs = []
    for n in (1, 2):
        errors: list = []
        nlp = stancekit.load(stance=False, sentiment=False, n_process=n, batch_size=2)
        docs = [d.to_dict() for d in nlp.pipe(records, errors=errors)]
        nlp.close()
        runs.append((docs, [(e.record, e.kind) for e in errors]))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) == 5 and len(runs[0][1]) == 2
    with pytest.raises(ValueError, match="n_process"):
        stancekit.load(n_process=0)


@pytest.mark.slow
def test_parallel_workers_run_the_models_too():
    """Workers load their own models: same labels as one process, scores within float noise."""
    import stancekit

    seed = sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    records = [{"id": f"d{i}", "text": text[i * 900:]} for i in range(3)]
    one = list(stancekit.load(device="cpu").pipe(records))
    nlp = stancekit.load(device="cpu", n_process=2, batch_size=1)
    two = list(nlp.pipe(records))
    nlp.close()
    assert [d.id for d in two] == ["d0", "d1", "d2"]
    for a, b in zip(one, two):
        assert [q.text for q in a.quotes] == [q.text for q in b.quotes]
        for qa, qb in zip(a.quotes, b.quotes):
            assert {k: v.label for k, v in qa.stance.items()} == {k: v.label for k, v in qb.stance.items()}
            for k in qa.stance:
                assert qa.stance[k].scores == pytest.approx(qb.stance[k].scores, abs=1e-3)
            assert qa.sentiment.label == qb.sentiment.label
