"""Master keys (from the environment) and the per-person data keys they wrap.

    MEDIA_MASTER_KEY              the current master key: wraps every new data key, and re-wrapped ones
    MEDIA_MASTER_KEYS_PREVIOUS    older master keys, comma-separated: still unwrap until `rewrap_media_keys` ran

Rotation: put the new key in MEDIA_MASTER_KEY and the old one in MEDIA_MASTER_KEYS_PREVIOUS, restart, run
`manage.py rewrap_media_keys` (re-wraps each data key under the new master key: a few bytes per person, no file
is rewritten), then drop the old key from MEDIA_MASTER_KEYS_PREVIOUS. A data key wrapped by a master key that is
no longer configured cannot be opened: its files read as missing, never as garbage.
"""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import crypto
from .models import DataKey


class KeyUnavailable(Exception):
    """The key a file needs is gone (shredded) or cannot be unwrapped with the configured master keys."""


@functools.lru_cache(maxsize=8)
def _parsed(current: str, previous: tuple[str, ...]) -> tuple[tuple[str, bytes], dict[str, bytes]]:
    key = crypto.parse_master_key(current)
    ring = {crypto.key_id(key): key}
    for text in previous:
        if text.strip():
            old = crypto.parse_master_key(text)
            ring.setdefault(crypto.key_id(old), old)
    return (crypto.key_id(key), key), ring


def _keys() -> tuple[tuple[str, bytes], dict[str, bytes]]:
    return _parsed(settings.MEDIA_MASTER_KEY, tuple(getattr(settings, "MEDIA_MASTER_KEYS_PREVIOUS", ()) or ()))


def current_master_key_id() -> str:
    return _keys()[0][0]


def data_key_for(*, user_id) -> DataKey:
    """The person's data key, made (and wrapped by the current master key) the first time they store a file."""
    user_id = uuid.UUID(str(user_id))
    existing = DataKey.objects.filter(user_id=user_id).first()
    if existing is not None:
        return existing
    (mid, master), _ = _keys()
    key_id = uuid.uuid4()
    row = DataKey(
        id=key_id,
        user_id=user_id,
        wrapped=crypto.wrap(master, crypto.new_key(), context=crypto.data_key_context(key_id, user_id)),
        master_key_id=mid,
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:  # a concurrent first upload made it
        return DataKey.objects.get(user_id=user_id)
    return row


def open_data_key(row: DataKey) -> bytes:
    """The plaintext data key (kept in memory only as long as the caller holds it)."""
    _, ring = _keys()
    master = ring.get(row.master_key_id)
    if master is None:
        raise KeyUnavailable(
            f"Data key {row.pk} is wrapped by master key {row.master_key_id}, which is not configured: "
            "add it to MEDIA_MASTER_KEYS_PREVIOUS."
        )
    try:
        return crypto.unwrap(master, row.wrapped, context=crypto.data_key_context(row.pk, row.user_id))
    except crypto.DecryptionError as exc:
        raise KeyUnavailable(f"Data key {row.pk} does not unwrap.") from exc


def rewrap_data_keys(*, batch_size: int = 500, limit: int | None = None) -> dict[str, int]:
    """Re-wrap every data key not under the current master key (bounded batches, idempotent, resumable).

    Returns {"rewrapped", "remaining", "unavailable"}: unavailable keys are wrapped by a master key that is not
    configured; they are left as they are (and counted), never destroyed.
    """
    (mid, master), _ = _keys()
    done = unavailable = 0
    skip: set = set()
    while limit is None or done < limit:
        rows = list(DataKey.objects.exclude(master_key_id=mid).exclude(pk__in=skip).order_by("pk")[:batch_size])
        if not rows:
            break
        for row in rows:
            if limit is not None and done >= limit:
                break
            with transaction.atomic():
                locked = DataKey.objects.select_for_update().filter(pk=row.pk).first()
                if locked is None or locked.master_key_id == mid:
                    continue
                try:
                    plain = open_data_key(locked)
                except KeyUnavailable:
                    unavailable += 1
                    skip.add(locked.pk)
                    continue
                locked.wrapped = crypto.wrap(master, plain, context=crypto.data_key_context(locked.pk, locked.user_id))
                locked.master_key_id = mid
                locked.rewrapped_at = timezone.now()
                locked.save(update_fields=["wrapped", "master_key_id", "rewrapped_at"])
                done += 1
    remaining = DataKey.objects.exclude(master_key_id=mid).count()
    return {"rewrapped": done, "remaining": remaining, "unavailable": unavailable}
