"""Scale-out on Ray Data: score a large collection on every core of a machine or a cluster.

Install with `pip install 'stancekit[ray]'`. `Scorer` is a callable class for
`ray.data.Dataset.map_batches`: each Ray worker (an actor) loads the pipeline once, then scores
batch after batch; every quote of a batch goes through each model together, as in `nlp.pipe`.
Rows come back with the result columns of `stancekit.io.datasets` (`quotes` as JSON, `n_quotes`,
`speakers`, `profiles`, `stance_<target>` label counts, `error`); a bad row gets `error` and
keeps its place.

Example (one machine: Ray starts a local cluster on first use):
    >>> import ray  # doctest: +SKIP
    >>> from stancekit.scale.ray import score_ray
    >>> ds = ray.data.read_json("articles.jsonl", lines=True)  # doctest: +SKIP
    >>> score_ray(ds, workers=4).write_parquet("out/scored")  # doctest: +SKIP

On a cluster: start it (`ray start --head` on one node, `ray start --address=HEAD:6379` on the
others, or a KubeRay / cloud launcher), install stancekit and its models on every node, and
connect before scoring:

    ray.init(address="auto")                 # from a node of the cluster
    ray.init("ray://head-host:10001")        # from outside, through the Ray client port

then read the input from storage every node can reach (`ray.data.read_json("s3://bucket/…")`,
`read_parquet`, …) and write results there. `workers` is the number of actors (pipelines);
`cpus_per_worker` the cores each one gets and uses for its torch threads; `gpus_per_worker=1`
puts each worker on a GPU (device="auto" then runs the models there in fp16).
"""
from __future__ import annotations

from typing import Any, Iterable

from stancekit.targets import Target


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ImportError("stancekit.scale.ray needs Ray Data: pip install 'stancekit[ray]'") from exc
    return ray


class Scorer:
    """Callable class for `map_batches(Scorer, batch_format="pandas", ...)`: one pipeline per worker.

    Args:
        targets: stance targets (default: the built-ins).
        text_column, id_column, date_column, source_column: input column names (absent ones skipped).
        **load_kwargs: options of `stancekit.load` (stance=, sentiment=, device=, backend=, num_threads=, …).
    """

    def __init__(self, targets: Iterable[str | Target] | None = None, text_column: str = "text",
                 id_column: str = "id", date_column: str = "date", source_column: str = "source",
                 **load_kwargs: Any):
        from stancekit.pipeline import load

        self.nlp = load(targets, **load_kwargs)
        self.columns = {"ids": id_column, "dates": date_column, "sources": source_column}
        self.text_column = text_column

    def __call__(self, batch):
        from stancekit.io.datasets import score_rows

        if self.text_column not in batch.columns:
            raise ValueError(f"No {self.text_column!r} column in the data (columns: {list(batch.columns)}).")
        cols = {k: _plain(batch[c]) if c in batch.columns else None for k, c in self.columns.items()}
        rows = score_rows(self.nlp, _plain(batch[self.text_column]), **cols)
        out = batch.copy()
        for key in rows[0] if rows else ():
            out[key] = [r[key] for r in rows]
        return out


def _plain(column) -> list:
    """A pandas column as a list of Python values, missing cells as None."""
    from stancekit.io.records import is_missing

    return [None if is_missing(v) else v for v in column.tolist()]


def score_ray(data: Any, targets: Iterable[str | Target] | None = None, workers: int = 2,
              cpus_per_worker: float = 1, gpus_per_worker: float = 0, batch_size: int = 64,
              **scorer_kwargs: Any):
    """Score a Ray Dataset (or a list of {"id", "text", …} dicts) with `workers` pipelines in parallel.

    Returns a lazy `ray.data.Dataset` with the result columns added; consume it with
    `.write_parquet(path)`, `.iter_rows()`, `.to_pandas()`, …

    Args:
        data: a `ray.data.Dataset`, or a list of row dicts (made into one with `ray.data.from_items`).
        targets: stance targets (default: the built-ins).
        workers: number of Ray actors, each holding one pipeline (its models load once).
        cpus_per_worker: cores reserved per actor; the actor's torch uses that many threads.
        gpus_per_worker: GPUs per actor (0 for CPU).
        batch_size: rows per batch handed to an actor.
        **scorer_kwargs: column names and `stancekit.load` options, see `Scorer`.
    """
    ray = _ray()
    ds = ray.data.from_items(list(data)) if isinstance(data, (list, tuple)) else data
    if gpus_per_worker == 0:
        scorer_kwargs.setdefault("num_threads", max(1, int(cpus_per_worker)))
    return ds.map_batches(Scorer, fn_constructor_args=(targets,), fn_constructor_kwargs=scorer_kwargs,
                          batch_size=batch_size, batch_format="pandas", concurrency=workers,
                          num_cpus=cpus_per_worker, num_gpus=gpus_per_worker or None)
