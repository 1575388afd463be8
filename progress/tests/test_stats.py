"""Trend, streak, adherence and comparison arithmetic (pure functions, no database)."""

from datetime import date, datetime, timedelta

import pytest

from progress import stats


def test_least_squares_slope_matches_a_known_line():
    # Given points on y = 2x + 5 with symmetric noise that cancels out
    points = [(0, 5 + 1), (1, 7 - 1), (2, 9 + 1), (3, 11 - 1)]
    slope = stats.least_squares_slope(points)
    # numpy's polyfit is the reference
    import numpy as np

    ref = np.polyfit([p[0] for p in points], [p[1] for p in points], 1)[0]
    assert slope == pytest.approx(ref)
    assert slope == pytest.approx(1.6)  # (sum dx*dy)/(sum dx^2) = 8/5


def test_slope_is_none_without_two_distinct_x():
    assert stats.least_squares_slope([]) is None
    assert stats.least_squares_slope([(1, 3)]) is None
    assert stats.least_squares_slope([(1, 3), (1, 9)]) is None


def test_concern_trend_slope_is_per_week_and_verdicts():
    start = date(2026, 1, 1)
    # +1 point per day = +7 per week: improving
    up = stats.concern_trend("acne", [(start + timedelta(days=d), 50 + d) for d in range(0, 15, 2)])
    assert up.slope_per_week == pytest.approx(7.0)
    assert up.verdict == "improving"
    assert up.change == 14
    assert up.reason is None
    # -0.5 per day: worsening
    down = stats.concern_trend("redness", [(start + timedelta(days=d), 80 - d / 2) for d in range(0, 21, 3)])
    assert down.slope_per_week == pytest.approx(-3.5)
    assert down.verdict == "worsening"
    # flat with noise: stable
    flat = stats.concern_trend("pores", [(start + timedelta(days=d), 60 + (d % 2)) for d in range(0, 28, 4)])
    assert abs(flat.slope_per_week) < stats.STABLE_POINTS_PER_WEEK
    assert flat.verdict == "stable"


def test_concern_trend_uses_time_not_index():
    # Given uneven spacing: a jump over 1 day then flat for 20 days
    t0 = datetime(2026, 1, 1, 9)
    samples = [(t0, 50), (t0 + timedelta(days=1), 60), (t0 + timedelta(days=21), 60)]
    trend = stats.concern_trend("acne", samples)
    xs = [0, 1, 21]
    ys = [50, 60, 60]
    import numpy as np

    assert trend.slope_per_week == pytest.approx(np.polyfit(xs, ys, 1)[0] * 7, abs=0.01)


def test_concern_trend_needs_enough_points_and_span():
    t0 = date(2026, 1, 1)
    few = stats.concern_trend("acne", [(t0, 50), (t0 + timedelta(days=10), 70)])
    assert few.verdict is None and "at least 3" in few.reason
    short = stats.concern_trend("acne", [(t0, 50), (t0 + timedelta(days=1), 60), (t0 + timedelta(days=2), 70)])
    assert short.verdict is None and "7 days" in short.reason
    none = stats.concern_trend("acne", [])
    assert none.points == 0 and none.verdict is None and none.slope_per_week is None


def test_streaks_current_and_longest():
    today = date(2026, 3, 10)
    days = [date(2026, 3, d) for d in (1, 2, 3, 4, 5, 7, 8, 9, 10)]
    s = stats.streaks(days, today)
    assert s["longest"] == 5 and s["longest_start"] == date(2026, 3, 1)
    assert s["current"] == 4 and s["current_start"] == date(2026, 3, 7)


def test_current_streak_survives_until_today_ends_but_not_a_missed_day():
    days = [date(2026, 3, d) for d in (7, 8, 9)]
    # today (the 10th) not logged yet: the streak still counts from yesterday
    assert stats.streaks(days, date(2026, 3, 10))["current"] == 3
    # the 10th passed without an entry: broken
    assert stats.streaks(days, date(2026, 3, 11))["current"] == 0
    assert stats.streaks([], date(2026, 3, 11)) == {
        "current": 0,
        "longest": 0,
        "current_start": None,
        "longest_start": None,
    }


def test_streaks_ignore_duplicates_and_order():
    days = [date(2026, 3, 3), date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 2)]
    assert stats.streaks(days, date(2026, 3, 3))["current"] == 3


def test_runs_of_at_least():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(8)] + [
        date(2026, 2, 1) + timedelta(days=i) for i in range(6)
    ]
    assert stats.runs_of_at_least(days, 7) == [date(2026, 1, 1)]
    assert stats.runs_of_at_least(days, 5) == [date(2026, 1, 1), date(2026, 2, 1)]


def test_adherence_rate():
    assert stats.adherence_rate(3, 4) == 0.75
    assert stats.adherence_rate(5, 4) == 1.0
    assert stats.adherence_rate(0, 0) is None


def test_concern_deltas_and_overall():
    before = [{"key": "acne", "score": 40}, {"key": "redness", "score": 70}, {"key": "pores", "score": 55}]
    after = [{"key": "acne", "score": 58}, {"key": "redness", "score": 64}, {"key": "pores", "score": 56},
             {"key": "wrinkles", "score": 80}]  # fmt: skip
    deltas = {d["key"]: d for d in stats.concern_deltas(before, after)}
    assert deltas["acne"]["delta"] == 18 and deltas["acne"]["verdict"] == "improving"
    assert deltas["redness"]["delta"] == -6 and deltas["redness"]["verdict"] == "worsening"
    assert deltas["pores"]["delta"] == 1 and deltas["pores"]["verdict"] == "stable"
    assert deltas["wrinkles"]["delta"] is None and deltas["wrinkles"]["before"] is None
    overall = stats.overall_trend(list(deltas.values()), 60, 67)
    assert overall["delta"] == 7 and overall["verdict"] == "improving" and overall["basis"] == "overall_score"
    assert overall["improved"] == ["acne"] and overall["worsened"] == ["redness"]
    # without overall scores the mean of measured deltas is used: (18 - 6 + 1) / 3
    fallback = stats.overall_trend(list(deltas.values()), None, None)
    assert fallback["delta"] == pytest.approx(4.3) and fallback["basis"] == "mean_concern_delta"


def test_improvements_by_ten_point_levels():
    first = [{"key": "acne", "score": 40}, {"key": "redness", "score": 70}, {"key": "pores", "score": 50}]
    latest = [{"key": "acne", "score": 63}, {"key": "redness", "score": 79}, {"key": "pores", "score": 60}]
    assert stats.improvements(first, latest) == [("acne", 20, 23), ("pores", 10, 10)]


def test_no_slope_until_there_is_enough_to_fit():
    # Given two analyses a few seconds apart (seen: "-1041252.1 points/week" on the progress page)
    t0 = datetime(2026, 1, 1, 9, 0, 0)
    twins = stats.concern_trend("acne", [(t0, 80), (t0 + timedelta(seconds=4), 50)])
    # then there is no slope and no verdict, only the reason; the measured change stays
    assert twins.slope_per_week is None and twins.verdict is None and "at least 3" in twins.reason
    assert twins.change == -30
    # three within a day: still no fit
    burst = stats.concern_trend("acne", [(t0 + timedelta(hours=h), 50 + h) for h in range(3)])
    assert burst.slope_per_week is None and burst.verdict is None and "7 days" in burst.reason
    # spread over a week: a slope
    week = stats.concern_trend("acne", [(t0 + timedelta(days=d), 50 + d) for d in (0, 4, 8)])
    assert week.slope_per_week == pytest.approx(7.0) and week.verdict == "improving"
