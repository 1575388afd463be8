"""Reads of the accounts app. Every fetch of a user's object checks ownership (404 otherwise)."""

from __future__ import annotations

import dataclasses
import datetime
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


@dataclasses.dataclass(frozen=True)
class ReminderTime:
    """One of a person's routine reminder times (am or pm)."""

    period: str
    chosen: datetime.time | None  # what the person picked; None: they follow the site's default
    default: datetime.time  # the site's default for this period, set by staff
    sends_at: datetime.time  # when the reminder really goes out: chosen or default, moved into the site's window
    window: tuple[datetime.time, datetime.time]  # the site's (earliest, latest) sending hours

    @property
    def time(self) -> datetime.time:
        return self.chosen if self.chosen is not None else self.default

    @property
    def moved(self) -> bool:
        """The time was outside the site's reminder window and is sent at the window's edge."""
        return self.sends_at != self.time


def _hhmm(value) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(str(value)).replace(second=0, microsecond=0)
    except ValueError:
        return None


def reminder_times(*, profile: Profile, config=None) -> dict[str, ReminderTime]:
    """{"am": ReminderTime, "pm": ReminderTime}: the person's choice, else the staff default, and when each is sent
    (staff window). `config` is a skincare.core.config.Config snapshot, read once by callers that loop."""
    if config is None:
        from skincare.core.config import get_config

        config = get_config()
    chosen = profile.reminder_times if isinstance(profile.reminder_times, dict) else {}
    result = {}
    for period in ("am", "pm"):
        own = _hhmm(chosen.get(period)) if chosen.get(period) else None
        default = config.reminder_default(period)
        result[period] = ReminderTime(
            period=period,
            chosen=own,
            default=default,
            sends_at=config.reminder_send_time(own if own is not None else default),
            window=(config.reminder_earliest, config.reminder_latest),
        )
    return result


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
