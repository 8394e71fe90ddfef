"""Rich HTML for notebooks: the article with its quotes highlighted, and readable profile tables.

`Document._repr_html_` and `Quote._repr_html_` call `document_html` / `quote_html`, so a `Document`
shown in Jupyter (or VS Code, nbviewer, an nbconvert export) renders as the article text with

* every quote highlighted (direct, indirect and mixed speech in distinct styles),
* the speaker mention in bold blue and the reporting cue in dotted brown,
* after each quote, its number and speaker, a coloured badge per stance target (favor green,
  against red, none grey, abstain hatched) with the label's probability inline and every class
  probability on hover, and a small sentiment badge.

`profile_html` renders a profile table (`stancekit.profile(...)`) with score bars and the evidence
quotes one click away. The output is self-contained: inline styles only (no <style> block, which
notebook sanitizers strip), no scripts, no external assets, and all text HTML-escaped, since
articles and quotes come from arbitrary web pages. Spans may overlap or nest (a quote inside a
quote, the speaker mention of one quote inside another): tags are closed and re-opened at each
boundary, so the HTML is always well nested.

Example:
    >>> from stancekit.doc import Document, Quote, Span, Label
    >>> text = '“No deal,” she said.'
    >>> q = Quote(1, 8, "No deal", "direct", "Ann Lee", Span(11, 14, "she"), Span(15, 19, "said"),
    ...           stance={"peace_talks": Label("against", {"favor": 0.1, "against": 0.8, "none": 0.1})})
    >>> html = document_html(Document(text, quotes=[q]))
    >>> "peace_talks: against 0.80" in html
    True
"""
from __future__ import annotations

import json
from html import escape
from typing import Any, Iterable

from stancekit.doc import Document, Label, Quote

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
BOX = f"{FONT};color:#222;background:#fff;line-height:1.65;font-size:14px;padding:10px 14px;border:1px solid #ddd;border-radius:6px"
QUOTE_STYLE = {
    "direct": "background:#fff1b8;border-bottom:2px solid #d4a300",
    "indirect": "background:#e3eeff;border-bottom:2px dashed #5b84c4",
    "mixed": "background:#eee5ff;border-bottom:2px solid #9874d3",
}
MENTION_STYLE = "font-weight:700;color:#0b4f9c;border-bottom:2px solid #0b4f9c"
CUE_STYLE = "font-style:italic;color:#8a4b00;border-bottom:2px dotted #8a4b00"
_BADGE = "display:inline-block;white-space:nowrap;padding:0 6px;margin:0 2px;border-radius:9px;font:11px/1.6 system-ui,sans-serif;font-style:normal;font-weight:400"
STANCE_STYLE = {
    "favor": "background:#d7f0d6;color:#1b5e20;border:1px solid #2e7d32",
    "against": "background:#fadbd8;color:#a31515;border:1px solid #c62828",
    "none": "background:#eeeeee;color:#555;border:1px solid #bbb",
    "abstain": "background:repeating-linear-gradient(45deg,#f5f5f5 0 3px,#d5d5d5 3px 6px);color:#333;border:1px dashed #777",
}
SENTIMENT_STYLE = {
    "positive": "background:#e0f4f1;color:#00695c;border:1px solid #4db6ac",
    "negative": "background:#fde9d9;color:#a6430a;border:1px solid #f0a36b",
    "neutral": "background:#f3f3f3;color:#666;border:1px solid #ccc",
    "abstain": STANCE_STYLE["abstain"],
}
_CHIP = "display:inline-block;white-space:nowrap;padding:0 5px;margin:0 2px 0 4px;border-radius:3px;font:11px/1.6 system-ui,sans-serif;font-style:normal;font-weight:600;background:#444;color:#fff"
_MUTED = "color:#777;font-size:12px"


