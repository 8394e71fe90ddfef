"""Rich HTML display (stancekit.display): escaping, well-nested markup for overlapping spans, badges."""
import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stancekit.display import document_html, highlight, profile_html, quote_html
from stancekit.doc import Document, Label, Quote, Span

FAVOR = Label("favor", {"favor": 0.91, "against": 0.02, "none": 0.07})
AGAINST = Label("against", {"favor": 0.05, "against": 0.8, "none": 0.15})
NONE = Label("none", {"favor": 0.0, "against": 0.0, "none": 1.0})
ABSTAIN = Label("abstain", {"favor": 0.41, "against": 0.3, "none": 0.29})
VOID = {"br", "img", "hr", "wbr"}


class Tree(HTMLParser):
    """Checks nesting and collects the article text (everything outside badge groups) and marks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.skip = [], [], 0
        self.marks = []  # (kind, start offset in the collected text)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in VOID:
            return
        attrs = dict(attrs)
        kind = attrs.get("data-sk")
        self.stack.append((tag, kind))
        if kind == "badges" or self.skip:
            self.skip += 1
        elif kind in ("quote", "speaker", "cue"):
            self.marks.append([kind, len("".join(self.text)), None])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack, f"stray </{tag}>"
        open_tag, kind = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    assert not t.stack, f"unclosed tags {t.stack}"
    return t


def body_text(doc: Document) -> str:
    return "".join(parse(highlight(doc)).text)


def covered(doc: Document, kind: str) -> set[int]:
    """Offsets inside marks of `kind` in the rendered text (fragments of one span are joined)."""
    tree = Tree()
    pos = []

    class Cover(Tree):
        def handle_data(self, data):
            if not self.skip:
                inside = any(k == kind for _, k in self.stack)
                start = len("".join(self.text))
                if inside:
                    pos.extend(range(start, start + len(data)))
                self.text.append(data)

    tree = Cover()
    tree.feed(highlight(doc))
    return set(pos)


def quote(start, end, text, kind="direct", speaker="Ann Lee", mention=None, cue=None, **stance):
    return Quote(start, end, text[start:end], kind, speaker,
                 Span(mention[0], mention[1], text[mention[0]:mention[1]]) if mention else None,
                 Span(cue[0], cue[1], text[cue[0]:cue[1]]) if cue else None, stance=stance)


def test_script_in_text_is_inert():
    text = "<script>alert('x')</script> “Talks <b>now</b> & <img src=x onerror=alert(1)>,” she said."
    s = text.index("Talks")
    e = text.index(",”")
    she = text.index("she")
    q = quote(s, e, text, mention=(she, she + 3), cue=(she + 4, she + 8), peace_talks=FAVOR)
    q.speaker = "<script>evil()</script>"
    q.stance["<i>t</i>"] = AGAINST
    doc = Document(text, id="<b>id</b>", source="<script>x</script>", quotes=[q])
    html = document_html(doc)
    for raw in ("<script", "<img", "<b>now", "<b>id", "<i>t"):
        assert raw not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html and "&lt;b&gt;id&lt;/b&gt;" in html
    assert set(parse(html).tags) <= {"div", "span", "b", "i"}  # only the display's own elements
    assert body_text(doc) == text  # every character shown once, escaped, in order
    assert "<script" not in quote_html(q)


def test_self_contained():
    text = "Intro. “We back talks,” Ann Lee said. See https://example.org/x.jpg"
    s, e = text.index("We"), text.index(",”")
    doc = Document(text, quotes=[quote(s, e, text, mention=(text.index("Ann"), text.index(" said")), peace_talks=FAVOR)])
    html = document_html(doc)
    for bad in ("<style", "<script", "<link", "src=", "href=", "url(", "<iframe"):
        assert bad not in html.lower()


def test_badges_colour_probability_and_hover():
    text = "“Yes to Nato, no to talks, maybe.” she said."
    q = quote(1, 33, text, nato_membership=FAVOR, peace_talks=AGAINST, other=NONE, fourth=ABSTAIN)
    q.sentiment = Label("positive", {"negative": 0.1, "neutral": 0.2, "positive": 0.7})
    q.sentiment_toward = {"Bob Roe": Label("negative", {"negative": 0.8, "neutral": 0.1, "positive": 0.1})}
    html = document_html(Document(text, quotes=[q]))
    assert "nato_membership: favor 0.91" in html and "#d7f0d6" in html  # green
    assert "peace_talks: against 0.80" in html and "#fadbd8" in html  # red
    assert "other: none 1.00" in html and "#eeeeee" in html  # grey
    assert "fourth: abstain (favor 0.41)" in html and "repeating-linear-gradient" in html  # hatched
    assert 'title="stance toward nato_membership: favor 0.91 · none 0.07 · against 0.02"' in html
    assert "tone: positive" in html and "toward Bob Roe: negative 0.80" in html
    q.sentiment = Label("abstain", {"negative": 0.3, "neutral": 0.4, "positive": 0.3})
    assert "tone: abstain" in quote_html(q) and quote_html(q).count("repeating-linear-gradient") == 2
    compact = document_html(Document(text, quotes=[q]), show_none=False)
    assert "other: none" not in compact and "peace_talks: against" in compact


def test_speaker_mention_and_cue_distinct_and_shared():
    text = "Ann Lee said peace matters and she said talks must go on."
    q1 = quote(13, 27, text, "indirect", mention=(0, 7), cue=(8, 12))
    q2 = quote(40, 56, text, "indirect", mention=(0, 7), cue=(35, 39))
    doc = Document(text, quotes=[q1, q2])
    html = highlight(doc)
    assert html.count('data-sk="speaker"') == 1  # one mention serving two quotes is marked once
    assert "speaker of quote 1 (Ann Lee); speaker of quote 2 (Ann Lee)" in html
    assert html.count('data-sk="cue"') == 2
    assert covered(doc, "speaker") == set(range(0, 7))
    assert covered(doc, "cue") == set(range(8, 12)) | set(range(35, 39))
    assert covered(doc, "quote") == set(range(13, 27)) | set(range(40, 56))


def test_mention_inside_other_quote_and_nested_quotes():
    text = "“Ask Bob Roe,” said Ann Lee, “he said ‘no talks’ and Bob Roe, who said so, agreed.”"
    outer_s, outer_e = text.index("he said"), text.index(" agreed") + len(" agreed.")
    inner_s, inner_e = text.index("no talks"), text.index("’ and")
    bob = text.index("Bob Roe")  # inside quote 1, and the speaker mention of the nested quote
    quotes = [
        quote(1, text.index(",”"), text, mention=(text.index("Ann"), text.index(", “he")), cue=(15, 19)),
        quote(outer_s, outer_e, text, mention=(text.index("Ann"), text.index(", “he"))),
        quote(inner_s, inner_e, text, speaker="Bob Roe", mention=(bob, bob + 7), peace_talks=AGAINST),
        # partially overlapping (crossing) spans must still nest
        quote(text.index("and Bob"), text.index(" agreed"), text, "indirect", mention=(bob, bob + 7)),
    ]
    doc = Document(text, quotes=quotes)
    assert body_text(doc) == text
    assert set(range(inner_s, inner_e)) <= covered(doc, "quote")
    assert set(range(bob, bob + 7)) <= covered(doc, "speaker")
    html = document_html(doc)
    parse(html)
    for i in range(1, 5):
        assert f"quote {i} " in html


def test_bad_offsets_do_not_raise():
    text = "short text"
    doc = Document(text, quotes=[Quote(5, 500, "x", "direct", None, Span(-3, 2, "sh"), Span(7, 7, "")),
                                 Quote(8, 3, "", "mixed")])
    assert body_text(doc) == text
    assert "unknown speaker" in document_html(doc)


def test_empty_and_unlabelled_documents():
    assert body_text(Document("")) == ""
    html = document_html(Document("“Hi,” he said.", id="d1", quotes=[quote(1, 3, "“Hi,” he said.")]))
    assert "no stance labels" in html and "d1" in html


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab<>&\"' \n“”", max_size=40),
       st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45), st.integers(0, 45), st.integers(0, 45)), max_size=6))
def test_any_spans_render_well_nested(text, spans):
    quotes = [Quote(a, b, text[a:b], "direct", "X", Span(c, d, text[c:d]), Span(d, c + 3, "")) for a, b, c, d in spans]
    doc = Document(text, quotes=quotes)
    assert body_text(doc) == text
    parse(document_html(doc))


def test_reprs():
    text = "“Yes,” she said."
    doc = Document(text, id="a", quotes=[quote(1, 4, text, peace_talks=FAVOR)])
    assert doc._repr_html_().startswith("<div") and "peace_talks: favor" in doc._repr_html_()
    assert "peace_talks: favor" in doc.quotes[0]._repr_html_()
    assert len(repr(doc)) < 200 and "<" not in repr(doc)


def test_profile_html():
    pd = pytest.importorskip("pandas")
    import stancekit

    text = "“Ukraine <script>x</script> belongs in Nato,” Ann Lee said. “Never,” Bob Roe said."
    docs = [Document(text, id=f"d{i}", date=f"2025-02-1{i}", source="Wire", quotes=[
        quote(1, text.index(",”"), text, nato_membership=FAVOR),
        quote(text.index("Never"), text.index(",” Bob"), text, speaker="Bob Roe", nato_membership=AGAINST)])
        for i in range(3)]
    prof = stancekit.profile(docs)
    html = profile_html(prof)
    tree = parse(html)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<details>" in html and "3 quotes" in html and "d0" in html
    assert "#2e7d32" in html and "#c62828" in html  # favor bar green, against bar red
    assert "ci_low" not in "".join(tree.text)  # folded into the score bar
    assert "organisation" not in html  # no gazetteer: an empty column is left out
    assert "2025-02-10" in html
    assert "showing 1 of 2 rows" in profile_html(prof, max_rows=1)
    assert "no rows" in profile_html(pd.DataFrame(columns=["actor", "score"]))
    as_csv = prof.assign(evidence=prof["evidence"].map(json.dumps))  # evidence as profiles.csv stores it
    assert profile_html(as_csv).count("<li") == html.count("<li")


def test_display_import_stays_light():
    code = ("import sys, stancekit.display, stancekit; "
            "print(sorted(m for m in ('pandas', 'torch', 'transformers', 'matplotlib', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_seed_article_renders(seed_text):
    import stancekit

    doc = stancekit.load(stance=False, sentiment=False)(seed_text, doc_id="seed")
    assert len(doc.quotes) > 10
    assert body_text(doc) == seed_text
    html = document_html(doc)
    parse(html)
    assert html.count('data-sk="badges"') == len(doc.quotes)
