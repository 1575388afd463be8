"""Progress arithmetic: trends, streaks, adherence and comparison deltas.

Pure Python (no Django, no database): every function takes plain values and is unit-tested on its own.
Scores are 0-100 where 100 is best (API.md), so a positive slope means the skin is getting better.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

# A trend needs this many measurements, spread over at least this many days, before it gets a verdict.
MIN_POINTS = 3
MIN_SPAN_DAYS = 7
# |slope| below this many points per week is "stable": day-to-day lighting moves scores by a few points.
STABLE_POINTS_PER_WEEK = 1.0
# A before/after delta smaller than this is within the measurement noise and reads "stable".
STABLE_DELTA = 3

IMPROVING, STABLE, WORSENING = "improving", "stable", "worsening"


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Ordinary least-squares slope dy/dx of (x, y) points; None with fewer than 2 distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx


def _as_datetime(when: date | datetime) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day)  # noqa: DTZ001 - only differences are used


@dataclass
class Trend:
    key: str
    points: int
    first: float | None
    latest: float | None
    change: float | None
    slope_per_week: float | None
    verdict: str | None
    reason: str | None  # English; the pages render reason_msgid % reason_params in the reader's language
    series: list[dict]
    reason_msgid: str | None = None
    reason_params: dict = field(default_factory=dict)

    def as_dict(self, translate: Callable[[str], str] | None = None) -> dict:
        """The trend as a dict; with `translate` (gettext), its reason in the current language and without the
        message id."""
        out = asdict(self)
        msgid, params = out.pop("reason_msgid"), out.pop("reason_params")
        if translate is not None and msgid:
            try:
                out["reason"] = translate(msgid) % params
            except (KeyError, TypeError, ValueError):  # a translation that does not fit: the English
                out["reason"] = self.reason
        return out


# Why a trend has no verdict (English message ids: progress/messages.py marks the same templates for translation).
NO_MEASUREMENT = "No measurement yet."
TOO_FEW_POINTS = "Needs at least %(needed)d analyses for a trend (%(count)d so far)."
TOO_SHORT_SPAN = "Needs analyses spread over at least %(days)d days for a trend."


def _no_verdict(key, points, first, latest, change, msgid: str, params: dict, series) -> Trend:
    return Trend(key, points, first, latest, change, None, None, msgid % params, series, msgid, params)


def verdict_for_slope(slope_per_week: float, threshold: float = STABLE_POINTS_PER_WEEK) -> str:
    if slope_per_week >= threshold:
        return IMPROVING
    if slope_per_week <= -threshold:
        return WORSENING
    return STABLE


def concern_trend(key: str, samples: Iterable[tuple[date | datetime, float]]) -> Trend:
    """Trend of one concern from (when, score) samples: slope in points per week and a plain verdict.

    No verdict and no slope (null with a reason) with fewer than MIN_POINTS samples or a span under
    MIN_SPAN_DAYS: two selfies a day apart mostly measure the lighting, and two taken seconds apart once
    gave "-1041252.1 points/week". ``when`` is the sample's own date (a diary entry's date, not the
    upload time).
    """
    ordered = sorted(((_as_datetime(w), float(s)) for w, s in samples if s is not None), key=lambda p: p[0])
    series = [{"date": w.date().isoformat(), "score": round(s, 1)} for w, s in ordered]
    if not ordered:
        return _no_verdict(key, 0, None, None, None, NO_MEASUREMENT, {}, series)
    first, latest = ordered[0][1], ordered[-1][1]
    change = round(latest - first, 1)
    t0 = ordered[0][0]
    xs = [((w - t0).total_seconds() / 86400.0, s) for w, s in ordered]
    span = xs[-1][0]
    slope_day = least_squares_slope(xs)
    slope_week = round(slope_day * 7, 2) if slope_day is not None else None
    if len(ordered) < MIN_POINTS:
        params = {"needed": MIN_POINTS, "count": len(ordered)}
        return _no_verdict(key, len(ordered), first, latest, change, TOO_FEW_POINTS, params, series)
    if span < MIN_SPAN_DAYS or slope_week is None:
        params = {"days": MIN_SPAN_DAYS}
        return _no_verdict(key, len(ordered), first, latest, change, TOO_SHORT_SPAN, params, series)
    return Trend(key, len(ordered), first, latest, change, slope_week, verdict_for_slope(slope_week), None, series)


def streaks(days: Iterable[date], today: date) -> dict:
    """Current and longest runs of consecutive days.

    The current streak counts back from today, or from yesterday when today has no entry yet (the day
    is not over). Returns {"current", "longest", "current_start", "longest_start"}.
    """
    unique = sorted(set(days))
    longest = 0
    longest_start: date | None = None
    run = 0
    run_start: date | None = None
    previous: date | None = None
    for day in unique:
        if previous is not None and day - previous == timedelta(days=1):
            run += 1
        else:
            run = 1
            run_start = day
        if run > longest:
            longest, longest_start = run, run_start
        previous = day
    present = set(unique)
    anchor = today if today in present else today - timedelta(days=1)
    current = 0
    while anchor - timedelta(days=current) in present:
        current += 1
    current_start = anchor - timedelta(days=current - 1) if current else None
    return {"current": current, "longest": longest, "current_start": current_start, "longest_start": longest_start}


def runs_of_at_least(days: Iterable[date], length: int) -> list[date]:
    """Start dates of every run of consecutive days at least `length` long."""
    unique = sorted(set(days))
    starts: list[date] = []
    run = 0
    run_start: date | None = None
    previous: date | None = None
    for day in unique:
        if previous is not None and day - previous == timedelta(days=1):
            run += 1
        else:
            run, run_start = 1, day
        if run == length and run_start is not None:
            starts.append(run_start)
        previous = day
    return starts


def adherence_rate(done: int, expected: int) -> float | None:
    """Share of expected routine steps that were completed, 0..1; None when nothing was expected."""
    if expected <= 0:
        return None
    return round(min(done, expected) / expected, 3)


def delta_verdict(delta: float | None, threshold: float = STABLE_DELTA) -> str | None:
    if delta is None:
        return None
    if delta >= threshold:
        return IMPROVING
    if delta <= -threshold:
        return WORSENING
    return STABLE


def concern_deltas(before: Sequence[dict], after: Sequence[dict]) -> list[dict]:
    """Per-concern change between two analyses' concern lists ({key, score, ...}).

    Every key present in either analysis appears; a score missing on one side gives a null delta.
    """
    b = {c["key"]: c.get("score") for c in before if c.get("key")}
    a = {c["key"]: c.get("score") for c in after if c.get("key")}
    keys = list(dict.fromkeys([*b, *a]))
    out = []
    for key in keys:
        sb, sa = b.get(key), a.get(key)
        delta = round(sa - sb, 1) if sb is not None and sa is not None else None
        out.append({"key": key, "before": sb, "after": sa, "delta": delta, "verdict": delta_verdict(delta)})
    return out


def overall_trend(deltas: Sequence[dict], before_overall: float | None, after_overall: float | None) -> dict:
    """The comparison's headline: the overall score change, or the mean of concern deltas without one."""
    measured = [d["delta"] for d in deltas if d["delta"] is not None]
    if before_overall is not None and after_overall is not None:
        delta = round(after_overall - before_overall, 1)
        basis = "overall_score"
    elif measured:
        delta = round(sum(measured) / len(measured), 1)
        basis = "mean_concern_delta"
    else:
        return {"before": before_overall, "after": after_overall, "delta": None, "verdict": None, "basis": None}
    return {
        "before": before_overall,
        "after": after_overall,
        "delta": delta,
        "verdict": delta_verdict(delta),
        "basis": basis,
        "improved": sorted(d["key"] for d in deltas if d["verdict"] == IMPROVING),
        "worsened": sorted(d["key"] for d in deltas if d["verdict"] == WORSENING),
    }


def improvements(first: Sequence[dict], latest: Sequence[dict], step: int = 10) -> list[tuple[str, int, float]]:
    """Concerns whose score rose by at least `step` points from the first to the latest analysis.

    Returns (key, level, delta) where level is the largest multiple of `step` reached (10, 20, ...).
    """
    out = []
    for d in concern_deltas(first, latest):
        if d["delta"] is not None and d["delta"] >= step:
            out.append((d["key"], int(d["delta"] // step) * step, d["delta"]))
    return out
