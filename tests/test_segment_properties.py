"""Property tests: on any text the segmenter never raises and every offset is valid."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancekit.segment import segment

MARKS = "“”‘’\"'«»„ \n.,:;—"
WORDS = ["said", "Mr", "Healey", "he", "told", "that", "the", "US", "“", "”", "'", '"', "\n", ":", ",", ".",
         "according to", "Kremlin", "She", "added", "Nato", "talks", "—", "‘", "’"]


def check(text):
    quotes, actors = segment(text)
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.kind in ("direct", "indirect", "mixed")
        for span in (q.speaker_mention, q.cue):
            if span is not None:
                assert text[span.start:span.end] == span.text
    for a in actors:
        for m in a.mentions:
            assert text[m.start:m.end] == m.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_unicode(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(alphabet=MARKS, max_size=3), max_size=60).map(" ".join))
def test_quote_heavy_text(text):
    check(text)


def test_empty_and_unbalanced():
    for text in ["", " ", "“", "”", "“““", "He said: “", "‘a’ ’b‘", '"""', "Mr said said said"]:
        check(text)


def test_one_megabyte_document():
    para = 'Mr Healey said: “We will do more for Ukraine, and we will do it now.” The US insisted talks would wait.\n'
    text = para * (1_000_000 // len(para) + 1)
    check(text[:1_000_000])
