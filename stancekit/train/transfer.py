"""Teacher-labelled news sentences: soft targets that carry trained models' answers over to a new student.

Knowledge distillation on unlabelled in-domain text (Hinton et al., 2015): sentences of real
political news (PolNeAR's train articles, read from the data folder, never copied) that name at
least one actor found by `stancekit.segment` become training examples whose targets are the
teachers' calibrated probabilities instead of gold labels:

* `tone` and `toward` (each actor's first mention in the sentence) from a sentiment teacher,
  a saved `QuoteModel` (the shipped quote-minilm);
* the built-in stance targets from the stance cross-encoder (stance-minilm), only where the
  keyword gate lets the pair through (the pipeline answers the other pairs `none` itself).

A short or anaphoric sentence is read after the sentence before it, as the pipeline reads quotes.
The examples use the quote recipe's format, a label being a probability list instead of a name.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

log = logging.getLogger(__name__)

POLNEAR_TRAIN = Path("quotes") / "polnear" / "train" / "text"
SENTENCE_CHARS = (40, 400)


def news_sentences(folder: Path, limit: int) -> Iterator[tuple[str, list[tuple[int, int]], str]]:
    """(sentence, first mention of each actor in it, article text before it), articles in file-name order."""
    from stancekit.classify.stance import CONTEXT_CHARS
    from stancekit.pipeline import first_mentions
    from stancekit.segment import segment
    from stancekit.segment.text import sentences

    lo, hi = SENTENCE_CHARS
    n = 0
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        _, actors = segment(text)
        for s, e in sentences(text):
            if not lo <= e - s <= hi:
                continue
            first = first_mentions(actors, s, e)  # as the pipeline picks the actors a quote names
            if first:
                yield text[s:e], [(ms - s, me - s) for _, ms, me in first], text[max(0, s - CONTEXT_CHARS):s]
                n += 1
                if n >= limit:
                    return


def teacher_examples(items: Sequence[tuple[str, list[tuple[int, int]], str]], sentiment_teacher, stance_teacher,
                     tasks: dict[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Examples (quote-recipe format) whose labels are the teachers' probabilities, in the order of `tasks`."""
    from stancekit.classify.quote import model_text
    from stancekit.targets import BUILTIN_TARGETS

    texts, mention_items = [], []
    for i, (sentence, spans, before) in enumerate(items):
        text, shift = model_text(sentence, before)
        texts.append(text)
        mention_items += [(i, [(s + shift, e + shift)]) for s, e in spans]
    probs = sentiment_teacher.predict_proba(texts, mention_items)
    out = [{"text": t, "labels": {"tone": _in_order(sentiment_teacher.tasks["tone"], probs["tone"][i], tasks["tone"])},
            "items": []} for i, t in enumerate(texts)]
    for (i, spans), row in zip(mention_items, probs["toward"]):
        out[i]["items"].append((spans, _in_order(sentiment_teacher.tasks["toward"], row, tasks["toward"])))
    stance_tasks = [t for t in tasks if t in BUILTIN_TARGETS]
    pairs = [(i, task) for task in stance_tasks for i in range(len(texts))]
    for (i, task), lab in zip(pairs, stance_teacher.predict_pairs([(texts[i], "", BUILTIN_TARGETS[task]) for i, task in pairs])):
        if max(lab.scores.values()) < 1.0:  # the gate's `none` is certain; a model's answer never is
            out[i]["labels"][task] = [float(lab.scores[v]) for v in tasks[task]]
    return out


def soften(examples: Sequence[dict[str, Any]], teacher, tasks: dict[str, Sequence[str]], alpha: float) -> list[dict[str, Any]]:
    """The examples with each gold `toward` label mixed with the teacher's probabilities: alpha × gold + (1 − alpha) × teacher.

    The mixed target is the distillation loss of Hinton et al. at temperature 1: the gold keeps
    the student honest where the teacher errs, the teacher's spread tells it which errors are near.
    """
    from stancekit.train.quote import as_probs

    texts = [ex["text"] for ex in examples]
    items = [(i, spans) for i, ex in enumerate(examples) for spans, _ in ex["items"]]
    probs = iter(teacher.predict_proba(texts, items)["toward"]) if items else iter(())
    out = []
    for ex in examples:
        mixed = []
        for spans, lab in ex["items"]:
            t = np.array(_in_order(teacher.tasks["toward"], next(probs), tasks["toward"]))
            mixed.append((spans, (alpha * as_probs(lab, tasks["toward"]) + (1 - alpha) * t).tolist()))
        out.append({**ex, "items": mixed})
    return out


def _in_order(have: Sequence[str], row: np.ndarray, want: Sequence[str]) -> list[float]:
    return [float(row[list(have).index(v)]) for v in want]


def transfer_set(data_root: Path, n: int, sentiment, stance_dir, tasks: dict[str, Sequence[str]],
                 threads: int = 1) -> tuple[list[dict], dict]:
    """`n` PolNeAR train sentences labelled by `sentiment` (a loaded QuoteModel) and the stance model in `stance_dir`."""
    from stancekit.classify.stance import StanceClassifier

    folder = Path(data_root) / POLNEAR_TRAIN
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: PolNeAR train texts not found (pass --data)")
    stance = StanceClassifier.load(stance_dir, device="auto", num_threads=threads)
    items = list(news_sentences(folder, n))
    examples = teacher_examples(items, sentiment, stance, tasks)
    info = {"texts": "PolNeAR train articles, sentences naming an actor", "sentences": len(examples),
            "mentions": sum(len(x["items"]) for x in examples),
            "open_stance_pairs": sum(len(x["labels"]) - 1 for x in examples),
            "stance_teacher": {"path": Path(stance_dir).name, "sha256": stance.model.config_["sha256"]}}
    return examples, info
