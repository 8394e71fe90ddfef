"""Plots: heatmap and timeline return Axes, `prof.plot.heatmap()` works, no display needed."""
import pytest

from stancekit.aggregate import plot_heatmap, plot_timeline, profile
from stancekit.doc import Document, Label, Quote

pytest.importorskip("matplotlib")


def docs():
    out = []
    for i in range(21):
        trump = "favor" if i < 10 else "against"
        out.append(Document("x", id=f"d{i}", date=f"2025-01-{i + 1:02d}", source="BBC", quotes=[
            Quote(0, 1, "a", "direct", speaker="Trump", stance={"talks": Label(trump), "nato": Label("against")}),
            Quote(2, 3, "b", "direct", speaker="Zelensky", stance={"talks": Label("favor")}),
        ]))
    return out


def test_heatmap_returns_axes_with_fixed_scale(tmp_path):
    ax = plot_heatmap(docs())
    image = ax.images[0]
    assert image.get_clim() == (-1, 1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trump", "Zelensky"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["nato", "talks"]
    ax.figure.savefig(tmp_path / "h.png")
    assert (tmp_path / "h.png").stat().st_size > 1000


def test_profile_frame_heatmap_accessor():
    prof = profile(docs())
    ax = prof.plot.heatmap(annotate=False)
    assert ax.images and not ax.texts
    ax = prof[prof["target"] == "talks"].plot.heatmap()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["talks"]


@pytest.mark.parametrize("actor,n_lines", [("Trump", 1), (["Trump", "Zelensky"], 2), (None, 2)])
def test_timeline_returns_axes(actor, n_lines):
    ax = plot_timeline(docs(), actor=actor, target="talks", freq="W")
    assert len(ax.get_lines()) == n_lines + 1  # plus the zero line
    assert ax.get_ylim() == (-1.05, 1.05)


def test_timeline_marks_shift():
    ax = plot_timeline(docs(), actor="Trump", target="talks", freq="W")
    rings = ax.collections[-1]  # shift markers are drawn last
    assert len(rings.get_offsets()) >= 1
