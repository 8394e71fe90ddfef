"""A self-contained HTML report: one file to open, mail or archive, with no external assets.

Plots are embedded as base64 PNG, styles are inline and every piece of text from the data (names,
quotes, outlets) is HTML-escaped, since quotes come from arbitrary web pages.
"""
from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from datetime import datetime, timezone
from html import escape
from pathlib import Path

import pandas as pd

from stancekit.aggregate.frames import quotes_frame, usable
from stancekit.aggregate.gazetteer import Gazetteer
from stancekit.aggregate.profiles import profile
from stancekit.aggregate.views import stance_by_outlet, stance_over_time

MAX_ROWS = 300  # table rows per section; the full data is in profiles.csv
NOISE_QUOTES = 2  # shifts and outlet differences resting on one quote are mostly noise; not listed
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1150px;color:#222}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:13px;margin:.5em 0}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top} th{background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums} .muted{color:#777}
.favor{background:#d6e6f4} .against{background:#f7d9d0} .none{background:#f2f2f2}
img{max-width:100%;border:1px solid #eee} .stats span{margin-right:1.5em}
blockquote{margin:0;font-style:italic}
"""


def write_report(docs_or_quotes, path: str | Path, title: str = "stancekit report",
                 targets: Iterable[str] | None = None, gazetteer: Gazetteer | None = None,
                 freq: str = "W", min_quotes: int = 1) -> Path:
    """Write a self-contained HTML report of stance profiles, timelines, shifts and evidence.

    Args:
        docs_or_quotes: Documents, their dicts, a quotes.jsonl path, or a `quotes_frame`.
        path: the .html file to write.
        title: page title.
        targets, gazetteer, min_quotes: as in `profile`.
        freq: period of the timelines ("W" or "M").

    Returns:
        The path written.
    """
    quotes = quotes_frame(docs_or_quotes, targets, gazetteer)
    prof = profile(quotes, gazetteer=gazetteer, min_quotes=min_quotes)
    sections = [_summary(quotes), _heatmap(prof), _timelines(quotes, freq), _profile_table(prof),
                _shifts(quotes, freq), _outlets(quotes), _evidence(prof)]
    body = "\n".join(s for s in sections if s)
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
            f"<p class=\"muted\">Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by stancekit.</p>\n"
            f"{body}\n</body></html>\n")
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


def _summary(quotes: pd.DataFrame) -> str:
    used = usable(quotes)
    dates = quotes["date"].dropna()
    span = f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
    items = [("documents", quotes["doc_id"].nunique()), ("quotes", quotes[["doc_id", "quote"]].drop_duplicates().shape[0]),
             ("quote × target labels used", len(used)), ("abstained", int((quotes["label"] == "abstain").sum())),
             ("actors", used["actor"].nunique()), ("outlets", quotes["source"].nunique())]
    stats = "".join(f"<span><b>{escape(str(v))}</b> {escape(k)}</span>" for k, v in items)
    stats += f"<span>dates <b>{escape(span)}</b></span>"
    return f"<h2>Summary</h2><p class=\"stats\">{stats}</p>"


def _heatmap(prof: pd.DataFrame) -> str:
    if prof.empty:
        return "<h2>Stance heatmap</h2><p class=\"muted\">No actor took a usable stance.</p>"
    from stancekit.aggregate.plots import headless_axes, plot_heatmap

    n_actors, n_targets = prof["actor"].nunique(), prof["target"].nunique()
    ax = headless_axes((3.5 + 1.5 * n_targets, 2.2 + 0.45 * min(n_actors, 60)))
    top = prof[prof["actor"].isin(_top_actors(prof, 60))]
    plot_heatmap(top, ax=ax)
    note = "" if n_actors <= 60 else f"<p class=\"muted\">The 60 most quoted of {n_actors} actors.</p>"
    return f"<h2>Stance heatmap</h2>{note}{_img(ax, 'Heatmap of stance scores by actor and target')}"


def _timelines(quotes: pd.DataFrame, freq: str) -> str:
    used = usable(quotes)
    if used["date"].notna().sum() == 0:
        return ""
    from stancekit.aggregate.plots import headless_axes, plot_timeline

    parts = ["<h2>Stance over time</h2><p class=\"muted\">The five most quoted actors per target; bands are "
             "95 % intervals, rings mark shifts.</p>"]
    for target in sorted(used["target"].unique()):
        ax = plot_timeline(used, target=target, freq=freq, ax=headless_axes((9, 3.8)))
        parts.append(_img(ax, f"Timeline of stance toward {target}"))
    return "".join(parts)


def _profile_table(prof: pd.DataFrame) -> str:
    cols = ["actor", "organisation", "target", "label", "score", "ci_low", "ci_high", "n_quotes", "n_documents",
            "n_outlets", "first_date", "last_date"]
    return "<h2>Profiles</h2>" + _table(prof, cols, label_col="label")


def _shifts(quotes: pd.DataFrame, freq: str) -> str:
    table = stance_over_time(quotes, freq=freq)
    table = table[table["shift"] & (table["n_quotes"] >= NOISE_QUOTES)]
    if table.empty:
        return "<h2>Shifts</h2><p class=\"muted\">No stance shifts between periods.</p>"
    table = table.assign(change=table["score"] - table["prev_score"])
    table = table.sort_values("change", key=abs, ascending=False, kind="stable")
    return (f"<h2>Shifts</h2><p class=\"muted\">Largest changes since the actor's previous period, periods with at "
            f"least {NOISE_QUOTES} quotes.</p>"
            + _table(table, ["actor", "target", "period", "prev_score", "score", "change", "label", "n_quotes"],
                     label_col="label"))


def _outlets(quotes: pd.DataFrame) -> str:
    table = stance_by_outlet(quotes)
    if table.empty or table["source"].nunique() < 2:
        return ""
    table = table[table["deviates"] & (table["n_quotes"] >= NOISE_QUOTES)]
    if table.empty:
        return "<h2>By outlet</h2><p class=\"muted\">No outlet quotes an actor differently from the rest.</p>"
    table = table.sort_values("n_quotes", ascending=False, kind="stable")
    return ("<h2>By outlet</h2><p class=\"muted\">Where an outlet's quotes of an actor (at least "
            f"{NOISE_QUOTES}) differ from the actor's overall stance.</p>"
            + _table(table, ["actor", "target", "source", "label", "score", "overall_score", "n_quotes"],
                     label_col="label"))


def _evidence(prof: pd.DataFrame) -> str:
    rows = []
    for r in prof.sort_values("n_quotes", ascending=False, kind="stable").head(MAX_ROWS).itertuples(index=False):
        for ev in r.evidence:
            rows.append({"actor": r.actor, "target": r.target, "profile": r.label, "quote": ev["text"],
                         "document": ev["doc_id"], "span": f"{ev['start']}–{ev['end']}", "score": ev["score"]})
    if not rows:
        return ""
    return ("<h2>Evidence</h2><p class=\"muted\">Up to three strongest quotes per actor and target; score is "
            "the quote's own, profile the actor's overall label.</p>"
            + _table(pd.DataFrame(rows), ["actor", "target", "profile", "quote", "document", "span", "score"],
                     label_col="profile", quote_col="quote"))


def _table(frame: pd.DataFrame, cols: list[str], label_col: str | None = None, quote_col: str | None = None) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = []
    for row in frame.head(MAX_ROWS).to_dict(orient="records"):
        cells = []
        for c in cols:
            v = row.get(c)
            cls = f" class=\"{escape(str(v))}\"" if c == label_col and v in ("favor", "against", "none") else ""
            cls = " class=\"num\"" if isinstance(v, (int, float)) and not isinstance(v, bool) and not cls else cls
            text = escape(_fmt(v))
            cells.append(f"<td{cls}>{f'<blockquote>{text}</blockquote>' if c == quote_col else text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = (f"<p class=\"muted\">{len(frame) - MAX_ROWS} more rows not shown.</p>" if len(frame) > MAX_ROWS else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return ""
    if isinstance(v, float):
        return f"{v:+.2f}"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    return str(v)


def _top_actors(prof: pd.DataFrame, n: int) -> list[str]:
    return list(prof.groupby("actor")["n_quotes"].sum().sort_values(ascending=False, kind="stable").index[:n])


def _img(ax, alt: str) -> str:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=100)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"<p><img alt=\"{escape(alt)}\" src=\"data:image/png;base64,{data}\"></p>"
