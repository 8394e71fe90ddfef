"""Find cue words and the reported clause each one introduces. Pure functions over offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from stancekit.segment.lexicon import (AUX_WORDS, CUE_FORMS, CUE_PARTICLES, NP_OBJECT_CUES, SECOND_CLAUSE_CUES,
                                       WEAK_CUES)
from stancekit.segment.mentions import Mention, np_at_end

_WORD = re.compile(r"[A-Za-z]+(?:[’'][a-z]+)?")
_CUE_ALT = "|".join(sorted(CUE_FORMS, key=len, reverse=True))
_SECOND_VERB = "|".join(sorted((f for f, lemma in CUE_FORMS.items()
                                if lemma in SECOND_CLAUSE_CUES and f != lemma and not f.endswith("ing")), key=len, reverse=True))
_TIME_ADV = re.compile(
    r"\s*(?:(?:on|last|this|late|early|earlier|later)\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"week|month|year|night|morning|evening|afternoon|weekend)(?:\s+(?:night|morning|evening|afternoon))?|yesterday|today|tonight|earlier|later|again|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:night|morning|evening|afternoon))?|"
    r"in a (?:statement|post|tweet|speech|video|interview|briefing|letter)(?: on [\w ]{1,30}?)?(?=,|\s+that|\s+[a-z])|"
    r"on (?:social media|Twitter|X|Telegram|Facebook|television|TV)|at a (?:press conference|news conference|briefing|summit|meeting)"
    r"(?: in [A-Z]\w+)?)(?![\w’'])(?!\s+\w+[’']s\b)\s*,?", re.I)
_OBJECT = re.compile(r"\s*(?:reporters|journalists|MPs|lawmakers|parliament|the BBC|the Guardian|Reuters|AFP|"
                     r"the Associated Press|him|her|them|us|me|"
                     # "told the summit that …", not "said the summit had failed": then it is the clause's subject
                     r"the (?:audience|crowd|meeting|summit|conference)(?=\s*(?:that\b|on\b|in\b|at\b|[,:“\"])))\b\s*,?")
_CLAUSE_END = re.compile(
    rf",\s+(?:after|as|while|despite|which|before|when|whereas|although|though|even as|adding|saying|according|"
    rf"but\s+(?:also\s+)?(?:{_CUE_ALT})\b|and\s+(?:also\s+|later\s+)?(?:{_CUE_ALT})\b)"
    # "said A and argued that B": a second speech verb of the same subject opens a second clause
    rf"|\s+(?:and|but)\s+(?:also\s+|later\s+)?(?:{_SECOND_VERB})\b"
    r"|\s+(?:in|during|on)\s+(?:a|an|his|her|their|the)\s+(?:[\w-]+\s+){0,2}?(?:call|conversation|post|statement|"
    r"interview|speech|meeting|video|press conference|briefing|visit|trip)\b"
    rf"|\s+(?:as|after|when|while)\s+(?:[\w’'.-]+\s+){{1,5}}?(?:{_CUE_ALT})\b"
    r"|;|\s[—–―]\s|\s-\s"
    rf"|,\s+(?:[\w’'.\-]+\s+){{1,5}}(?:{_CUE_ALT})\b(?=[\s.!?]*$)")  # "…, the source added."
# Words that never open a reported clause: subordinators and finite verbs ("said Friday as he …",
# "Everything Trump says is a lie").
_NOT_CLAUSE_START = frozenset("""as after while before because since until unless although though whereas
is are was were has have had will would can could should does did may might must""".split())
# The addressee of "told": "told The Huffington Post", "told the RT America audience".
_TOLD_OBJECT = re.compile(r"\s*(?:(?i:the)\s+)?(?:[“\"]?[A-Z][\w’'.\-]*[”\"]?\s*){1,5}(?:(?:audience|crowd|viewers|readers|"
                          r"newspaper|station|channel|network|magazine|program|show)\b)?\s*,?")
_PREPOSITIONS = frozenset("of about for to with on in at by from into over under during against after before as".split())
_NO_CLAUSE_START = _PREPOSITIONS | _NOT_CLAUSE_START
_ASIDE = re.compile(r",\s+([^,“”\"]{2,80}?)\s*,\s*$")  # "Sybiha, Ukraine's foreign minister, wrote"
# A prepositional adverbial between the cue and a clause opened by a subject pronoun.
_PP_ADV = re.compile(r"\s*,?\s*(?:after|before|during|at|in|on|following|since|over)\s+"
                     r"(?:the|a|an|his|her|their|its|this|last|next|(?!I\b)[A-Z0-9][\w’'.\-]*)"
                     r"(?:\s+[\w’'.\-]+){0,4}?\s*,?\s+(?=(?:he|she|they|we|I)\s+[a-z])")
_PASSIVE = frozenset("is was were are be been being".split())
_FINITE = re.compile(r"\b(?:would|will|could|should|can|cannot|must|might|may|had|has|have|was|were|is|are|did|does)\b")
_WH = re.compile(r"\b(?:how|what|why|where|when|whether|who)\b")


def has_own_clause(inner: str) -> bool:
    """A subject and a finite verb before a `that` make it a pronoun or a determiner inside the reported
    clause ("said the committee would vote against any text that …", "said Budapest would block any step
    in that direction"), not its opener; not so for "told me, is that …" or "told X how surprised he is that …"."""
    m = _FINITE.search(inner)
    return bool(m) and bool(inner[:m.start()].strip()) and not _WH.search(inner)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    lemma: str
    weak: bool


# "…, with the speaker insisting that …": an absolute clause whose subject speaks
_WITH_SUBJECT = re.compile(r"\bwith\s+(?:[\w’'.\-]+\s+){1,6}$")


def find_cues(text: str, start: int, end: int, blocked) -> list[Cue]:
    """Cue verbs in text[start:end] outside quoted spans (`blocked(pos)` tells), passives skipped."""
    out: list[Cue] = []
    words = list(_WORD.finditer(text, start, end))
    for i, m in enumerate(words):
        w = m.group()
        low = w.lower()
        if low == "according" and i + 1 < len(words) and words[i + 1].group() == "to":
            if not blocked(m.start()):
                out.append(Cue(m.start(), words[i + 1].end(), "according to", False))
            continue
        lemma = CUE_FORMS.get(low)
        if lemma is None or w[0].isupper() or blocked(m.start()):
            continue
        prev = words[i - 1].group().lower() if i else ""
        nxt = words[i + 1].group().lower() if i + 1 < len(words) else ""
        if prev in _PASSIVE and low in ("said", "told", "reported", "thought", "believed", "described",
                                           "asked", "accused", "cited"):
            continue
        if (low.endswith("ing") and not text[max(start, m.start() - 2):m.start()].startswith(", ")
                and not _WITH_SUBJECT.search(text, max(start, m.start() - 80), m.start())):
            continue
        end_ = m.end()
        if lemma in CUE_PARTICLES:
            if nxt in CUE_PARTICLES[lemma]:
                end_ = words[i + 1].end()
            elif not (lemma == "call" and _CALLED_X_Y.match(text, m.end(), end)):
                continue
        out.append(Cue(m.start(), end_, lemma, lemma in WEAK_CUES or lemma in CUE_PARTICLES))
    return out


def strip_aux(text: str, start: int, end: int) -> int:
    """Move `end` left over auxiliaries and adverbs ("has also", "is understood to have")."""
    while True:
        seg = text[start:end].rstrip()
        m = re.search(r"([A-Za-z’']+)$", seg)
        if not m or m.group(1).lower() not in AUX_WORDS:
            return start + len(seg)
        end = start + m.start(1)


_AFFIX = re.compile(r"(?:\s*\([^()]{1,40}\)|,\s*[DRI]-[A-Z][A-Za-z.]*,?)\s*$")  # "(R-Utah)", ", D-Mo.,"
_PP_TAIL = re.compile(r"\s+(?:of|from|at|with)\s+(?:the\s+|a\s+)?(?:[\w’'.\-]+\s+){0,4}$")


def strip_affix(text: str, start: int, end: int) -> int:
    """Move `end` left over a parenthetical or party tag after a name ("Chaffetz (R-Utah)")."""
    m = _AFFIX.search(text, start, end)
    return m.start() if m and m.start() > start else end


def _pp_head(text: str, start: int, found: Mention) -> Mention | None:
    """The name before a prepositional phrase: "Mr. Morgan of the Sierra Club" -> Mr. Morgan."""
    pp = _PP_TAIL.search(text, start, found.start)
    if pp is None or pp.start() <= start:
        return None
    head = np_at_end(text, start, pp.start())
    return head if head is not None and head.kind in ("name", "role") else None


def subject_before(text: str, clause_start: int, cue_start: int) -> tuple[Mention | None, bool]:
    """The subject right before a cue, and whether the cue is coordinated (", and warned")."""
    end = strip_affix(text, clause_start, strip_aux(text, clause_start, cue_start))
    seg = text[clause_start:end]
    if re.search(r"(?:^|[\s,])(?:and|but)\s*$", seg):
        return None, True
    found = np_at_end(text, clause_start, end)
    aside = _ASIDE.search(seg)
    if aside and (found is None or found.start > clause_start + aside.start()):
        inner = np_at_end(text, clause_start, clause_start + aside.start())
        # "A lawyer for the news outlets, David Schulz, said", "Poland's foreign minister, Radek
        # Nowak, wrote": the aside names the speaker that the phrase before it only describes
        a_s, a_e = clause_start + aside.start(1), clause_start + aside.end(1)
        named = np_at_end(text, a_s, a_e)
        if named is not None and named.start == a_s and named.kind == "name" and (inner is None or inner.kind != "name"):
            return named, False
        if inner is not None:
            return inner, False
    if found is not None:
        found = _pp_head(text, clause_start, found) or found
    return found, False


_AFTER_STOP = re.compile(r"(?=\s*(?:[,.;:!?”\"]|$|\s+(?:in|on|at|who|adding|as|when|of)\b))")


def subject_after(text: str, pos: int, end: int) -> Mention | None:
    """Inverted order: `said Mr Healey`, `said the spokesman`, `according to officials`.

    The phrase ends at the first stop (punctuation, "in", "on", "who" …) that leaves a speaker-like
    noun phrase: "said the Rev. Peter Wherry, of Mayfield Church" reads past the dot of "Rev.".
    """
    m = re.match(r"\s*,?\s*", text[pos:end])
    s = pos + m.end()
    lim = min(end, s + 90)
    first = re.match(r"(?:[A-Za-z’'.\-()]+\s*){1,7}", text[s:lim])
    if not first:
        return None
    lim = s + first.end()
    for stop in _AFTER_STOP.finditer(text, s + 1, end):
        e = stop.start()
        if e > lim:
            break
        if e <= s or not (text[e - 1].isalpha() or text[e - 1] in ".)’'"):
            continue
        e = strip_affix(text, s, e)
        while e > s and (text[e - 1].isspace() or text[e - 1] in ".,"):
            e -= 1
        found = np_at_end(text, s, e)
        if found and (found.start == s or text[s:found.start] in ("the ", "The ")):
            return found
    return None


_DETERMINERS = frozenset("a an the his her their its this these those our my".split())


def is_possessive(m: Mention) -> bool:
    """A possessor, not a subject: "Editor’s note", "Pagliano's Fifth Amendment claims"."""
    t = m.text
    return bool(re.search(r"[’']s$", t)) or (m.kind == "name" and bool(re.search(r"[’']s\s", t)))


def clause_after(text: str, pos: int, end: int, weak: bool, lemma: str = "") -> tuple[int, int] | None:
    """The reported clause a forward cue introduces, or None if what follows is no clause."""
    s = pos
    m = re.match(r"\s*,?", text[s:end]) and _TIME_ADV.match(text, s, end)
    if m:
        s = m.end()
    obj = object_content(text, s, end, lemma)
    if obj is not None:
        return obj
    m = _OBJECT.match(text, s, end)
    took_that = False
    if m is None and lemma == "tell":  # "told NBC’s “Meet the Press” that …" / "told CNN on Sunday"
        that = re.match(r"[^.;:]{0,100}?\bthat\s+", text[s:end])
        if that and len(that.group().split()) <= 12:
            s, took_that = s + that.end(), True
        else:
            m = _TOLD_OBJECT.match(text, s, end)
    if m:
        s = m.end()
        t = _TIME_ADV.match(text, s, end)
        s = t.end() if t else s
    that = None if took_that else re.match(r"[^,“”\"]{0,90}?\bthat\s+", text[s:end])
    if that and len(text[s:s + that.end()].split()) <= 10:
        inner = text[s:s + that.start() + that.group().rfind("that")]
        second_verb = re.search(rf"\b(?:and|but)\s+(?:also\s+|later\s+)?(?:{_CUE_ALT})\s*$", inner)  # "said A and argued that"
        if (not opens_with_subject(inner) and not second_verb and not has_own_clause(inner)
                and (not re.search(rf"\b(?:{_CUE_ALT})\b", inner) or len(inner.split()) <= 6)):
            s, took_that = s + that.end(), True
    if not took_that:
        adv = _PP_ADV.match(text, s, end)  # "said after the convention he would …"
        s = adv.end() if adv else s
    while s < end and text[s] in " :,":
        s += 1
    if weak and not took_that:
        return None
    first = re.match(r"[A-Za-z’']+", text[s:end])
    if not first or (not took_that and first.group().lower() in _NO_CLAUSE_START):
        return None
    if not took_that and lemma in NP_OBJECT_CUES and first.group().lower() in _DETERMINERS:
        return None
    e = clause_end(text, s, end)
    if len(text[s:e].split()) < 3:
        return None
    return s, e


# "called the decision a “huge win …”": an object, then a quoted label within a few words.
_CALLED_X_Y = re.compile(r"\s+(?!(?:for|on|to|in|at|by|up|off|out|back|into|upon|it)\b)"
                         r"(?:[\w’'.\-]+,?\s+){1,8}?(?:(?:a|an|the)\s+)?[“\"‘]")
# Cues whose content is their object rather than a clause: "cited problems in the Middle East",
# "accused the GOP of stoking …", "asked (reporters) whether …".
_OBJECT_CONTENT = {
    "cite": re.compile(r"\s*(?!(?:for|by|in|as|on|at|to|from|with|that)\b)(?=[\w“\"$])"),
    "accuse": re.compile(r"\s*(?=(?:[\w’'.\-]+\s+){1,6}?of\s+[“\"‘]?(?!(?:no|some|any|every)thing\b)[a-z]+ing\b)"),
    "call": re.compile(rf"(?={_CALLED_X_Y.pattern})\s*"),
    "ask": re.compile(r"\s*(?:(?:reporters|him|her|them|voters|the (?:crowd|audience))\s+)?"
                      r"(?=(?:whether|if|why|how|what|who|where)\s)"),
}


def object_content(text: str, s: int, end: int, lemma: str) -> tuple[int, int] | None:
    """The object a cue of `_OBJECT_CONTENT` reports, up to the end of its clause."""
    pat = _OBJECT_CONTENT.get(lemma)
    m = pat.match(text, s, end) if pat else None
    if m is None:
        return None
    e = clause_end(text, m.end(), end)
    return (m.end(), e) if len(text[m.end():e].split()) >= 2 else None


_SUBJECT_PRONOUN = re.compile(r"(?:he|she|they|we|I)\s+[a-z]")


def opens_with_subject(inner: str) -> bool:
    """The words before a `that` are a clause of their own: "said he thought that …" keeps "he thought"."""
    return bool(_SUBJECT_PRONOUN.match(inner.strip()))


def clause_end(text: str, s: int, end: int) -> int:
    m = _CLAUSE_END.search(text, s, end)
    e = m.start() if m else end
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:!?"):
        e -= 1
    return e
