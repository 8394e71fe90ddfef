"""The documentation site builds with `mkdocs build --strict`, and its generated sections are filled."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ["document_display.png", "quickstart_notebook.png", "profile_table.png"]


def _need(*modules):
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: pip install -e '.[docs]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _need("mkdocs", "mkdocstrings", "mkdocstrings_handlers.python")
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}"
    return out


def test_build_strict(site):
    for page in ("index", "notebooks", "schema", "targets", "models", "benchmarks", "cli", "extending", "api"):
        path = site / "index.html" if page == "index" else site / page / "index.html"
        assert path.exists(), page
        assert "stancekit:" not in path.read_text(encoding="utf-8").split("<body", 1)[1], f"unfilled marker in {page}"


def test_generated_sections(site):
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("stancekit score --help", "stancekit profile --help", "stancekit report --help",
                    "stancekit train stance --help"):
        assert command in cli
    targets = (site / "targets" / "index.html").read_text(encoding="utf-8")
    assert "Ukraine should become a member of NATO." in targets and "peace_talks" in targets
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in ("analyze_many", "Document", "profile_html", "StanceClassifier", "stance_over_time"):
        assert name in api


def test_screenshots_small_and_linked(site):
    for name in IMAGES:
        path = ROOT / "docs" / "img" / name
        assert path.exists() and path.stat().st_size < 300_000, f"{name} missing or over 300 KB"
        assert (site / "img" / name).exists()


def test_include_rewrites_links(tmp_path):
    spec = importlib.util.spec_from_file_location("stancekit_docs", ROOT / "docs" / "hooks" / "stancekit_docs.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    md = tmp_path / "card.md"
    md.write_text("# Card\n\nSee [the recipe](../stancekit/train/stance.py), [below](#data) and [web](https://example.org).\n"
                  "![plot](plot.png)\n```\n# not a heading [x](y.md)\n```\n## Data\n", encoding="utf-8")
    out = hook.include(md, demote=2)
    assert out.startswith("### Card") and "#### Data" in out
    assert "the recipe (`../stancekit/train/stance.py`), below (`#data`)" in out and "[web](https://example.org)" in out
    assert "below (`#data`)" in out and "*[image: plot]*" in out and "# not a heading [x](y.md)" in out
