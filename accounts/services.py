"""Writes of the accounts app: `<entity>_<action>(*, ...)`, atomic, raising DomainError on bad input."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from .models import Notification, User

logger = logging.getLogger(__name__)


# --- notifications ------------------------------------------------------------------------------
def notification_group(user_id) -> str:
    """The channel group a user's open inbox sockets listen on."""
    return f"notifications.{user_id}"


def notification_payload(notification: Notification) -> dict:
    return {
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "data": notification.data,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def _push(group: str, event: dict) -> None:
    """Send to a channel group; a missing or broken channel layer never fails the caller."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - live push is best effort; the inbox row is the truth
        logger.warning("Could not push to channel group %s", group, exc_info=True)


@transaction.atomic
def notification_create(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    data: dict | None = None,
    url: str = "",
) -> Notification:
    """Write an inbox row and push it live to the user's sockets once the transaction commits."""
    notification = Notification.objects.create(
        user=user,
        kind=kind[:40],
        title=title[:200],
        body=body,
        data=data or {},
        url=url[:300],
    )
    event = {"type": "notification.new", "notification": notification_payload(notification)}
    group = notification_group(user.pk)
    transaction.on_commit(lambda: _push(group, event))
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
