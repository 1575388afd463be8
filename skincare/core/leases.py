"""Leases on claimed rows: the one rule behind "a dead worker's work is taken over, a live one's is left alone".

A worker that claims a row (an analysis, a reminder delivery) writes an attempt token and `heartbeat_at`, and renews
`heartbeat_at` while it works. A row whose heartbeat is older than the lease belongs to a worker that died; rows claimed
before leases existed have no heartbeat, and their claim time (`fallback`) stands in for it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone


def expired(lease: timedelta, *, fallback: str, now=None) -> Q:
    """Rows whose holder has shown no sign of life for `lease`."""
    cutoff = (now or timezone.now()) - lease
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, **{f"{fallback}__lt": cutoff})


def renew(held: QuerySet) -> bool:
    """Renew the lease on the rows `held` selects (the holder's own: filtered on its attempt); False if none."""
    return bool(held.update(heartbeat_at=timezone.now()))


def seconds_left(held: QuerySet, lease: timedelta, *, fallback: str) -> float | None:
    """Seconds until the lease of the row `held` selects runs out; None when no such row (nobody holds it)."""
    row = held.values("heartbeat_at", fallback).first()
    if row is None:
        return None
    last = row["heartbeat_at"] or row[fallback] or timezone.now()
    return max(0.0, (lease - (timezone.now() - last)).total_seconds())
