"""Rule-based quote extraction: direct quotes by their marks, reported speech by its cue.

Patterns covered: `Name said: “…”`, `“…,” Name said`, `“…,” said Name`, `“…” — Name`, `Name: “…”`,
split quotes, multi-paragraph quotes, floating quote paragraphs, `Name said (that) CLAUSE`,
`CLAUSE, Name said.`, `according to Name`, coordinated cues (", and insisted …"), quoted fragments
inside reported clauses (mixed speech). Scare quotes and short quoted titles are not speech.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from stancekit.segment.candidates import Candidate
from stancekit.segment.cues import (Cue, clause_after, clause_end, find_cues, is_possessive, subject_after,
                                   subject_before)
from stancekit.segment.marks import DOUBLE_OPEN, Quoted, nyt_marks, quoted_spans, single_quoted
from stancekit.segment.mentions import np_at_end, np_at_start
from stancekit.segment.text import is_markup_line, paragraphs, sentences

_TRAIL_NEXT = re.compile(r"\s*(?:[.!?]|$|,|\s*(?:as|when|after|while|before|in|on|at|during|adding|late|early|"
                         r"yesterday|today|(?:on\s+|last\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)")
# Words after "…, Name said," that end the sentence's content instead of continuing it.
_AFTER_ASIDE_STOP = frozenset("""adding saying as after while when before according in on at during noting although
though but and because since who which where with without than or so yet""".split())
_DATELINE = re.compile(r"[A-Z][A-Z .’'\-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?\s*(?:\([A-Za-z ]{1,20}\))?\s*[—–―-]+\s*")


@dataclass
class Layout:
    """Paragraphs, sentences and quoted spans of one text, with fast 'is this inside a quote' lookup."""

    text: str
    paras: list[tuple[int, int]] = field(default_factory=list)
    quoted: list[Quoted] = field(default_factory=list)

    def __post_init__(self) -> None:
        t = self.text
        self.paras = [p for p in paragraphs(t) if not is_markup_line(t[p[0]:p[1]])]
        self.quoted = quoted_spans(t, self.paras)
        singles = []
        for ps, pe in self.paras:
            if not any(c in t[ps:pe] for c in DOUBLE_OPEN):
                singles += single_quoted(t, ps, pe)
        self.quoted = sorted(self.quoted + singles, key=lambda q: q.start)
        self._starts = [q.start for q in self.quoted]
        self._para_starts = [p[0] for p in self.paras]

    def quote_at(self, pos: int) -> Quoted | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quoted[i].start <= pos < self.quoted[i].end:
            return self.quoted[i]
        return None

    def para_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._para_starts, pos) - 1
        if i >= 0 and self.paras[i][0] <= pos <= self.paras[i][1]:
            return self.paras[i]
        return (pos, pos)

    def quotes_between(self, a: int, b: int) -> list[Quoted]:
        """Quoted spans whose content starts in [a, b)."""
        return self.quoted[bisect.bisect_left(self._starts, a):bisect.bisect_left(self._starts, b)]


def _words(s: str) -> int:
    return len(s.split())


def _sentence_subject(text: str, ss: int, cue_start: int):
    """First noun phrase of the main clause (after a leading adverbial ending with a comma)."""
    seg = text[ss:cue_start]
    lead = re.match(r"[^,“”\"]{0,140},\s+", seg)
    # a lead adverbial ends before the main clause, not at the cue (", saying …")
    start = ss + lead.end() if lead and _words(seg[:lead.end()]) <= 22 and lead.end() < len(seg) else ss
    while start < cue_start and text[start].isspace():
        start += 1
    m = np_at_start(text, start, cue_start)
    if m and m.start == start:
        return m
    return _appositive_subject(text, ss, lead.end() if lead else 0, cue_start)


def _appositive_subject(text: str, ss: int, lead_len: int, cue_start: int):
    """`Donald Trump, her Republican opponent, bemoaned …`: the name before the appositive's comma."""
    if not lead_len:
        return None
    m = np_at_start(text, ss, cue_start)
    if m and m.start == ss and m.kind == "name" and re.fullmatch(r",\s+", text[m.end:ss + lead_len]):
        return m
    return None


