"""Charts rendered on the server as inline SVG: no JavaScript library, nothing fetched at run time."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from domain import vocabulary as vocab

VERDICT_COLOURS = {
    "improving": "var(--good)",
    "worsening": "var(--bad)",
    "stable": "var(--muted)",
    None: "var(--brand)",
}


def trend_svg(
    trend: dict,
    start: date,
    end: date,
    width: int = 320,
    height: int = 120,
    *,
    y_range: tuple[float, float] = (0.0, 100.0),
    label_suffix: str = "",
) -> SafeString:
    """A line of scores (0-100, higher is better; or any `y_range`) over the period, with the least-squares line
    dashed."""
    pad_l, pad_r, pad_t, pad_b = 28, 8, 8, 18
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b
    span = max((end - start).days, 1)
    lo, hi = y_range
    hi = hi if hi > lo else lo + 1

    def x_of(d: date) -> float:
        return pad_l + inner_w * min(max((d - start).days, 0), span) / span

    def y_of(score: float) -> float:
        return pad_t + inner_h * (1 - (max(lo, min(hi, score)) - lo) / (hi - lo))

    points = [(date.fromisoformat(p["date"]), p["score"]) for p in trend.get("series", [])]
    colour = VERDICT_COLOURS.get(trend.get("verdict"), "var(--brand)")
    name = gettext(vocab.concern_label(trend.get("key", "")))
    aria = (label_suffix or gettext("%(name)s score over time")) % {"name": name}
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(aria)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for level in (lo, (lo + hi) / 2, hi):
        y = y_of(level)
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" stroke="var(--line)" stroke-width="1"/>'
            f'<text x="{pad_l - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="9" fill="var(--muted)">'
            f"{level:g}</text>"
        )
    parts.append(
        f'<text x="{pad_l}" y="{height - 4}" font-size="9" fill="var(--muted)">{_day(start)}</text>'
        f'<text x="{width - pad_r}" y="{height - 4}" text-anchor="end" font-size="9" fill="var(--muted)">'
        f"{_day(end)}</text>"
    )
    if len(points) >= 2:
        path = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
    slope = trend.get("slope_per_week")
    if slope is not None and len(points) >= 2:
        # The fitted line through the mean point, drawn over the measured span.
        xs = [(d - points[0][0]).days for d, _ in points]
        mean_x = sum(xs) / len(xs)
        mean_y = sum(s for _, s in points) / len(points)
        per_day = slope / 7
        d0, d1 = points[0][0], points[-1][0]
        y0 = mean_y + per_day * (0 - mean_x)
        y1 = mean_y + per_day * ((d1 - d0).days - mean_x)
        parts.append(
            f'<line x1="{x_of(d0):.1f}" y1="{y_of(y0):.1f}" x2="{x_of(d1):.1f}" y2="{y_of(y1):.1f}" '
            f'stroke="{colour}" stroke-width="1" stroke-dasharray="4 3" opacity=".7"/>'
        )
    for d, s in points:
        parts.append(
            f'<circle cx="{x_of(d):.1f}" cy="{y_of(s):.1f}" r="3" fill="{colour}">'
            f"<title>{escape(date_format(d, 'd M Y'))}: {s:g}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped labels only


def calendar_svg(calendar: list[dict], cell: int = 13, gap: int = 3) -> SafeString:
    """An adherence calendar: one square per day (weeks as columns, Monday on top)."""
    if not calendar:
        return mark_safe("")
    first: date = calendar[0]["date"]
    origin = first - timedelta(days=first.weekday())
    weeks = (calendar[-1]["date"] - origin).days // 7 + 1
    width = 24 + weeks * (cell + gap)
    height = 7 * (cell + gap) + 4
    parts = [
        f'<svg class="adherence-calendar" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(gettext("Routine adherence calendar"))}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for row in (0, 2, 4, 6):  # Monday, Wednesday, Friday, Sunday (Django's own translated abbreviations)
        name = escape(WEEKDAYS_ABBR[row])
        parts.append(f'<text x="0" y="{row * (cell + gap) + cell - 2}" font-size="9" fill="var(--muted)">{name}</text>')
    for day in calendar:
        d: date = day["date"]
        offset = (d - origin).days
        col, row = offset // 7, offset % 7
        expected, done = day["expected"], day["done"]
        steps = ngettext("%(done)d/%(expected)d step", "%(done)d/%(expected)d steps", expected) % {
            "done": done,
            "expected": expected,
        }
        if expected == 0:
            fill, text = "var(--line)", gettext("nothing scheduled")
        elif done >= expected:
            fill, text = "var(--good)", steps
        elif done > 0:
            fill, text = "var(--warn)", steps
        else:
            fill, text = "var(--bad-bg)", steps
        parts.append(
            f'<rect x="{24 + col * (cell + gap)}" y="{row * (cell + gap)}" width="{cell}" height="{cell}" rx="2" '
            f'fill="{fill}"><title>{escape(date_format(d, "D d M"))}: {escape(text)}</title></rect>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed words only


def metric_svg(series: dict, start: date, end: date) -> SafeString:
    """A logged metric's points over the period, on an axis from 0 (or its lowest value) to its highest value."""
    values = [p["value"] for p in series["points"]]
    lo = min(0.0, min(values, default=0.0))
    hi = max(values, default=1.0)
    trend = {
        "key": series["metric"],
        "series": [{"date": p["date"].isoformat(), "score": p["value"]} for p in series["points"]],
    }
    return trend_svg(
        trend,
        start,
        end,
        y_range=(lo, hi if hi > lo else lo + 1),
        label_suffix=gettext("%(name)s over time (your own log)"),
    )


def _day(d: date) -> str:
    """ "3 Nov" in the page's language (Django's translated month abbreviations)."""
    return escape(date_format(d, "d M"))
