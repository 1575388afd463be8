"""Pure rules: shelf freshness (DOMAIN.md) and local time → UTC across daylight-saving changes."""

import datetime as dt

import pytest

from routines.freshness import expiry_dates, freshness
from routines.schedule import get_zone, in_quiet_hours, is_ambiguous, local_to_utc, next_occurrence


def test_fresh_until_the_earlier_of_pao_and_best_before():
    opened = dt.date(2026, 1, 1)
    assert expiry_dates(opened_on=opened, pao_months=12, best_before=None)[0] == dt.date(2027, 1, 1)
    assert expiry_dates(opened_on=opened, pao_months=12, best_before=dt.date(2026, 6, 1))[0] == dt.date(2026, 6, 1)
    assert expiry_dates(opened_on=None, pao_months=12, best_before=None) == (None, None)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (dt.date(2026, 11, 1), "fresh"),
        (dt.date(2026, 11, 24), "fresh"),  # 10% of 365 days is 36.5 → a 37-day window from 25 Nov
        (dt.date(2026, 11, 25), "use_soon"),
        (dt.date(2026, 12, 31), "use_soon"),
        (dt.date(2027, 1, 1), "expired"),
    ],
)
def test_use_soon_in_the_last_ten_percent_for_long_lives(today, status):
    assert freshness(opened_on=dt.date(2026, 1, 1), pao_months=12, best_before=None, today=today).status == status


def test_use_soon_in_the_last_30_days_for_short_lives():
    f = freshness(opened_on=dt.date(2026, 1, 1), pao_months=3, best_before=None, today=dt.date(2026, 3, 2))
    assert (f.expires_on, f.status, f.days_left) == (dt.date(2026, 4, 1), "use_soon", 30)
    f = freshness(opened_on=dt.date(2026, 1, 1), pao_months=3, best_before=None, today=dt.date(2026, 3, 1))
    assert f.status == "fresh"
    assert freshness(opened_on=None, pao_months=None, best_before=None, today=dt.date(2026, 1, 1)).status is None


PARIS, NEW_YORK = get_zone("Europe/Paris"), get_zone("America/New_York")


def test_spring_gap_fires_at_the_first_valid_instant():
    # Paris 29 Mar 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 does not exist.
    assert local_to_utc(dt.date(2026, 3, 29), dt.time(2, 30), PARIS) == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    # New York 8 Mar 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    assert local_to_utc(dt.date(2026, 3, 8), dt.time(2, 15), NEW_YORK) == dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)


def test_autumn_fold_fires_at_the_first_occurrence():
    assert is_ambiguous(dt.date(2026, 10, 25), dt.time(2, 30), PARIS)
    assert local_to_utc(dt.date(2026, 10, 25), dt.time(2, 30), PARIS) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert local_to_utc(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK) == dt.datetime(
        2026, 11, 1, 5, 30, tzinfo=dt.UTC
    )


def test_next_occurrence_walks_days_in_local_time():
    day, instant = next_occurrence(after=dt.datetime(2026, 3, 28, 21, 0, tzinfo=dt.UTC), at=dt.time(21, 30), tz=PARIS)
    assert (day, instant) == (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 19, 30, tzinfo=dt.UTC))  # now CEST


@pytest.mark.parametrize(
    ("local", "quiet", "expected"),
    [
        ("23:00", {"start": "22:00", "end": "07:00"}, True),
        ("06:59", {"start": "22:00", "end": "07:00"}, True),
        ("07:00", {"start": "22:00", "end": "07:00"}, False),
        ("13:00", {"start": "12:00", "end": "14:00"}, True),
        ("13:00", {}, False),
    ],
)
def test_quiet_hours_wrap_midnight(local, quiet, expected):
    h, m = map(int, local.split(":"))
    assert in_quiet_hours(dt.datetime(2026, 1, 1, h, m), quiet) is expected
