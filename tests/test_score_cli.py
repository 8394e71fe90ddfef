"""`stancekit score`: a run killed midway resumes to the same output; bad input is reported, never fatal.

The models are off (--no-stance --no-sentiment) so these tests run in seconds; the subprocess
that gets killed is slowed by a stub (5 ms per document in segmentation) so it is still running
when the test kills it.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stancekit.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SLOW_CLI = (
    "import sys, time\n"
    "import stancekit.pipeline as p\n"
    "seg = p.segment\n"
    "p.segment = lambda text, date=None: (time.sleep(0.005), seg(text, date))[1]\n"
    "from stancekit.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
FAST = ["--no-stance", "--no-sentiment", "--quiet"]


def _articles(n: int) -> list[dict]:
    out = []
    for i in range(n):
        text = (f"“We will not give up on talks number {i},” Mr Speaker{i % 7} said on Monday. "
                f"Critics said the plan was weak. “It is a start,” said Anna Lee{i % 3}.")
        out.append({"id": f"doc{i:04d}", "text": text, "date": "2025-02-12", "source": "Wire"})
    return out


def _write_jsonl(path: Path, rows: list) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _n_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_killed_run_resumes_to_the_same_output(tmp_path):
    rows = _articles(300)
    rows[10]["text"] = " "                      # an error line, to check errors.jsonl resumes too
    rows[250] = dict(rows[20])                  # a duplicate id late in the input
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(["score", str(src), "-o", str(ref), "--batch-size", "8", *FAST]) == 0

    cmd = [sys.executable, "-c", SLOW_CLI, "score", str(src), "-o", str(out), "--batch-size", "8", *FAST]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _n_lines(out / "quotes.jsonl") < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written = _n_lines(out / "quotes.jsonl")
    assert proc.returncode == -signal.SIGKILL and 40 <= written < 299, "the run was not cut midway"
    with open(out / "quotes.jsonl", "ab") as fh:   # as if killed in the middle of a write
        fh.write(b'{"id": "doc0999", "text": "half a li')

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    assert summary["skipped_already_done"] >= written

    got, want = _lines(out / "quotes.jsonl"), _lines(ref / "quotes.jsonl")
    ids = [json.loads(x)["id"] for x in got]
    assert len(ids) == len(set(ids)) == 298     # no duplicate, none missing (one empty, one duplicate id)
    assert got == want                          # same documents, same order, same content
    assert _lines(out / "errors.jsonl") == _lines(ref / "errors.jsonl")


def test_rerun_of_a_finished_run_adds_nothing(tmp_path, capsys):
    src = _write_jsonl(tmp_path / "in.jsonl", _articles(20) + [{"id": "doc0001", "text": "again"}])
    out = tmp_path / "out"
    main(["score", str(src), "-o", str(out), *FAST])
    before = (_lines(out / "quotes.jsonl"), _lines(out / "errors.jsonl"))
    capsys.readouterr()
    main(["score", str(src), "-o", str(out), *FAST])
    summary = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert summary == {"documents": 0, "errors": 0, "error_kinds": {}, "skipped_already_done": 21, "out": str(out)}
    assert (_lines(out / "quotes.jsonl"), _lines(out / "errors.jsonl")) == before
    main(["score", str(src), "-o", str(out), "--restart", *FAST])
    assert (_lines(out / "quotes.jsonl"), _lines(out / "errors.jsonl")) == before


BAD_JSONL = [
    (json.dumps({"id": "empty", "text": "  \n "}).encode(), "empty", "empty_text"),
    (b'{"id": "latin1", "text": "caf\xe9 au lait"}', "in.jsonl:2", "invalid_utf8"),
    (json.dumps({"id": "big", "text": "word " * 210_000}).encode(), "big", "too_long"),
    (b'{"id": "cut", "text": "no end', "in.jsonl:4", "malformed_json"),
    (b'["a", "list"]', "in.jsonl:5", "not_an_object"),
    (json.dumps({"text": "no id"}).encode(), "in.jsonl:6", "missing_id"),
    (json.dumps({"id": "notext"}).encode(), "notext", "missing_text"),
    (json.dumps({"id": "num", "text": 42}).encode(), "num", "bad_text"),
    (json.dumps({"id": 1.5, "text": "float id"}).encode(), "in.jsonl:9", "bad_id"),
    (json.dumps({"id": "when", "text": "ok text", "date": [2025]}).encode(), "when", "bad_field"),
    (json.dumps({"id": "good", "text": "“Yes,” she said."}).encode(), None, None),
    (json.dumps({"id": "good", "text": "“Again,” she said."}).encode(), "good", "duplicate_id"),
    (b'{"id": "surrogate", "text": "\\ud800 broken escape"}', "surrogate", "invalid_utf8"),
    (b"[" * 100_000, "in.jsonl:14", "malformed_json"),
]


def test_bad_jsonl_rows_are_reported_by_kind(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(line for line, _, _ in BAD_JSONL) + b"\n")
    out = tmp_path / "out"
    assert main(["score", str(src), "-o", str(out), *FAST]) == 0
    errors = [json.loads(x) for x in _lines(out / "errors.jsonl")]
    assert [(e["record"], e["kind"]) for e in errors] == [(r, k) for _, r, k in BAD_JSONL if k]
    assert all(e["error"] for e in errors)
    assert [json.loads(x)["id"] for x in _lines(out / "quotes.jsonl")] == ["good"]
    err = capsys.readouterr().err
    summary = json.loads(err.strip().splitlines()[-1])
    assert summary["documents"] == 1 and summary["errors"] == len(BAD_JSONL) - 1
    assert summary["error_kinds"]["invalid_utf8"] == 2 and summary["error_kinds"]["too_long"] == 1
    assert "13 record(s) not scored" in err and "malformed_json" in err and str(out / "errors.jsonl") in err


def test_bad_csv_rows_and_files(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b'id,text,date\n'
                    b'a,"\xe2\x80\x9cFine,\xe2\x80\x9d he said.",2025-01-01\n'
                    b'b,,2025-01-01\n'
                    b'c,"too",many,fields\n'
                    b'd,"caf\xe9",2025-01-02\n'
                    b',"no id",\n'
                    b'a,"dup",\n'
                    b'e,"a ""quoted"" text\nover two lines",\n')
    out = tmp_path / "out"
    main(["score", str(src), "-o", str(out), *FAST])
    errors = [(e["record"], e["kind"]) for e in map(json.loads, _lines(out / "errors.jsonl"))]
    assert errors == [("b", "empty_text"), ("in.csv:4", "malformed_csv"), ("d", "invalid_utf8"),
                      ("in.csv:6", "missing_id"), ("a", "duplicate_id")]
    assert [json.loads(x)["id"] for x in _lines(out / "quotes.jsonl")] == ["a", "e"]

    nocols = tmp_path / "nocols.csv"
    nocols.write_text("name,body\nx,y\n")
    main(["score", str(nocols), "-o", str(tmp_path / "out2"), *FAST])
    (err,) = map(json.loads, _lines(tmp_path / "out2" / "errors.jsonl"))
    assert err["kind"] == "csv_columns" and "'id' and 'text'" in err["error"]


def test_folder_of_txt_with_bad_files(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("“Fine,” he said.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe not utf-8")
    (folder / "c.txt").write_text("")
    main(["score", str(folder), "-o", str(tmp_path / "out"), *FAST])
    errors = [(e["record"], e["kind"]) for e in map(json.loads, _lines(tmp_path / "out" / "errors.jsonl"))]
    assert errors == [("b", "invalid_utf8"), ("c", "empty_text")]


def test_missing_input_is_a_clear_error(tmp_path, capsys):
    assert main(["score", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "out"), *FAST]) == 2
    assert "no such input" in capsys.readouterr().err


def test_a_document_that_makes_the_pipeline_raise_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    import stancekit.pipeline as pipeline

    real = pipeline.segment

    def flaky(text, date=None):
        if "BOOM" in text:
            raise RuntimeError("segmenter exploded")
        return real(text, date)

    monkeypatch.setattr(pipeline, "segment", flaky)
    rows = _articles(5)
    rows[2]["text"] += " BOOM"
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out"
    assert main(["score", str(src), "-o", str(out), "--batch-size", "16", *FAST]) == 0
    (err,) = map(json.loads, _lines(out / "errors.jsonl"))
    assert err["record"] == "doc0002" and err["kind"] == "analysis_failed"
    assert "RuntimeError: segmenter exploded" in err["error"]
    assert [json.loads(x)["id"] for x in _lines(out / "quotes.jsonl")] == ["doc0000", "doc0001", "doc0003", "doc0004"]
    # a resumed run does not retry the failed document
    main(["score", str(src), "-o", str(out), *FAST])
    assert len(_lines(out / "errors.jsonl")) == 1


def test_a_model_failure_on_one_document_spares_the_rest_of_its_batch():
    import stancekit
    from stancekit.doc import Label

    class Stance:
        def predict(self, items, targets):
            if any("BOOM" in q for q, _ in items):
                raise ValueError("tensor trouble")
            return [{t.id: Label("none", {"none": 1.0}) for t in targets} for _ in items]

    nlp = stancekit.load(sentiment=False, stance=True, stance_heads="never")
    nlp._stance = Stance()
    rows = [{"id": str(i), "text": f"“Talks are {w},” Mr Smith said."} for i, w in enumerate(["good", "BOOM", "fine"])]
    errors = []
    docs = list(nlp.pipe(rows, errors=errors))
    assert [d.id for d in docs] == ["0", "2"] and docs[0].quotes[0].stance["peace_talks"].label == "none"
    assert [(e.record, e.kind) for e in errors] == [("1", "analysis_failed")]
    assert "ValueError: tensor trouble" in errors[0].error
    with pytest.raises(ValueError, match="tensor trouble"):
        list(nlp.pipe(rows))  # without an errors list the exception propagates, as before


def test_profiles_are_written_atomically(tmp_path, monkeypatch):
    from stancekit.cli import score

    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(score.os, "replace", lambda a, b: (replaced.append((Path(a), Path(b))), real_replace(a, b)))
    q = tmp_path / "quotes.jsonl"
    doc = {"id": "d1", "text": "“Ukraine belongs in NATO,” Mr Smith said.", "date": "2025-01-01", "source": "X",
           "quotes": [{"start": 0, "end": 26, "text": "“Ukraine belongs in NATO,”", "kind": "direct",
                       "speaker": "Smith", "stance": {"nato_membership": {"label": "favor", "scores":
                                                      {"favor": 0.9, "against": 0.05, "none": 0.05}}}}],
           "actors": [{"name": "Smith", "type": "person", "mentions": []}]}
    q.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    score._write_profiles(q, tmp_path)
    assert sorted(b.name for _, b in replaced) == ["profiles.csv", "profiles.parquet"]
    assert all(a.parent.name.startswith(".profiles-") and a.parent.parent == tmp_path for a, _ in replaced)
    assert not list(tmp_path.glob(".profiles-*"))
    assert (tmp_path / "profiles.csv").read_text().count("Smith") >= 1