def extract(text: str) -> tuple[Layout, list[Candidate]]:
    """All quote candidates of a text, in text order."""
    text = nyt_marks(text)  # same offsets; ''…'' read as double marks
    lay = Layout(text)
    blocked = lambda pos: lay.quote_at(pos) is not None  # noqa: E731
    out: list[Candidate] = []
    used_quotes: dict[int, Candidate] = {}  # quoted.start -> candidate that owns it
    absorbed: set[int] = set()
    for ps, pe in lay.paras:
        for ss, se in sentences(text, ps, pe):
            if lay.quote_at(ss) and lay.quote_at(ss).end >= se:
                continue  # a sentence entirely inside a quote
            prev_subject = None
            for cue in find_cues(text, ss, se, blocked):
                cand = _attach(text, lay, ss, se, cue, prev_subject, used_quotes, absorbed)
                subj, coord = (cand.speaker, cand.coordinated) if cand else _subject(text, lay, ss, cue)
                if subj is not None:
                    prev_subject = subj
                elif coord and prev_subject is None:
                    prev_subject = _sentence_subject(text, ss, cue.start)
                if cand is None:
                    continue
                if cand.speaker is None and cand.coordinated:
                    cand.speaker = prev_subject or _sentence_subject(text, ss, cue.start)
                out.append(cand)
    direct_starts = sorted(c.start for c in out if c.kind == "direct")
    for q in lay.quoted:
        if q.start in used_quotes or q.start in absorbed:
            continue
        cand = _unattributed(text, lay, q, direct_starts)
        if cand:
            out.append(cand)
            bisect.insort(direct_starts, cand.start)
    out.sort(key=lambda c: (c.start, c.end))
    return lay, _dedupe(out)


def _subject(text, lay, ss, cue):
    clause_start = _clause_start(text, lay, ss, cue.start)
    return subject_before(text, clause_start, cue.start)


def _clause_start(text: str, lay: Layout, ss: int, pos: int) -> int:
    """Start of the clause holding `pos`: after the last closing quote mark before it, if any."""
    start = ss
    for q in lay.quotes_between(ss - 1, pos):
        if ss <= q.close_mark < pos:
            start = q.close_mark + 1
    return start


def _attach(text, lay, ss, se, cue: Cue, prev_subject, used, absorbed) -> Candidate | None:
    """Decide what a cue introduces: the quote before it, the quote after it, or a reported clause."""
    before = text[ss:cue.start]
    after_end = min(se, cue.end + 120)
    subj, coord = subject_before(text, _clause_start(text, lay, ss, cue.start), cue.start)
    if subj is not None and is_possessive(subj) and re.match(r"\s*[:,]", text[cue.end:cue.end + 3]):
        return None  # a noun: "Editor’s note:", "Pagliano's Fifth Amendment claims, …"
    if subj is None and not coord and _participial(text, cue):
        coord = True  # "Clinton had mocked the complaint, saying …": the sentence subject speaks
    inverted = None
    if subj is None and not coord:
        inverted = subject_after(text, cue.end, se)
    speaker = subj or inverted
    anchor = cue.start
    # 1. “…,” he said  /  “…,” said Mr X  /  “…” — Name
    # the quote may start in an earlier "sentence" (“A. B,” said X) or end one (“A!” X said.)
    near = lay.quotes_between(ss - 1, cue.start)
    inside = lay.quote_at(ss) or lay.quote_at(max(0, ss - 3))
    if inside is not None and inside not in near:
        near = [inside] + near
    prev_q = next((q for q in reversed(near) if q.close_mark != -1 and ss - 3 <= q.close_mark < cue.start
                   and (q.close_mark >= ss - 1 or _TRAIL_NEXT.match(text, (inverted.end if inverted else cue.end), se))),
                  None)
    if prev_q and text[ss:prev_q.open_mark].strip() == "" and re.fullmatch(r"[\s,—–―-]*", text[prev_q.close_mark + 1:(speaker.start if speaker else cue.start)] if speaker and speaker.start < cue.start else text[prev_q.close_mark + 1:cue.start]):
        if prev_q.start not in used and (speaker or coord):
            c = Candidate(prev_q.start, prev_q.end, "direct", (cue.start, cue.end), speaker, coord, anchor=anchor)
            used[prev_q.start] = c
            return c
    # 2. Name said: “…”  /  Name warned “…”  /  Name told reporters on Monday: “…”
    nxt = re.match(r"[^“\"”.!?]{0,60}?[:,]?\s*[“\"]", text[cue.end:after_end])
    if nxt and (speaker or coord):
        q = lay.quote_at(cue.end + nxt.end())
        if q and q.start == cue.end + nxt.end() and q.start not in used and (":" in nxt.group() or "," in nxt.group() or _words(nxt.group()) <= 1):
            c = Candidate(q.start, q.end, "direct", (cue.start, cue.end), speaker, coord, anchor=anchor)
            used[q.start] = c
            return c
    if not (speaker or coord):
        return None
    # "Poland's foreign minister, Name, wrote …": the words before the name describe the speaker
    described = speaker is not None and not inverted and re.fullmatch(r"\s*,\s*", text[speaker.end:cue.start])
    # 3a. HEAD, Name said, TAIL.  (the attribution interrupts the reported clause)
    mid = re.match(r"\s*,\s*([a-z][\w’']*)", text[cue.end:se]) if speaker and not inverted and not described else None
    if (mid and mid.group(1) not in _AFTER_ASIDE_STOP and not mid.group(1).endswith("ing")
            and re.search(r",\s*$", text[ss:speaker.start])):
        dl = _DATELINE.match(text, ss, speaker.start)
        cs = dl.end() if dl else ss
        e = clause_end(text, cue.end + mid.start(1), se)
        if _words(text[cue.end:e]) >= 2 and not lay.quote_at(cs + 1):
            return _reported(text, lay, cs, e, cue, speaker, coord, absorbed)
    # 3. CLAUSE, Name said.  /  CLAUSE, according to Name.
    if (speaker and not described and (inverted or re.search(r",\s*$", text[ss:speaker.start]))
            and _TRAIL_NEXT.match(text, (inverted.end if inverted else cue.end), se)):
        comma = (cue.start if inverted else speaker.start)
        dl = _DATELINE.match(text, ss, comma)
        cs = dl.end() if dl else ss
        head = text[cs:comma].rstrip(" ,")
        # "…, said one GOP source in the room." needs the comma before the cue
        ok = not inverted or (not cue.weak and re.search(r",\s*$", text[ss:cue.start]))
        if not ok and cue.lemma != "according to":
            return None
        if ok and _words(head) >= 3 and not lay.quote_at(cs + 1):
            e = cs + len(head)
            return _reported(text, lay, cs, e, cue, speaker, coord, absorbed)
    if cue.lemma == "according to":
        m = re.match(r"\s*,\s*", text[speaker.end:se]) if speaker and speaker.start >= cue.end else None
        if m and before.strip() == "":
            s = speaker.end + m.end()
            return _reported(text, lay, s, clause_end(text, s, se), cue, speaker, coord, absorbed)
        return None
    # 4. Name said (that) CLAUSE
    span = clause_after(text, cue.end, se, cue.weak, cue.lemma)
    if span is None:
        return None
    return _reported(text, lay, span[0], span[1], cue, speaker, coord, absorbed)


