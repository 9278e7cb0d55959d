"""Geometry for the inline SVG charts: numbers only, labels passed through untouched.

The templates draw the SVG and escape every label (Jinja2 autoescape), so nothing fetched ever
reaches the markup unescaped; these functions only place bars and points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PALETTE = (
    "#1b7837",
    "#c51b7d",
    "#2166ac",
    "#e08214",
    "#762a83",
    "#4d9221",
    "#b2182b",
    "#35978f",
)
BAR_H = 18
LABEL_W = 190


def bar_chart(counts: Mapping[str, int], width: int = 560, limit: int = 12) -> dict[str, Any]:
    """Horizontal bars, largest first, at most `limit` (the rest summed as "other")."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) > limit:
        rest = sum(v for _, v in items[limit - 1 :])
        items = [*items[: limit - 1], ("other", rest)]
    top = max((v for _, v in items), default=0) or 1
    span = width - LABEL_W - 50
    bars = []
    for n, (label, value) in enumerate(items):
        bars.append(
            {
                "label": label,
                "value": value,
                "y": n * (BAR_H + 6) + 4,
                "w": max(1, round(span * value / top)),
                "color": PALETTE[n % len(PALETTE)],
            }
        )
    return {
        "width": width,
        "height": len(bars) * (BAR_H + 6) + 8,
        "label_w": LABEL_W,
        "bar_h": BAR_H,
        "bars": bars,
    }


def line_chart(
    series: Mapping[str, Sequence[Mapping[str, Any]]],
    run_ids: Sequence[int],
    width: int = 560,
    height: int = 220,
) -> dict[str, Any]:
    """Open share (0-100 %) per run, one line per institution; runs on the x axis."""
    left, right, top, bottom = 44, 16, 12, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    xs = {
        run: left + (inner_w * i / max(1, len(run_ids) - 1) if len(run_ids) > 1 else inner_w / 2)
        for i, run in enumerate(run_ids)
    }
    lines = []
    for n, (name, points) in enumerate(sorted(series.items())):
        pts = [
            (round(xs[p["run"]], 1), round(top + inner_h * (1 - p["share"]), 1), p)
            for p in points
            if p.get("share") is not None and p["run"] in xs
        ]
        if not pts:
            continue
        lines.append(
            {
                "label": name,
                "color": PALETTE[n % len(PALETTE)],
                "points": " ".join(f"{x},{y}" for x, y, _ in pts),
                "dots": [
                    {"x": x, "y": y, "share": round(100 * p["share"]), "run": p["run"]}
                    for x, y, p in pts
                ],
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "bottom": top + inner_h,
        "right": width - right,
        "ticks": [
            {"y": round(top + inner_h * (1 - f), 1), "label": f"{round(f * 100)}%"}
            for f in (0, 0.5, 1)
        ],
        "runs": [{"x": round(x, 1), "label": f"run {r}"} for r, x in xs.items()],
        "lines": lines,
        "legend_y": height + 4,
    }