def scores_title(label: Label) -> str:
    """'favor 0.91 · against 0.02 · none 0.07' (classes by descending probability)."""
    ranked = sorted(label.scores.items(), key=lambda kv: -kv[1])
    return " · ".join(f"{k} {v:.2f}" for k, v in ranked) or f"{label.label} (no probabilities)"


def _label_text(label: Label) -> str:
    """The label with its probability: 'favor 0.91', or 'abstain (favor 0.41)' under the threshold."""
    if not label.scores:
        return label.label
    best = max(label.scores, key=label.scores.get)
    if label.label in label.scores:
        return f"{label.label} {label.scores[label.label]:.2f}"
    return f"{label.label} ({best} {label.scores[best]:.2f})"


def stance_badge(target: str, label: Label) -> str:
    """A coloured badge 'target: label p' with all class probabilities in its title (hover)."""
    style = STANCE_STYLE.get(label.label, STANCE_STYLE["none"])
    title = f"stance toward {target}: {scores_title(label)}"
    return (f'<span data-sk="stance" style="{_BADGE};{style}" title="{escape(title)}">'
            f"{escape(target)}: {escape(_label_text(label))}</span>")


def sentiment_badge(quote: Quote) -> str:
    """A small tone badge; its title also lists the sentiment toward actors named in the quote."""
    if quote.sentiment is None:
        return ""
    lab = quote.sentiment
    lines = [f"tone: {scores_title(lab)}"]
    lines += [f"toward {actor}: {_label_text(t)}" for actor, t in quote.sentiment_toward.items() if t is not None]
    style = SENTIMENT_STYLE.get(lab.label, SENTIMENT_STYLE["neutral"])
    return (f'<span data-sk="tone" style="{_BADGE};font-size:10px;{style}" title="{escape(chr(10).join(lines))}">'
            f"tone: {escape(lab.label)}</span>")


def quote_badges(quote: Quote, number: int | None = None, show_none: bool = True) -> str:
    """Number and speaker chip, stance badges and sentiment badge of one quote."""
    who = quote.speaker or "unknown speaker"
    chip_text = f"{number} {who}" if number is not None else who
    chip_title = f"quote {number}: " if number is not None else ""
    chip_title += f"{quote.kind} speech by {who}" + (f", cue '{quote.cue.text}'" if quote.cue else "")
    parts = [f'<span data-sk="chip" style="{_CHIP}" title="{escape(chip_title)}">{escape(chip_text)}</span>']
    parts += [stance_badge(t, lab) for t, lab in quote.stance.items()
              if lab is not None and (show_none or lab.label != "none")]
    parts.append(sentiment_badge(quote))
    return f'<span data-sk="badges">{"".join(parts)}</span>'


_KINDS = ("quote", "speaker", "cue")


class _Mark:
    """One styled span of the text: a quote, a speaker mention or a cue."""

    __slots__ = ("start", "end", "rank", "style", "titles", "quote")

    def __init__(self, start: int, end: int, rank: int, style: str, title: str, quote: int | None = None):
        self.start, self.end, self.rank, self.style, self.titles, self.quote = start, end, rank, style, [title], quote

    def open(self) -> str:
        return f'<span data-sk="{_KINDS[self.rank]}" style="{self.style}" title="{escape("; ".join(self.titles))}">'


def _marks(doc: Document) -> list[_Mark]:
    n = len(doc.text)
    marks: list[_Mark] = []
    shared: dict[tuple[int, int, int], _Mark] = {}  # one mention / cue may serve several quotes

    def ok(s: int, e: int) -> tuple[int, int] | None:
        s, e = max(0, int(s)), min(n, int(e))
        return (s, e) if s < e else None

    for i, q in enumerate(doc.quotes, 1):
        span = ok(q.start, q.end)
        if span:
            who = q.speaker or "unknown speaker"
            marks.append(_Mark(*span, 0, QUOTE_STYLE.get(q.kind, QUOTE_STYLE["direct"]),
                               f"quote {i} ({q.kind}) by {who}", quote=i))
        for rank, sub, style, what in ((1, q.speaker_mention, MENTION_STYLE, "speaker"), (2, q.cue, CUE_STYLE, "cue")):
            span = ok(sub.start, sub.end) if sub is not None else None
            if not span:
                continue
            title = f"{what} of quote {i}" + (f" ({q.speaker})" if what == "speaker" and q.speaker else "")
            key = (*span, rank)
            if key in shared:
                shared[key].titles.append(title)
            else:
                shared[key] = _Mark(*span, rank, style, title)
                marks.append(shared[key])
    return marks


