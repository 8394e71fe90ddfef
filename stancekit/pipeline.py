"""The callable pipeline: segment quotes → classify stance and sentiment → per-document profiles.

`load()` builds it once (models load lazily on first use); `nlp(text)` analyses one article and
`nlp.pipe(records)` streams many, batching every quote of a batch of articles through each model
(the model sorts those pairs by length, so batches carry little padding). A document on which the
pipeline raises is reported in `errors` with the exception, and the rest of its batch is scored.
"""
from __future__ import annotations

import warnings
from typing import Any, Iterable, Iterator, Mapping

from stancekit.doc import Document, Quote
from stancekit.io.records import MAX_CHARS, Record, RecordError, iter_records
from stancekit.segment import segment
from stancekit.targets import Target, resolve_targets

CONTEXT_CHARS = 400
STANCE_HEADS = ("never", "confident", "always")


class Pipeline:
    """Analyse articles. Build with `stancekit.load()`.

    Args:
        targets: built-in target ids and/or `Target`s (default: nato_membership, peace_talks).
        stance: run the stance model ("auto": if its weights are installed, else warn and skip).
        sentiment: run the sentiment model (same rule). The shipped one (models/quote-minilm)
            reads each quote once for its tone and the sentiment toward every actor it names.
        device: "auto" (cuda in fp16 if available, else cpu), "cpu" or "cuda".
        batch_size: documents per model batch in `pipe`.
        stance_heads: whether the built-in targets use quote-minilm's stance heads, which answer
            from the pass that serves sentiment: "always" keeps every answer (one pass per quote
            in all); "confident" keeps a head's answer where its calibrated top probability
            reaches the threshold fitted on dev against the shipped cross-encoder (`defer_below`)
            and asks the cross-encoder for the rest; "never" asks the stance cross-encoder for
            every (quote, target) pair the keyword gate lets through (~2× slower on CPU). None
            (default): "always" where the sentiment model is a quote model, else "never" — the
            heads scored higher on the gold articles we hold (benchmarks/RESULTS_gold.md).
            Speed: RESULTS_throughput.md. A custom target always goes to the cross-encoder.
        single_pass: shorthand for stance_heads="always" (then a quote model is required).
        defer_below: override the fitted threshold of stance_heads="confident" (0: as "always",
            above 1: as "never"), for every target or per target id: `{"nato_membership": 2,
            "peace_talks": 0}` sends NATO to the cross-encoder and keeps the heads for talks.
        stance_model, sentiment_model: folders of other trained models (default: the shipped
            ones); a sentiment model may be a QuoteModel or a sentiment PairClassifier.
        backend: "torch", or "onnx" to run the stance cross-encoder (and a PairClassifier
            sentiment model) through ONNX Runtime (CPU); the quote model runs in torch.
        num_threads: CPU threads for the models (default: the cores available to the process,
            unless OMP_NUM_THREADS or a lower torch.set_num_threads says otherwise).
        max_chars: longer texts are reported as errors, not analysed.
        n_process: worker processes for `pipe`, each running the whole pipeline with its own
            copy of the models (as spaCy's n_process). On a GPU the pure-Python segmentation
            limits one process, so several share the card; on CPU each worker gets
            cores / n_process threads and its own ~0.7 GB. 1 runs in this process.
        model_batch_size: pairs per forward pass (default 32 on CPU, 256 on a GPU).
    """

    def __init__(self, targets: Iterable[str | Target] | None = None, stance: bool | str = "auto",
                 sentiment: bool | str = "auto", device: str = "auto", batch_size: int = 16,
                 stance_model: str | None = None, sentiment_model: str | None = None,
                 backend: str = "torch", num_threads: int | None = None,
                 max_chars: int = MAX_CHARS, n_process: int = 1, model_batch_size: int | None = None,
                 single_pass: bool = False, stance_heads: str | None = None,
                 defer_below: float | Mapping[str, float] | None = None):
        if int(n_process) < 1:
            raise ValueError(f"n_process must be at least 1, got {n_process}")
        if stance_heads is not None and stance_heads not in STANCE_HEADS:
            raise ValueError(f"stance_heads must be one of {STANCE_HEADS}, got {stance_heads!r}")
        self.targets = resolve_targets(targets)
        if isinstance(defer_below, Mapping):
            unknown = sorted(set(defer_below) - {t.id for t in self.targets})
            bad = {k: v for k, v in defer_below.items() if not isinstance(v, (int, float))}
            if unknown or bad:
                raise ValueError(f"defer_below maps target ids to thresholds: {unknown or bad} "
                                 f"{'are not targets of this pipeline' if unknown else 'are not numbers'}")
        self.stance = stance
        self.sentiment = sentiment
        self.device = device
        self.batch_size = batch_size
        self.stance_model = stance_model
        self.sentiment_model = sentiment_model
        self.backend = backend
        self.num_threads = num_threads
        self.max_chars = max_chars
        self.n_process = int(n_process)
        self.model_batch_size = model_batch_size
        self.stance_heads = "never" if stance is False else "always" if single_pass else stance_heads or "always"
        # asked for explicitly, the heads need a quote model; by default they fall back to the cross-encoder
        self.single_pass = self.stance_heads == "always" and (single_pass or stance_heads == "always")
        self.defer_below = defer_below
        self.quote = sentiment  # the quote model serves sentiment, and the stance heads where asked
        if self.single_pass:
            self.quote = True
        elif self.stance_heads != "never" and sentiment is False:
            self.quote = "auto"  # heads where the model is installed, else the cross-encoder alone
        self._config = dict(targets=self.targets, stance=stance, sentiment=sentiment, device=device,
                            batch_size=batch_size, stance_model=stance_model, sentiment_model=sentiment_model,
                            backend=backend, num_threads=num_threads, max_chars=max_chars,
                            model_batch_size=model_batch_size, single_pass=single_pass, stance_heads=stance_heads,
                            defer_below=defer_below)
        self._stance = self._sentiment = self._quote = self._pool = None

    # -- models, loaded on first use ------------------------------------------------------------
    def _model(self, kind: str):
        attr = f"_{kind}"
        if getattr(self, attr) is None:
            want = getattr(self, kind)
            if want is False:
                return None
            if kind == "quote" and not self._sentiment_is_quote_model():
                if self.single_pass:
                    raise ValueError(f"single_pass needs a QuoteModel; {self.sentiment_model} holds another kind.")
                self.quote = False
                return None
            try:
                setattr(self, attr, self._load_model(kind))
            except (FileNotFoundError, ImportError) as exc:
                if want is True:
                    raise
                if kind == "quote":  # the sentiment loader warns, if it cannot load either
                    self.quote = False
                    return None
                warnings.warn(f"{kind} model unavailable, {kind} fields stay empty: {exc}", stacklevel=3)
                setattr(self, kind, False)
                return None
        return getattr(self, attr)

    def _load_model(self, kind: str):
        from stancekit.models.base import shipped_model_dir
        from stancekit.models.pair_classifier import PairClassifier, pick_device

        batch = self.model_batch_size or (256 if pick_device(self.device).startswith("cuda") else 32)
        if kind == "quote":
            from stancekit.classify.quote import QuoteClassifier

            return QuoteClassifier.load(self.sentiment_model, device=self.device, batch_size=batch,
                                        num_threads=self.num_threads)
        if kind == "stance":
            from stancekit.classify.stance import MODEL_NAME, StanceClassifier as cls
        else:
            from stancekit.classify.sentiment import MODEL_NAME, SentimentClassifier as cls
        path = getattr(self, f"{kind}_model") or shipped_model_dir(MODEL_NAME)
        return cls(PairClassifier.load(path, device=self.device, backend=self.backend,
                                       num_threads=self.num_threads, batch_size=batch))

    def _sentiment_is_quote_model(self) -> bool:
        from stancekit.models.base import model_kind

        # the shipped sentiment model is models/quote-minilm
        return self.sentiment_model is None or model_kind(self.sentiment_model) == "quote_model"

    # -- analysis -----------------------------------------------------------------------------
    def __call__(self, text: str, doc_id: str | None = None, date: str | None = None,
                 source: str | None = None) -> Document:
        if not isinstance(text, str):
            raise TypeError(f"analyze() needs the article text as a str, got {type(text).__name__}")
        doc = self._segment(Record(doc_id or "", text, date, source))
        doc.id = doc_id
        self._classify([doc])
        return doc

    def pipe(self, records: Iterable[Any] | str, errors: list | None = None) -> Iterator[Document]:
        """Analyse many records (dicts, DataFrame, Dataset, texts or a path), yielding Documents in order.

        Rows that cannot be read, and documents on which the pipeline raises (kind
        "analysis_failed", with the exception), are appended to `errors` as `RecordError`s and the
        rest is scored; without an `errors` list the first bad row raises ValueError naming it and
        an exception in the pipeline propagates.
        """
        if self.n_process > 1:
            yield from self._pipe_parallel(records, errors)
            return
        batch: list[Document] = []
        for r in iter_records(records, self.max_chars):
            if isinstance(r, RecordError):
                if errors is None:
                    raise ValueError(f"record {r.record}: {r.error}")
                errors.append(r)
                continue
            try:
                batch.append(self._segment(r))
            except Exception as exc:
                if errors is None:
                    raise
                errors.append(failed(r.id, exc, "segmentation"))
                continue
            if len(batch) >= self.batch_size:
                yield from self._classify_each(batch, errors)
                batch = []
        if batch:
            yield from self._classify_each(batch, errors)

    def _pipe_parallel(self, records, errors: list | None) -> Iterator[Document]:
        """`pipe` over worker processes: records go out in chunks of `batch_size`, come back in order.

        Rows are read (and duplicate ids caught) here; at most 4 chunks per worker are in flight,
        so a long stream is never read ahead whole.
        """
        import itertools
        from collections import deque

        def readable():
            for r in iter_records(records, self.max_chars):
                if isinstance(r, RecordError):
                    if errors is None:
                        raise ValueError(f"record {r.record}: {r.error}")
                    errors.append(r)
                else:
                    yield r

        pool, it, pending = self._workers(), readable(), deque()
        while True:
            while len(pending) < 4 * self.n_process:
                chunk = list(itertools.islice(it, self.batch_size))
                if not chunk:
                    break
                pending.append(pool.submit(_worker_pipe, chunk))
            if not pending:
                return
            docs, errs = pending.popleft().result()
            if errs and errors is None:
                raise ValueError(f"record {errs[0].record}: {errs[0].error}")
            if errors is not None:
                errors.extend(errs)
            yield from docs

    def _workers(self):
        """The worker pool, started on first use and kept for later `pipe` calls (`close()` stops it).

        Workers are spawned, never forked (this process may hold a CUDA context); on CPU each
        gets an equal share of the cores for its models.
        """
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from stancekit.scale.runtime import available_cores

            config = dict(self._config)
            if config["num_threads"] is None:
                config["num_threads"] = max(1, available_cores() // self.n_process)
            self._pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_init, initargs=(config,))
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any (they also stop when the program ends)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()

    def _classify_each(self, docs: list[Document], errors: list | None) -> list[Document]:
        """Classify a batch; if that raises, classify its documents one by one and report the failures."""
        if errors is None:
            return self._classify(docs)
        if any(d.quotes for d in docs):  # a model that cannot load fails the run, not each document
            self._models()
        try:
            return self._classify(docs)
        except Exception as exc:
            if len(docs) == 1:
                errors.append(failed(docs[0].id, exc, "classification"))
                return []
        out = []
        for d in docs:
            try:
                out.extend(self._classify([d]))
            except Exception as exc:
                errors.append(failed(d.id, exc, "classification"))
        return out

    def _segment(self, r: Record) -> Document:
        return segment_record(r)

    def _models(self) -> tuple:
        """(quote model, stance model, sentiment model) in use, loading them on first call; None where unused."""
        quick = self._model("quote")
        deferring = self.stance_heads == "confident" and bool(self._head_targets(quick))
        stance = self._model("stance") if self._cross_encoder_targets(quick) or deferring else None
        sentiment = None if quick is not None else self._model("sentiment")
        return quick, stance, sentiment

    def _head_targets(self, quick) -> list[Target]:
        """Targets the quote model's stance heads answer (all of their pairs, or the confident ones)."""
        if self.stance_heads == "never" or quick is None:
            return []
        return [t for t in self.targets if quick.covers(t)]

    def _cross_encoder_targets(self, quick) -> list[Target]:
        heads = self._head_targets(quick)
        return [] if self.stance is False else [t for t in self.targets if t not in heads]

    def _classify(self, docs: list[Document]) -> list[Document]:
        quotes: list[tuple[Document, Quote]] = [(d, q) for d in docs for q in d.quotes]
        if not quotes:
            return docs
        quick, stance, sentiment = self._models()
        if quick is not None:
            self._classify_single_pass(quick, quotes, self._head_targets(quick))
            if self.stance_heads == "confident" and stance is not None:
                self._ask_cross_encoder(quick, stance, quotes)
        rest = self._cross_encoder_targets(quick)
        if stance is not None and rest:
            items = [(q.text, context(d, q)) for d, q in quotes]
            for (_, q), labels in zip(quotes, stance.predict(items, rest)):
                q.stance = {t.id: q.stance.get(t.id) or labels[t.id] for t in self.targets}
        if sentiment is not None:
            for (_, q), lab in zip(quotes, sentiment.tone([q.text for _, q in quotes])):
                q.sentiment = lab
            slots, items = [], []
            for d, q in quotes:
                for name, s, e in mentioned_actors(d, q):
                    slots.append((q, name))
                    items.append((q.text, s - q.start, e - q.start))
            for (q, name), lab in zip(slots, sentiment.toward(items) if items else []):
                q.sentiment_toward[name] = lab
        if self.stance is not False and (stance is not None or self._head_targets(quick)):
            from stancekit.aggregate.document import document_profiles

            for d in docs:
                d.profiles = document_profiles(d, [t.id for t in self.targets])
        return docs

    def _classify_single_pass(self, quick, quotes: list[tuple[Document, Quote]], heads: list[Target]) -> None:
        """Tone, sentiment toward the actors and the `heads` targets of every quote, one pass each."""
        mentions = [mentioned_actors(d, q) for d, q in quotes]
        items = [(q.text, context(d, q), [(s - q.start, e - q.start) for _, s, e in m]) for (d, q), m in zip(quotes, mentions)]
        for (_, q), m, r in zip(quotes, mentions, quick.analyze(items, heads)):
            if heads:
                q.stance = dict(r.stance)
            if self.sentiment is not False:
                q.sentiment = r.tone
                q.sentiment_toward = {name: lab for (name, _, _), lab in zip(m, r.toward)}

    def _ask_cross_encoder(self, quick, stance, quotes: list[tuple[Document, Quote]]) -> None:
        """Replace the heads' answers under the confidence threshold with the stance cross-encoder's."""
        unsure = [(d, q, t) for t in self._head_targets(quick) for d, q in quotes
                  if not quick.confident(t.id, q.stance[t.id], self.defer_below)]
        for (_, q, t), label in zip(unsure, stance.predict_pairs([(q.text, context(d, q), t) for d, q, t in unsure])):
            q.stance[t.id] = label


