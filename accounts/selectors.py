"""Reads of the accounts app. Every fetch of a user's object checks ownership (404 otherwise)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from skincare.core.errors import NotFound

from .models import Notification, User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-created_at")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_get_for_user(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    try:
        return Notification.objects.get(pk=notification_id, user=user)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise NotFound("This notification does not exist.") from exc


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
