"""Reads of the accounts app. Every fetch of a user's object checks ownership (404 otherwise)."""

from __future__ import annotations

import uuid
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet

from skincare.core.errors import NotFound

from .models import Consent, Notification, Profile, User


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


def user_with_profile(*, user_id) -> User:
    return User.objects.select_related("profile").get(pk=user_id)


def profile_for_user(*, user: User) -> Profile:
    if _has_profile(user):
        return user.profile
    profile, _ = Profile.objects.get_or_create(user=user)
    user.profile = profile
    return profile


def _has_profile(user: User) -> bool:
    try:
        user.profile  # noqa: B018 - the reverse one-to-one raises when missing
    except Profile.DoesNotExist:
        return False
    return True


def consent_state(*, user: User) -> dict[str, dict]:
    """The latest recorded decision per consent kind: {kind: {granted, version, created_at}}."""
    state: dict[str, dict] = {
        kind: {"granted": False, "version": None, "created_at": None} for kind, _ in Consent.KINDS
    }
    seen: set[str] = set()
    for consent in Consent.objects.filter(user=user).order_by("-created_at"):
        if consent.kind in seen:
            continue
        seen.add(consent.kind)
        state[consent.kind] = {
            "granted": consent.granted,
            "version": consent.version,
            "created_at": consent.created_at,
        }
    return state


def consent_given(*, user: User, kind: str) -> bool:
    """Whether the user's latest decision for `kind` (e.g. photo_analysis) is a grant."""
    latest = Consent.objects.filter(user=user, kind=kind).order_by("-created_at").only("granted").first()
    return bool(latest and latest.granted)


# --- GDPR: every app's `<app>/gdpr.py` -----------------------------------------------------------------
def gdpr_providers() -> list[tuple[str, ModuleType]]:
    """(app label, module) for each installed app of this project that has a `gdpr` module."""
    providers = []
    for config in apps.get_app_configs():
        if "site-packages" in config.path or not config.path.startswith(str(settings.BASE_DIR)):
            continue  # third-party apps keep nothing of ours
        try:
            module = import_module(f"{config.name}.gdpr")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.gdpr":
                raise
            continue
        providers.append((config.label, module))
    return providers


def gdpr_files(*, user: User) -> list[tuple[str, str]]:
    """(app label, storage name) of every stored file of the user, de-duplicated."""
    seen: set[str] = set()
    out = []
    for label, module in gdpr_providers():
        files = getattr(module, "files", None)
        for name in files(user) if files else []:
            if name and name not in seen:
                seen.add(name)
                out.append((label, name))
    return out
