"""Server-rendered inline SVG charts for the staff pages: no JavaScript, no CDN, readable without colour."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#417690", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50", "#16a085", "#7f8c8d", "#b7950b")
WIDTH, HEIGHT = 760, 200
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 52, 12, 30, 34


def _fmt(value: float) -> str:
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _scale(max_value: float) -> float:
    """The smallest 1/2/5 x 10^n at or above max_value: the top of the y axis."""
    if max_value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(max_value))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= max_value))


def _frame(title: str, top: float, y_label: str = "") -> list[str]:
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="staff-chart" style="max-width:{WIDTH}px">',
        f"<title>{escape(title)}</title>",
        f'<text x="{PAD_LEFT}" y="14" font-size="13" font-weight="bold" fill="#333">{escape(title)}</text>',
    ]
    for i in range(5):
        value = top * i / 4
        y = PAD_TOP + inner_h - inner_h * i / 4
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#555">'
            f"{escape(_fmt(value))}</text>"
        )
    if y_label:
        parts.append(f'<text x="4" y="{PAD_TOP - 6}" font-size="10" fill="#555">{escape(y_label)}</text>')
    return parts


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    parts = []
    every = max(1, len(labels) // 10)
    for i, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" font-size="10" text-anchor="middle" '
                f'fill="#555">{escape(label)}</text>'
            )
    return parts


def bar_chart(labels: Sequence[str], values: Sequence[float | None], *, title: str, y_label: str = "") -> SafeString:
    """One bar per label; a missing value (None) draws no bar."""
    numbers = [v for v in values if v is not None]
    top = _scale(max(numbers, default=0))
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = inner_w / max(len(labels), 1)
    parts = _frame(title, top, y_label)
    xs = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = PAD_LEFT + slot * i
        xs.append(x + slot / 2)
        if value is None:
            continue
        h = inner_h * float(value) / top
        parts.append(
            f'<rect x="{x + slot * 0.12:.1f}" y="{PAD_TOP + inner_h - h:.1f}" width="{slot * 0.76:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(label)}: {escape(_fmt(float(value)))}</title></rect>'
        )
    parts += _x_labels(labels, xs)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def line_chart(
    labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str, y_label: str = ""
) -> SafeString:
    """One polyline per series (gaps where a value is None), with a legend. Values are >= 0."""
    numbers = [v for values in series.values() for v in values if v is not None]
    top = _scale(max(numbers, default=0))
    low, span = 0.0, top
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(labels) - 1, 1)
    xs = [PAD_LEFT + step * i for i in range(len(labels))]
    parts = _frame(title, top, y_label)
    for n, (name, values) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for x, value in zip(xs, values, strict=True):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            y = PAD_TOP + inner_h - inner_h * (float(value) - low) / span
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}">'
                f"<title>{escape(name)}: {escape(_fmt(float(value)))}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="1.5"/>')
        parts.append(
            f'<rect x="{PAD_LEFT + 110 * n}" y="{HEIGHT - 12}" width="10" height="10" fill="{color}"/>'
            f'<text x="{PAD_LEFT + 110 * n + 14}" y="{HEIGHT - 3}" font-size="10" fill="#333">{escape(name)}</text>'
        )
    parts += [
        p.replace(f'y="{HEIGHT - PAD_BOTTOM + 14}"', f'y="{HEIGHT - PAD_BOTTOM + 12}"') for p in _x_labels(labels, xs)
    ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def histogram_chart(histogram, *, title: str) -> SafeString:
    labels = [f"{_fmt(row['from'])}–{_fmt(row['to'])}" for row in histogram.rows()]
    return bar_chart(labels, histogram.counts, title=title, y_label="count")