def _participial(text: str, cue: Cue) -> bool:
    """A participle cue after a comma (", saying …", ", adding that …"); find_cues keeps no other -ing form."""
    return text[cue.start:cue.end].endswith("ing") and text[max(0, cue.start - 2):cue.start] == ", "


def _reported(text, lay, s, e, cue, speaker, coord, absorbed) -> Candidate:
    kind = "indirect"
    first = lay.quote_at(s)
    for q in ([first] if first else []) + lay.quotes_between(s, e + 1):
        if s <= q.start and q.end <= e + 1:
            kind = "mixed"
            absorbed.add(q.start)
        elif q.start <= s < q.end:  # the clause opens inside a quote: keep it whole
            absorbed.add(q.start)
    return Candidate(s, e, kind, (cue.start, cue.end), speaker, coord, anchor=cue.start)


def _unattributed(text, lay, q: Quoted, direct_starts: list[int]) -> Candidate | None:
    """A quote with no cue: `Name: “…”`, a floating quote paragraph, or not speech at all."""
    ps, pe = lay.para_of(q.open_mark if q.open_mark >= 0 else q.start)
    lead = text[ps:q.open_mark] if q.open_mark >= 0 else ""
    colon = re.search(r"([^.!?“”]{1,80}):\s*$", lead)
    if colon:
        m = np_at_end(text, ps + colon.start(1), ps + colon.end(1))
        if m:
            return Candidate(q.start, q.end, "direct", None, m, anchor=q.open_mark)
    tail = re.match(r"[,.]?\s*[—–―-]\s*([^.!?“”\n]{2,60}?)\s*[.]?$", text[q.close_mark + 1:pe]) if q.close_mark >= 0 else None
    if tail:
        ts, te = q.close_mark + 1 + tail.start(1), q.close_mark + 1 + tail.end(1)
        m = np_at_end(text, ts, te)
        if not (m and m.start == ts):  # "― Ana Navarro, a Republican strategist"
            m = np_at_start(text, ts, te)
            m = m if m and re.match(r"\s*(?:,|$)", text[m.end:te]) else None
        if m:
            return Candidate(q.start, q.end, "direct", None, m, anchor=q.open_mark)
    content = text[q.start:q.end]
    opens_para = lead.strip() == ""
    sentence_like = _words(content) >= 6 or bool(re.search(r"[.!?]\W*$", content))
    if not sentence_like or not q.double and not opens_para:
        return None  # scare quotes, titles, short fragments
    i = bisect.bisect_left(direct_starts, q.start)
    if opens_para or (i > 0 and direct_starts[i - 1] >= ps):
        return Candidate(q.start, q.end, "direct", None, None, floating=True, anchor=q.open_mark)
    if _words(content) >= 8:
        return Candidate(q.start, q.end, "direct", None, None, anchor=q.open_mark)
    return None


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Drop a candidate that lies inside another one (an inner quote of a reported clause)."""
    out: list[Candidate] = []
    max_end = -1
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if c.end <= max_end:
            continue
        max_end = c.end
        out.append(c)
    return out
