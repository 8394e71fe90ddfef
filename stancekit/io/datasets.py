"""Score a Hugging Face `datasets.Dataset`: result columns added to each row, in batches.

Example:
    >>> from datasets import Dataset  # doctest: +SKIP
    >>> ds = Dataset.from_dict({"id": ["a"], "text": ["“We will join,” said Mr Smith."]})  # doctest: +SKIP
    >>> out = stancekit.score_dataset(ds, stance=False, sentiment=False)  # doctest: +SKIP
    >>> out[0]["speakers"], out[0]["n_quotes"], out[0]["error"]  # doctest: +SKIP
    (['Smith'], 1, None)

Result columns (also what `stancekit.scale.ray` returns):

* `quotes`: the quotes as a JSON string (the `quotes` list of `Document.to_dict()`);
* `n_quotes`: number of quotes; `speakers`: resolved speakers in order of first quote;
* `profiles`: the per-speaker stance profiles as a JSON string;
* `stance_<target>`: for each target, how many quotes got each label
  ({"favor", "against", "none", "abstain"} counts);
* `error`: None, or why the row was not analysed (the `RecordError` kind and message).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from stancekit.io.records import RecordError
from stancekit.targets import Target, resolve_targets

STANCE_LABELS = ("favor", "against", "none", "abstain")
RESULT_COLUMNS = ("quotes", "n_quotes", "speakers", "profiles", "error")


def result_row(result: Any, target_ids: list[str]) -> dict[str, Any]:
    """The result columns of one row, from a `Document` or a `RecordError`."""
    row: dict[str, Any] = {"quotes": "[]", "n_quotes": 0, "speakers": [], "profiles": "[]", "error": None}
    row.update({f"stance_{t}": dict.fromkeys(STANCE_LABELS, 0) for t in target_ids})
    if isinstance(result, RecordError):
        row["error"] = f"{result.kind}: {result.error}"
        return row
    d = result.to_dict()
    row["quotes"] = json.dumps(d["quotes"], ensure_ascii=False)
    row["profiles"] = json.dumps(d["profiles"], ensure_ascii=False)
    row["n_quotes"] = len(result.quotes)
    row["speakers"] = list(dict.fromkeys(q.speaker for q in result.quotes if q.speaker))
    for q in result.quotes:
        for t, lab in q.stance.items():
            if t in target_ids and lab is not None and lab.label in STANCE_LABELS:
                row[f"stance_{t}"][lab.label] += 1
    return row


def score_rows(nlp: Any, texts: list[Any], ids: list[Any] | None = None, dates: list[Any] | None = None,
               sources: list[Any] | None = None) -> list[dict[str, Any]]:
    """Result columns for a batch of rows, one dict per row in order; bad rows get `error`, none is dropped."""
    n = len(texts)
    ids, dates, sources = ids or [None] * n, dates or [None] * n, sources or [None] * n
    # Positional keys: row ids need not be unique or valid in a data set; the results follow positions.
    records = [{"id": str(i), "text": texts[i], "date": dates[i], "source": sources[i]} for i in range(n)]
    errors: list[RecordError] = []
    results: dict[str, Any] = {d.id: d for d in nlp.pipe(records, errors=errors)}
    results.update({e.record: e for e in errors})
    target_ids = [t.id for t in nlp.targets]
    out = []
    for i in range(n):
        r = results.get(str(i), RecordError(str(i), "row produced no result", "analysis_failed"))
        if isinstance(r, RecordError) and ids[i] is not None:
            r = RecordError(str(ids[i]), r.error, r.kind)
        out.append(result_row(r, target_ids))
    return out


def _features(target_ids: list[str]):
    from datasets import Sequence, Value

    cols = {"quotes": Value("string"), "n_quotes": Value("int32"), "speakers": Sequence(Value("string")),
            "profiles": Value("string"), "error": Value("string")}
    cols.update({f"stance_{t}": {lab: Value("int32") for lab in STANCE_LABELS} for t in target_ids})
    return cols


def score_dataset(ds: Any, targets: Iterable[str | Target] | None = None, batch_size: int = 64,
                  text_column: str = "text", id_column: str | None = "id", date_column: str | None = "date",
                  source_column: str | None = "source", nlp: Any = None, **load_kwargs: Any) -> Any:
    """Analyse every row of a `datasets.Dataset`; returns it with the result columns added.

    Args:
        ds: a `datasets.Dataset` with a text column (and optionally id, date, source columns).
        targets: stance targets (default: the built-ins); ignored when `nlp` is given.
        batch_size: rows per `ds.map` batch; all quotes of a batch go through the models together.
        text_column, id_column, date_column, source_column: column names (absent ones are skipped).
        nlp: a `stancekit.Pipeline` to use; otherwise one is built with `stancekit.load(targets, **load_kwargs)`
            (e.g. `stance=False, sentiment=False, device="cuda", backend="onnx"`).

    Rows that cannot be analysed (empty or non-string text, …) keep their place and get `error`.
    """
    try:
        from datasets import Features
        from datasets.fingerprint import Hasher
    except ImportError as exc:  # pragma: no cover - install problem
        raise ImportError("score_dataset needs the datasets package: pip install datasets") from exc
    from stancekit.pipeline import load

    if text_column not in ds.column_names:
        raise ValueError(f"The dataset has no {text_column!r} column (columns: {ds.column_names}); "
                         "pass text_column= to name the article text column.")
    if nlp is None:
        nlp = load(resolve_targets(targets), **load_kwargs)
    target_ids = [t.id for t in nlp.targets]
    new = _features(target_ids)
    clash = sorted(set(new) & set(ds.column_names))
    if clash:
        raise ValueError(f"The dataset already has result columns {clash}: remove or rename them first "
                         "(ds.remove_columns / ds.rename_column).")
    cols = {k: c if c in ds.column_names else None
            for k, c in (("ids", id_column), ("dates", date_column), ("sources", source_column))}

    def fn(batch: dict[str, list]) -> dict[str, list]:
        rows = score_rows(nlp, batch[text_column], **{k: batch[c] if c else None for k, c in cols.items()})
        return {k: [r[k] for r in rows] for k in new}

    config = [ds._fingerprint, target_ids, [t.proposition for t in nlp.targets], nlp.stance, nlp.sentiment,
              nlp.stance_model, nlp.sentiment_model, nlp.backend, text_column, cols]
    return ds.map(fn, batched=True, batch_size=batch_size, features=Features({**ds.features, **new}),
                  new_fingerprint=Hasher.hash(repr(config)), desc="stancekit")
