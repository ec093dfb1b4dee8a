"""Static inline SVG charts: no JavaScript, no fonts or scripts from the internet.

Every text that reaches the SVG is escaped; numbers are formatted by us. A chart is a few
hundred bytes to a few KB, built by string joins (about 0.1 ms each: see docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
LINE = "#3f51b5"
GRID = "#e0e0e0"
AXIS = "#616161"
BAR = "#5c6bc0"
ALERT = "#c62828"
FONT_SIZE = 14  # a 480-wide chart shown 350 px wide on a phone: still about 10 px


def _n(x: float) -> str:
    """Coordinates with one decimal: short and stable."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def trend_svg(
    points: Sequence[tuple[str, float | None]],
    *,
    y_label: str = "总分",
    x_label: str = "考核期",
    title: str = "",
    y_max: float | None = None,
    threshold: float | None = None,
    width: int = 480,
    height: int = 220,
) -> str:
    """A line over periods. `points` are (period label, total or None for no total);
    `threshold` draws a dashed red line where a rule watches the total (35 points)."""
    left, right, top, bottom = 52, 30, 20, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points if v is not None]
    hi = max([y_max or 100.0, *values]) if values else (y_max or 100.0)
    lo = min(0.0, *values) if values else 0.0
    span = (hi - lo) or 1.0
    n = len(points)
    step = plot_w / max(n - 1, 1)

    def x_at(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top + plot_h - (v - lo) / span * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title or y_label)}</title>",
    ]
    # Shared attributes sit on groups and the grid is one path: a person's page has a chart
    # per scheme, and a thousand pages of repeated attributes add up.
    grid, y_labels = [], []
    for k in range(5):  # horizontal grid every quarter of the range
        v = lo + span * k / 4
        y = _n(y_at(v))
        grid.append(f"M{left} {y}H{width - right}")
        y_labels.append(f'<text x="{left - 6}" y="{y}">{_n(v)}</text>')
    out.append(f'<path d="{"".join(grid)}" stroke="{GRID}"/>')
    out.append(
        f'<g fill="{AXIS}" text-anchor="end" dominant-baseline="middle">{"".join(y_labels)}</g>'
    )
    if threshold is not None and lo <= threshold <= hi:
        y = _n(y_at(threshold))
        out.append(
            f'<path d="M{left} {y}H{width - right}" stroke="{ALERT}" stroke-width="1.5" '
            f'stroke-dasharray="6 4"/><text x="{width - right}" y="{_n(y_at(threshold) - 4)}" '
            f'fill="{ALERT}" text-anchor="end">{_n(threshold)}</text>'
        )
    # at most ~6 period labels: the chart is read on a phone, at about 0.75 of its size
    label_every = max(1, -(-n // 6))
    out.append(f'<g fill="{AXIS}" text-anchor="middle">')
    for i, (label, _) in enumerate(points):
        if i % label_every == 0 or i == n - 1:
            out.append(f'<text x="{_n(x_at(i))}" y="{top + plot_h + 18}">{escape(label)}</text>')
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}">{escape(x_label)}</text>'
        f'<text x="12" y="{top + plot_h / 2:.0f}" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.0f})">{escape(y_label)}</text></g>'
    )
    # A missing total breaks the line rather than being drawn as zero.
    runs: list[list[str]] = [[]]
    for i, (_, v) in enumerate(points):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(f"{_n(x_at(i))},{_n(y_at(v))}")
    for run in runs:
        if len(run) > 1:
            out.append(
                f'<polyline fill="none" stroke="{LINE}" stroke-width="2" points="{" ".join(run)}"/>'
            )
    out.append(f'<g fill="{LINE}">')
    for i, (label, v) in enumerate(points):
        if v is not None:
            out.append(
                f'<circle cx="{_n(x_at(i))}" cy="{_n(y_at(v))}" r="3">'
                f"<title>{escape(label)}: {_n(v)}</title></circle>"
            )
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def bars_svg(
    bars: Sequence[tuple[str, int]],
    *,
    title: str = "",
    y_label: str = "人数",
    width: int = 480,
    height: int = 220,
) -> str:
    """A bar chart of counts, e.g. how many people got each grade."""
    left, right, top, bottom = 40, 12, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    hi = max([c for _, c in bars] + [1])
    n = max(len(bars), 1)
    slot = plot_w / n
    bar_w = min(slot * 0.6, 64)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title or y_label)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{AXIS}"/>',
        f'<text x="12" y="{top + plot_h / 2:.0f}" text-anchor="middle" fill="{AXIS}" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.0f})">{escape(y_label)}</text>',
    ]
    for i, (label, count) in enumerate(bars):
        h = count / hi * plot_h
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        cx = _n(x + bar_w / 2)
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w)}" height="{_n(h)}" fill="{BAR}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{cx}" y="{_n(y - 4)}" text-anchor="middle" fill="{AXIS}">{count}</text>'
            f'<text x="{cx}" y="{top + plot_h + 16}" text-anchor="middle" fill="{AXIS}">'
            f"{escape(label)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
