"""The signed-in person for API authentication, from the cache when it has them (as Zulip caches user profiles by id).

Every API request with a JWT looked the user and profile up in PostgreSQL: a pool checkout with its health check, a
query and the ORM's compilation of it, a third of GET /auth/me's CPU in the load bench's profile. The row (user and
profile, as `select_related("profile")` loads them) is kept in the shared cache for AUTH_USER_CACHE_SECONDS (default
60 with Redis, 0 = off, the default on the embedded file cache, where a file read costs more than SQLite's query).

Every save or delete of a user or profile forgets the copy at once and again when its transaction commits, so a
request running between the two cannot cache the old row for long; writes that bypass signals (QuerySet.update on
these tables) call `forget`. The expiry bounds anything missed. simplejwt's checks (is_active) run on this copy as
they ran on the row: deactivation and erasure go through save() and delete(), so they take effect at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

KEY = "auth-user:v1:{}"


def _seconds() -> int:
    return int(getattr(settings, "AUTH_USER_CACHE_SECONDS", 0) or 0)


def user_get(*, queryset, user_id, read=None):
    """The user with their profile: from the cache, else `queryset.get(id=user_id)` (raises DoesNotExist).

    `read(user_id, key)`, where given, reads the cache instead of `cache.get(key)`: the authenticator's, which reads
    the person in the request's one round trip (skincare.core.throttling.count_at_authentication)."""
    seconds = _seconds()
    if not seconds:
        return queryset.get(id=user_id)
    key = KEY.format(user_id)
    user = cache.get(key) if read is None else read(user_id, key)
    if user is None:
        user = queryset.get(id=user_id)
        cache.set(key, user, seconds)
    return user


def forget(user_id) -> None:
    if not _seconds() or user_id is None:
        return
    key = KEY.format(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _on_user_change(sender, instance, **kwargs) -> None:
    forget(instance.pk)


def _on_profile_change(sender, instance, **kwargs) -> None:
    forget(instance.user_id)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from .models import Profile

    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_on_user_change, sender=user_model, dispatch_uid=f"usercache-user-{signal}")
        signal.connect(_on_profile_change, sender=Profile, dispatch_uid=f"usercache-profile-{signal}")
