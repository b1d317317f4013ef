"""The review comparison figure shows every row it plots."""

from __future__ import annotations

from pathlib import Path


def test_every_review_row_lies_inside_the_axes(tmp_path, monkeypatch):
    """A prediction far below the reported capacities (here 12 mAh/g against 110-180)
    is drawn inside the axes, not clipped off the bottom as when the lower limit followed
    the reported values alone."""
    from hemcell import figures
    from hemcell.materials import cathode

    saved = {}

    def keep(fig, path, *args, **kwargs):
        saved["fig"] = fig
        return Path(path)

    monkeypatch.setattr(figures, "save_figure", keep)
    rows = {"r01": {"reported_mAh_per_g": 110.0, "predicted_mAh_per_g": 12.0,
                    "status": "predicted"},
            "r02": {"reported_mAh_per_g": 180.0, "predicted_mAh_per_g": 175.0,
                    "status": "flagged"}}
    cathode.plot_review_comparison(tmp_path / "review.png", {"layered": {"rows": rows}},
                                   tolerance=0.2)
    ax = saved["fig"].axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for r in rows.values():
        assert x0 <= r["reported_mAh_per_g"] <= x1
        assert y0 <= r["predicted_mAh_per_g"] <= y1
