"""Local reminder times → UTC instants, across daylight-saving changes. Pure functions (zoneinfo).

- A local time that does not exist (the spring-forward gap) fires at the first valid instant after the
  gap, i.e. the moment of the transition.
- A local time that happens twice (the autumn fall-back) fires at its first occurrence (fold=0); the
  delivery key is the local date, so it can never fire twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def get_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_time(value, default: time | None = None) -> time | None:
    """'07:30' / '7:30' / '07:30:00' → time; anything unreadable → default."""
    if isinstance(value, time):
        return value
    try:
        parts = [int(p) for p in str(value).strip().split(":")]
        return time(parts[0], parts[1] if len(parts) > 1 else 0)
    except (ValueError, IndexError, TypeError):
        return default


def _local_naive(instant: datetime, tz: ZoneInfo) -> datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of the local wall time `at` on `day` in `tz` (gap → transition instant)."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _local_naive(first, tz) == naive:
        return first  # exists (for an ambiguous time, fold=0 is its first occurrence)
    # Nonexistent: the gap. Between the two candidate instants lies the transition; find the first
    # instant whose wall time is at or after `naive` (binary search to the second).
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(first, second), max(first, second)
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if _local_naive(mid, tz) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def is_ambiguous(day: date, at: time, tz: ZoneInfo) -> bool:
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def next_occurrence(*, after: datetime, at: time, tz: ZoneInfo) -> tuple[date, datetime]:
    """The first (local date, UTC instant) of the daily wall time `at` strictly after `after`."""
    start = after.astimezone(tz).date() - timedelta(days=1)
    for offset in range(4):
        day = start + timedelta(days=offset)
        instant = local_to_utc(day, at, tz)
        if instant > after:
            return day, instant
    raise AssertionError("unreachable: a daily time occurs within three days")  # pragma: no cover


def in_quiet_hours(local: datetime, quiet_hours: dict | None) -> bool:
    """{"start": "22:00", "end": "07:00"} (may wrap midnight); empty or unreadable → never quiet."""
    if not quiet_hours:
        return False
    start = parse_time(quiet_hours.get("start"))
    end = parse_time(quiet_hours.get("end"))
    if start is None or end is None or start == end:
        return False
    now = local.time().replace(tzinfo=None)
    if start < end:
        return start <= now < end
    return now >= start or now < end
