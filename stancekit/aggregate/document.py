"""Per-document stance profiles: what each speaker's quotes in one article add up to.

The pipeline calls `document_profiles` to fill `Document.profiles`. The rule is the same as the
cross-document table (`stancekit.aggregate.profile`), so one article's profile and a collection's
profile of the same actor never disagree about how quotes are combined.
"""
from __future__ import annotations

from stancekit.aggregate.scoring import ABSTAIN, LABEL_THRESHOLD, quote_score, stance_label, weighted_mean
from stancekit.doc import Document, Profile

MAX_EVIDENCE = 3


def document_profiles(doc: Document, target_ids: list[str], threshold: float = LABEL_THRESHOLD) -> list[Profile]:
    """Each speaker's stance toward each target within `doc`.

    score = confidence-weighted mean of P(favor) - P(against) over the speaker's quotes, each
    weighted by its top class probability; label = favor if score >= threshold, against if
    <= -threshold, else none (see `scoring.LABEL_THRESHOLD`). Quotes without a speaker and
    abstained labels are skipped; a (speaker, target) pair with no usable quote gets no row, so a
    row with label "none" means the speaker was heard on the target without taking a side.

    Args:
        doc: an analysed document.
        target_ids: the targets to profile, in output order.
        threshold: |score| needed for favor/against.

    Returns:
        Profiles ordered by the speaker's first quote, then by `target_ids`. Evidence holds up to
        three quotes {"start", "end", "text", "label", "score"}, strongest (weight * |score|) first.

    Example:
        >>> from stancekit.doc import Document, Quote, Label
        >>> q = Quote(0, 5, "Yes.", "direct", speaker="A", stance={"t": Label("favor", {"favor": 0.9, "against": 0.05, "none": 0.05})})
        >>> [(p.actor, p.label, round(p.score, 2)) for p in document_profiles(Document("Yes.", quotes=[q]), ["t"])]
        [('A', 'favor', 0.85)]
    """
    speakers = list(dict.fromkeys(q.speaker for q in doc.quotes if q.speaker))
    out: list[Profile] = []
    for speaker in speakers:
        for target in target_ids:
            rows = _usable_quotes(doc, speaker, target)
            if rows:
                out.append(_profile(speaker, target, rows, threshold))
    return out


def _usable_quotes(doc: Document, speaker: str, target: str) -> list[tuple]:
    """(quote, label, score, weight) for the speaker's non-abstained quotes on `target`."""
    rows = []
    for q in doc.quotes:
        lab = q.stance.get(target) if q.speaker == speaker else None
        if lab is None or lab.label == ABSTAIN:
            continue
        score, weight = quote_score(lab.label, lab.scores)
        rows.append((q, lab.label, score, weight))
    return rows


def _profile(speaker: str, target: str, rows: list[tuple], threshold: float) -> Profile:
    score = weighted_mean([(s, w) for _, _, s, w in rows])
    strongest = sorted(rows, key=lambda r: (-r[3] * abs(r[2]), r[0].start))[:MAX_EVIDENCE]
    evidence = [{"start": q.start, "end": q.end, "text": q.text, "label": lab, "score": round(s, 4)}
                for q, lab, s, _ in strongest]
    return Profile(speaker, target, stance_label(score, threshold), score, len(rows), evidence)