def highlight(doc: Document, show_none: bool = True) -> str:
    """The escaped article text with quotes, speaker mentions, cues and badges marked up.

    At every boundary the open spans that no longer apply are closed and the new ones opened, in
    a fixed order (earlier start first, then longer, then quote < mention < cue), so overlapping
    and nested spans always give well-nested HTML.
    """
    text = doc.text
    marks = _marks(doc)
    starts: dict[int, list[_Mark]] = {}
    ends: dict[int, list[_Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    points = sorted({0, len(text)} | set(starts) | set(ends))
    out: list[str] = []
    stack: list[_Mark] = []
    active: set[int] = set()  # ids of the marks covering the segment [a, b)
    by_id = {id(m): m for m in marks}
    order = {id(m): k for k, m in enumerate(marks)}
    for a, b in zip(points, points[1:] + [None]):
        active.difference_update(id(m) for m in ends.get(a, []))
        active.update(id(m) for m in starts.get(a, []))
        want = sorted((by_id[i] for i in active), key=lambda m: (m.start, -m.end, m.rank, order[id(m)])) if b is not None else []
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        stack = stack[:keep]
        for m in sorted((m for m in ends.get(a, []) if m.quote is not None), key=lambda m: -m.start):
            out.append(quote_badges(doc.quotes[m.quote - 1], m.quote, show_none))
        for m in want[keep:]:
            out.append(m.open())
            stack.append(m)
        if b is not None:
            out.append(escape(text[a:b], quote=False))
    return "".join(out)


def _legend() -> str:
    sample = [(QUOTE_STYLE["direct"], "direct quote"), (QUOTE_STYLE["indirect"], "indirect"),
              (QUOTE_STYLE["mixed"], "mixed"), (MENTION_STYLE, "speaker"), (CUE_STYLE, "cue")]
    items = "".join(f'<span style="{s};margin-right:8px">{t}</span>' for s, t in sample)
    badges = "".join(f'<span style="{_BADGE};{STANCE_STYLE[k]}">{k}</span>' for k in STANCE_STYLE)
    return f'<div style="{_MUTED};margin:2px 0 8px">{items} stance: {badges} <i>(hover a badge for all scores)</i></div>'


def document_html(doc: Document, show_none: bool = True) -> str:
    """HTML for a `Document`: a header (id, date, source, counts), a legend and the marked-up text.

    Args:
        doc: an analysed document.
        show_none: also show badges for targets a quote takes no side on.
    """
    meta = [f"<b>{escape(str(doc.id))}</b>" if doc.id is not None else "<b>Document</b>"]
    meta += [escape(str(v)) for v in (doc.date, doc.source) if v]
    speakers = {q.speaker for q in doc.quotes if q.speaker}
    meta.append(f"{len(doc.quotes)} quotes · {len(speakers)} speakers · {len(doc.actors)} actors")
    if doc.quotes and not any(q.stance for q in doc.quotes):
        meta.append("<i>no stance labels (stance model not run)</i>")
    head = f'<div style="{FONT};font-size:13px;margin-bottom:2px">{" · ".join(meta)}</div>'
    body = f'<div style="white-space:pre-wrap;overflow-wrap:anywhere">{highlight(doc, show_none)}</div>'
    return f'<div style="{BOX}">{head}{_legend()}{body}</div>'


def quote_html(quote: Quote) -> str:
    """HTML for one `Quote`: its text (escaped), kind, speaker, cue and badges."""
    style = QUOTE_STYLE.get(quote.kind, QUOTE_STYLE["direct"])
    cue = f' · cue <span style="{CUE_STYLE}">{escape(quote.cue.text)}</span>' if quote.cue else ""
    mention = (f' · mention <span style="{MENTION_STYLE}">{escape(quote.speaker_mention.text)}</span>'
               if quote.speaker_mention else "")
    head = f'<div style="{_MUTED}">[{quote.start}:{quote.end}] {escape(quote.kind)}{mention}{cue}</div>'
    body = f'<span style="{style};white-space:pre-wrap">{escape(quote.text, quote=False)}</span>'
    return f'<div style="{BOX}">{head}<div>{body} {quote_badges(quote)}</div></div>'


# -- profile tables -------------------------------------------------------------------------------

_TH = "border-bottom:2px solid #bbb;padding:4px 8px;text-align:left;background:#f6f6f6;white-space:nowrap"
_TD = "border-bottom:1px solid #e5e5e5;padding:4px 8px;vertical-align:top;text-align:left"
_NUM = f"{_TD};text-align:right;font-variant-numeric:tabular-nums"
_NOWRAP = {"actor", "target", "source", "organisation", "toward", "period"}


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def _signed(v: float) -> str:
    """'+0.42' / '-0.42', and '0.00' rather than '-0.00' for a score that rounds to zero."""
    text = f"{float(v):+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def score_bar(score: float, ci: tuple[float, float] | None = None, width: int = 110) -> str:
    """A -1..1 bar centred on 0 (green right for favor, red left for against), CI as a thin line."""
    s = max(-1.0, min(1.0, float(score)))
    left, size = (50.0, 50.0 * s) if s >= 0 else (50.0 + 50.0 * s, -50.0 * s)
    colour = "#2e7d32" if s > 0 else "#c62828"
    bar = f'<div style="position:absolute;top:2px;height:10px;left:{left:.1f}%;width:{size:.1f}%;background:{colour};opacity:.75"></div>'
    if ci and not any(_missing(c) for c in ci):
        lo, hi = (max(-1.0, min(1.0, float(c))) for c in ci)
        bar += (f'<div style="position:absolute;top:6px;height:2px;left:{50 + 50 * lo:.1f}%;'
                f'width:{50 * (hi - lo):.1f}%;background:#333"></div>')
    axis = '<div style="position:absolute;top:0;bottom:0;left:50%;width:1px;background:#888"></div>'
    return (f'<span style="display:inline-block;vertical-align:middle;position:relative;width:{width}px;'
            f'height:14px;background:#f1f1f1;border-radius:2px">{bar}{axis}</span>')


def _evidence(items: Any) -> str:
    if isinstance(items, str) and items.startswith("["):  # a profiles.csv read back with pandas: JSON text
        try:
            items = json.loads(items)
        except ValueError:
            return escape(items, quote=False)
    if not isinstance(items, (list, tuple)) or not items:
        return ""
    lis = []
    for ev in items:
        if not isinstance(ev, dict):
            lis.append(f"<li>{escape(str(ev))}</li>")
            continue
        where = " · ".join(escape(str(ev[k])) for k in ("doc_id",) if ev.get(k) is not None)
        score = f"{float(ev['score']):+.2f}" if not _missing(ev.get("score")) else ""
        note = " · ".join(x for x in (where, score) if x)
        lis.append(f'<li style="margin:3px 0">“{escape(str(ev.get("text", "")), quote=False)}” '
                   f'<span style="{_MUTED}">{note}</span></li>')
    n = len(items)
    return (f'<details><summary style="cursor:pointer;{_MUTED}">{n} quote{"s" * (n != 1)}</summary>'
            f'<ol style="margin:4px 0;padding-left:20px;max-width:560px;white-space:normal">{"".join(lis)}</ol></details>')


def _cell(col: str, v: Any, row: dict[str, Any]) -> str:
    if col == "evidence":
        return f'<td style="{_TD}">{_evidence(v)}</td>'
    if _missing(v):
        return f'<td style="{_TD}"></td>'
    if col == "label" and str(v) in STANCE_STYLE:
        return f'<td style="{_TD}"><span style="{_BADGE};{STANCE_STYLE[str(v)]}">{escape(str(v))}</span></td>'
    if col in ("score", "overall_score") and isinstance(v, (int, float)):
        ci = (row.get("ci_low"), row.get("ci_high")) if col == "score" and "ci_low" in row else None
        title = f"{float(v):+.3f}" + (f" (95% CI {ci[0]:+.2f} … {ci[1]:+.2f})" if ci and not any(map(_missing, ci)) else "")
        return (f'<td style="{_NUM};white-space:nowrap" title="{escape(title)}">'
                f'{_signed(v)} {score_bar(v, ci)}</td>')
    if hasattr(v, "strftime"):
        return f'<td style="{_TD};white-space:nowrap">{escape(str(v)[:10])}</td>'
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return f'<td style="{_TD}">{"✔" if v else ""}</td>'
    if isinstance(v, float) or type(v).__name__.startswith("float"):
        return f'<td style="{_NUM}">{float(v):.2f}</td>'
    if isinstance(v, int) or type(v).__name__.startswith("int"):
        return f'<td style="{_NUM}">{int(v)}</td>'
    nowrap = ";white-space:nowrap" if col in _NOWRAP else ""
    return f'<td style="{_TD}{nowrap}">{escape(str(v), quote=False)}</td>'


def profile_html(frame, max_rows: int = 200, columns: Iterable[str] | None = None) -> str:
    """A profile table (or any DataFrame) as a styled HTML table.

    `label` becomes a coloured badge, `score` a number with a -1..1 bar (and its 95 % interval
    when `ci_low`/`ci_high` are present; those columns are then folded into the bar), dates show
    as YYYY-MM-DD and `evidence` lists its quotes in a collapsed `<details>`.

    Args:
        frame: a `ProfileFrame` from `stancekit.profile`, or another table of the same kind.
        max_rows: rows to show; a note says how many were left out.
        columns: columns to show (default: all but the folded CI columns and columns with no value).
    """
    rows = frame.head(max_rows).to_dict(orient="records")
    if columns is not None:
        cols = list(columns)
    else:  # the CI is drawn in the score bar; columns with no value at all (no gazetteer: organisation) go
        cols = [c for c in frame.columns if not (c in ("ci_low", "ci_high") and "score" in frame.columns)
                and (not rows or not all(_missing(r.get(c)) for r in rows))]
    head = "".join(f'<th style="{_TH}">{escape(str(c))}</th>' for c in cols)
    body = "".join("<tr>" + "".join(_cell(c, r.get(c), r) for c in cols) + "</tr>" for r in rows)
    note = (f'<div style="{_MUTED}">showing {len(rows)} of {len(frame)} rows</div>'
            if len(frame) > len(rows) else "")
    if not rows:
        body = f'<tr><td style="{_TD}" colspan="{max(len(cols), 1)}"><i>no rows</i></td></tr>'
    return (f'<div style="{FONT};font-size:13px;color:#222;background:#fff;overflow-x:auto">'
            f'<table style="border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>")


def show(obj: Any) -> Any:
    """Wrap a Document, Quote or profile table in an IPython `HTML` object (for `display(...)`)."""
    from IPython.display import HTML

    if isinstance(obj, Document):
        return HTML(document_html(obj))
    if isinstance(obj, Quote):
        return HTML(quote_html(obj))
    return HTML(profile_html(obj))
