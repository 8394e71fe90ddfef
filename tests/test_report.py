"""The HTML report: self-contained, escaped, and rendered by a real browser where one is installed."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stancekit.aggregate import quotes_frame, write_report
from stancekit.doc import Document, Label, Quote

pytest.importorskip("matplotlib")

CHROMIUM = "/usr/bin/chromium"
EVIL = '<script>alert("x")</script> & "Ukraine\'s rightful place is in NATO"'


def docs():
    out = []
    for i in range(12):
        out.append(Document("x" * 200, id=f"doc<{i}>", date=f"2025-0{1 + i // 5}-{1 + 2 * i:02d}",
                            source=["BBC", "Guardian <b>"][i % 2], quotes=[
            Quote(0, 10, EVIL, "direct", speaker="John Healey",
                  stance={"nato_membership": Label("favor", {"favor": 0.9, "against": 0.05, "none": 0.05}),
                          "peace_talks": Label("abstain", {"favor": 0.4, "against": 0.3, "none": 0.3})}),
            Quote(20, 30, "We will never negotiate.", "direct", speaker="Vladimir <Putin>",
                  stance={"peace_talks": Label("against" if i < 6 or i % 2 else "favor")}),
        ]))
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    return write_report(docs(), path, title="Test <report>")


def test_report_escapes_all_text(report):
    html = report.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Vladimir &lt;Putin&gt;" in html and "Guardian &lt;b&gt;" in html and re.search(r"doc&lt;\d+&gt;", html)
    assert "<title>Test &lt;report&gt;</title>" in html


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](https?:|//|file:)""", html)
    assert "<link" not in html and html.count('src="data:image/png;base64,') >= 3  # heatmap + 2 timelines
    for section in ("Summary", "Stance heatmap", "Stance over time", "Profiles", "Shifts", "By outlet", "Evidence"):
        assert f"<h2>{section}</h2>" in html


def test_report_from_quotes_frame(tmp_path):
    path = write_report(quotes_frame(docs()), tmp_path / "r.html")
    assert "John Healey" in path.read_text(encoding="utf-8")


def test_report_of_nothing(tmp_path):
    html = write_report([], tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "No actor took a usable stance" in html


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    shot = tmp_path / "report.png"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
           report.resolve().as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.exists() and shot.stat().st_size > 20_000, "Chromium did not write a screenshot"
    if shutil.which("file"):
        assert "PNG image data, 1280 x 2000" in subprocess.run(["file", str(shot)], capture_output=True, text=True).stdout
