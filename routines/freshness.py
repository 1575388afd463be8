"""Shelf freshness (DOMAIN.md): fresh until min(opened + PAO, best before); "use soon" in its last
10% or last 30 days, whichever starts first; then expired. Pure functions, no Django."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

USE_SOON_FRACTION = 0.10
USE_SOON_DAYS = 30


@dataclass(frozen=True)
class Freshness:
    expires_on: date | None
    use_soon_on: date | None
    status: str | None  # fresh | use_soon | expired | None when nothing is known
    days_left: int | None


def expiry_dates(
    *, opened_on: date | None, pao_months: int | None, best_before: date | None
) -> tuple[date | None, date | None]:
    """(expires_on, use_soon_on). Either is None when the dates needed are unknown."""
    candidates = []
    if opened_on and pao_months:
        candidates.append(opened_on + relativedelta(months=pao_months))
    if best_before:
        candidates.append(best_before)
    if not candidates:
        return None, None
    expires_on = min(candidates)
    window = USE_SOON_DAYS
    if opened_on and opened_on < expires_on:
        lifetime = (expires_on - opened_on).days
        window = max(USE_SOON_DAYS, math.ceil(lifetime * USE_SOON_FRACTION))
    return expires_on, expires_on - timedelta(days=window)


def freshness(*, opened_on: date | None, pao_months: int | None, best_before: date | None, today: date) -> Freshness:
    expires_on, use_soon_on = expiry_dates(opened_on=opened_on, pao_months=pao_months, best_before=best_before)
    if expires_on is None:
        return Freshness(None, None, None, None)
    days_left = (expires_on - today).days
    if today >= expires_on:
        status = "expired"
    elif use_soon_on is not None and today >= use_soon_on:
        status = "use_soon"
    else:
        status = "fresh"
    return Freshness(expires_on, use_soon_on, status, days_left)
