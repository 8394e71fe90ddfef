"""Everything the pipeline asks of a quote, from one encoder pass (models/quote-minilm).

Same rules and outputs as the cross-encoders (`stancekit.classify.stance` and `.sentiment`): the
keyword gate gives `none` with certainty to a target none of whose keywords occurs in the quote
or the sentence before it; a short or anaphoric quote is read after that sentence; labels under a
task's abstain threshold become "abstain", scores kept. Only the targets the model has heads for
are answered here (`covers`); the pipeline sends any other target to the stance cross-encoder.

Example:
    >>> clf = QuoteClassifier.load()  # doctest: +SKIP
    >>> [r] = clf.analyze([("Putin lied, and Nato must let Ukraine in.", "", [(0, 5)])])  # doctest: +SKIP
    >>> r.stance["nato_membership"].label, r.tone.label, r.toward[0].label  # doctest: +SKIP
    ('favor', 'negative', 'negative')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from stancekit.classify.stance import _gated, certain_none, context_sentence, needs_context
from stancekit.classify.sentiment import to_label
from stancekit.doc import Label
from stancekit.targets import Target, resolve_targets

MODEL_NAME = "quote-minilm"
QuoteItem = tuple[str, str, Sequence[tuple[int, int]]]
"""(quote text, article text just before the quote, mention spans (start, end) inside the quote)."""


@dataclass
class QuoteResult:
    stance: dict[str, Label] = field(default_factory=dict)
    tone: Label | None = None
    toward: list[Label] = field(default_factory=list)


def stands(top: float, below: float) -> bool:
    """Whether a head's answer with top probability `top` is kept under the deferral threshold `below`.

    A certain answer (1.0, the keyword gate's) always stands, whatever the threshold.

    >>> stands(0.7, 0.65), stands(0.6, 0.65), stands(1.0, float("inf"))
    (True, False, True)
    """
    return top >= min(1.0, below)


def model_text(quote: str, context: str) -> tuple[str, int]:
    """The text the model reads and where the quote starts in it (after the context sentence, if needed).

    >>> model_text("That will take time.", "Ukraine belongs in Nato. He added: “")
    ('Ukraine belongs in Nato. That will take time.', 25)
    """
    return _with_sentence(quote, context_sentence(context or ""))


def _with_sentence(quote: str, ctx: str) -> tuple[str, int]:
    if ctx and needs_context(quote):
        return f"{ctx} {quote}", len(ctx) + 1
    return quote, 0


class QuoteClassifier:
    """Tone, stance toward the model's built-in targets and sentiment toward mentions, per quote.

    Args:
        model: a fitted `QuoteModel`.
        abstain_below: one threshold for every task; None takes the model's, picked per task on dev.
    """

    def __init__(self, model, abstain_below: float | None = None):
        self.model = model
        self.abstain_below = abstain_below

    @classmethod
    def load(cls, model_dir: str | Path | None = None, device: str = "auto", batch_size: int = 32,
             num_threads: int | None = None) -> "QuoteClassifier":
        from stancekit.models.base import shipped_model_dir
        from stancekit.models.quote_model import QuoteModel

        path = Path(model_dir) if model_dir is not None else shipped_model_dir(MODEL_NAME)
        return cls(QuoteModel.load(path, device=device, batch_size=batch_size, num_threads=num_threads))

    def covers(self, target: Target) -> bool:
        """True when the model has a head trained for this built-in target."""
        return target.id in self.model.tasks

    def defer_below(self, task: str) -> float:
        """Top probability under which the pipeline asks the stance cross-encoder instead (inf: always).

        Fitted on the domain dev split by `stancekit.train.cascade` and kept in the model's config.
        """
        fitted = (getattr(self.model, "config_", None) or {}).get("defer", {}).get("below", {})
        return float(fitted.get(task, float("inf")))

    def confident(self, task: str, label: Label, below: float | Mapping[str, float] | None = None) -> bool:
        """True when the head's answer stands: top probability at least `below` (default: the fitted one).

        `below` may be one threshold or one per task (tasks it leaves out keep the fitted one). A certain
        answer (the keyword gate's `none`) always stands.

        >>> lab = Label("favor", {"favor": 0.9, "against": 0.05, "none": 0.05})
        >>> QuoteClassifier(None).confident("peace_talks", lab, 0.65), QuoteClassifier(None).confident("peace_talks", lab, {"peace_talks": 2})
        (True, False)
        """
        if isinstance(below, Mapping):
            below = below.get(task)
        return stands(max(label.scores.values()), self.defer_below(task) if below is None else below)

    def threshold(self, task: str) -> float:
        if self.abstain_below is not None:
            return float(self.abstain_below)
        return float((getattr(self.model, "abstain_below_", None) or {}).get(task, 0.0))

    def analyze(self, items: Sequence[QuoteItem], targets: Sequence[Target | str] | None = None) -> list[QuoteResult]:
        """One `QuoteResult` per (quote, context, mention spans) item; all go through one batched call."""
        targets = [t for t in resolve_targets(targets) if self.covers(t)]
        texts, mention_items, probes = [], [], []
        for i, (quote, context, spans) in enumerate(items):
            ctx = context_sentence(context or "")  # once per quote: the text and the keyword gate share it
            text, shift = _with_sentence(quote, ctx)
            texts.append(text)
            probes.append(f"{quote} {ctx}")
            for k, (s, e) in enumerate(spans):
                if not 0 <= s < e <= len(quote):
                    raise ValueError(f"Mention {k} of quote {i} ({s}, {e}) is not a span of its {len(quote)}-char text.")
                mention_items.append((i, [(s + shift, e + shift)]))
        probs = self.model.predict_proba(texts, mention_items)
        out, k = [], 0
        for i, (quote, context, spans) in enumerate(items):
            r = QuoteResult(tone=self._label("tone", probs["tone"][i]))
            for t in targets:
                r.stance[t.id] = certain_none() if _gated(t, probes[i]) else self._label(t.id, probs[t.id][i])
            for _ in spans:
                r.toward.append(self._label("toward", probs["toward"][k]))
                k += 1
            out.append(r)
        return out

    def _label(self, task: str, row) -> Label:
        return to_label(dict(zip(self.model.tasks[task], map(float, row))), self.threshold(task))