def context(doc: Document, q: Quote) -> str:
    """The article text just before a quote, as much as the classifiers read of it."""
    return doc.text[max(0, q.start - CONTEXT_CHARS):q.start]


def segment_record(r: Record) -> Document:
    quotes, actors = segment(r.text, r.date)
    return Document(text=r.text, id=r.id, date=r.date, source=r.source, quotes=quotes, actors=actors)


_WORKER: "Pipeline | None" = None


def _worker_init(config: dict) -> None:
    global _WORKER
    _WORKER = Pipeline(**config)
    _WORKER._models()  # load now, so no chunk waits on a model load


def _worker_pipe(chunk: list[Record]) -> tuple[list[Document], list[RecordError]]:
    errs: list[RecordError] = []
    return list(_WORKER.pipe(chunk, errors=errs)), errs


def failed(doc_id: str | None, exc: BaseException, step: str) -> RecordError:
    """The error entry of a document on which the pipeline raised."""
    return RecordError(str(doc_id), f"analysis failed in {step}: {type(exc).__name__}: {exc}", "analysis_failed")


def mentioned_actors(doc: Document, q: Quote) -> list[tuple[str, int, int]]:
    """(actor, start, end) of the first mention of each actor inside a quote, its speaker excluded."""
    return first_mentions(doc.actors, q.start, q.end, skip=q.speaker)


def first_mentions(actors, start: int, end: int, skip: str | None = None) -> list[tuple[str, int, int]]:
    """(actor, start, end) of the first mention of each actor (but `skip`) inside text[start:end], in text order."""
    out = {}
    for a in actors:
        if a.name == skip:
            continue
        for m in a.mentions:
            if start <= m.start and m.end <= end:
                out.setdefault(a.name, (a.name, m.start, m.end))
                break
    return sorted(out.values(), key=lambda x: x[1])


def load(targets: Iterable[str | Target] | None = None, **kwargs) -> Pipeline:
    """Build the analysis pipeline. See `Pipeline` for the options.

    Example:
        >>> nlp = load(stance=False, sentiment=False)
        >>> doc = nlp("“We will never accept it,” Mr Smith said.")
        >>> doc.quotes[0].speaker
        'Smith'
    """
    return Pipeline(targets, **kwargs)
