"""Regenerate the screenshots in docs/img/ with headless Chromium (needs the trained models).

    pip install nbconvert        # besides the dev extra
    python docs/tools/screenshots.py [--chromium /usr/bin/chromium]

1. quickstart_notebook.png: examples/01_quickstart.ipynb executed (nbclient) and exported to HTML
   (nbconvert), the top of the page.
2. document_display.png: `Document._repr_html_()` of the analysed seed article.
3. profile_table.png: `profile_html` of the invented collection of examples/02_collection.ipynb,
   with the first evidence list opened.

Each PNG is cropped and reduced to a 256-colour palette to stay under 300 KB. Nothing is written
outside docs/img/ and a temporary folder.
"""
from __future__ import annotations

import argparse
import subprocess
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "img"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]
MAX_BYTES = 300_000
PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        '<body style="margin:16px;background:#fff">{body}</body></html>')


def shoot(html: Path, png: Path, chromium: str, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={width},{height}", html.as_uri()],
                       check=True, capture_output=True, timeout=120)


def shrink(png: Path, crop_height: int | None = None) -> int:
    """Crop to `crop_height` px, quantise to 256 colours; returns the size in bytes."""
    from PIL import Image, ImageChops

    im = Image.open(png).convert("RGB")
    if crop_height:
        im = im.crop((0, 0, im.width, min(im.height, crop_height)))
    box = ImageChops.difference(im, Image.new("RGB", im.size, "white")).getbbox()
    if box:  # trim the blank margin below and right of the content
        im = im.crop((0, 0, min(im.width, box[2] + 16), min(im.height, box[3] + 16)))
    colours = 256
    while True:
        im.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(png, optimize=True)
        if png.stat().st_size < MAX_BYTES or colours <= 32:
            return png.stat().st_size
        colours //= 2


def notebook_html(path: Path) -> str:
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = ""  # nothing to fetch: the page must render offline
    body, _ = exporter.from_notebook_node(nb)
    return body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chromium", default="chromium")
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")
    import stancekit
    from stancekit.display import profile_html

    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = {}
        pages["quickstart_notebook"] = (notebook_html(ROOT / "examples" / "01_quickstart.ipynb"), 1100, 2400, 2400)
        text = (ROOT / "seeds" / "ukraine_nato_healey_2025-02-12.txt").read_text(encoding="utf-8")
        doc = stancekit.analyze(text, doc_id="healey-2025-02-12", date="2025-02-12", source="Shropshire Star")
        pages["document_display"] = (PAGE.format(title="Document display", body=doc._repr_html_()), 1100, 1000, 960)
        docs = stancekit.analyze_many(_collection())
        table = profile_html(stancekit.profile(docs)).replace("<details>", "<details open>", 1)
        pages["profile_table"] = (PAGE.format(title="Profile table", body=table), 1280, 900, None)
        for name, (html, width, height, crop) in pages.items():
            page = tmp / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            png = IMG / f"{name}.png"
            shoot(page, png, args.chromium, width, height)
            print(f"{png.relative_to(ROOT)}: {shrink(png, crop):,} bytes")
    return 0


def _collection() -> list[dict]:
    """The invented articles of examples/02_collection.ipynb (read from the notebook, not copied)."""
    import contextlib
    import io
    import json

    nb = json.loads((ROOT / "examples" / "02_collection.ipynb").read_text(encoding="utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"] if "ARTICLES = [" in "".join(c["source"]))
    scope: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(source, scope)  # the cell only builds `records` from a literal list
    return scope["records"]


if __name__ == "__main__":
    raise SystemExit(main())
