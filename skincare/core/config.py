"""Run-time configuration: one validated row in the database, read through the cache.

    from skincare.core.config import get_config, quality_thresholds
    get_config().sharing_enabled          # a frozen snapshot (Config)
    quality_thresholds()                  # ml.types.QualityThresholds for the quality gate

Writes go through `config_update` (the admin calls it): it validates, saves, records an audit entry and drops the
cached copy, both at once and again after commit (so a reader racing the transaction cannot keep a stale copy).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from skincare.core.models import QUALITY_FIELDS, SiteConfig

if TYPE_CHECKING:
    from ml.types import QualityThresholds

CACHE_KEY = "core:site-config:v3"
CACHE_SECONDS = 300  # a bounded lifetime as well: a missed invalidation heals itself within 5 minutes

SWITCH_FIELDS = ("otp_login_enabled", "sharing_enabled", "sms_enabled")
REMINDER_FIELDS = (
    "reminder_am_default",
    "reminder_pm_default",
    "reminder_late_minutes",
    "reminder_earliest",
    "reminder_latest",
)
RETENTION_FIELDS = ("photo_retention", "photo_retention_days")
CONFIG_FIELDS = QUALITY_FIELDS + SWITCH_FIELDS + REMINDER_FIELDS + RETENTION_FIELDS


@dataclasses.dataclass(frozen=True)
class Config:
    min_face_fraction: float | None  # None: the engine's default (ml.types.QualityThresholds)
    max_yaw_degrees: float | None
    min_sharpness: float | None
    min_brightness: float | None
    max_brightness: float | None
    otp_login_enabled: bool
    sharing_enabled: bool
    sms_enabled: bool
    reminder_am_default: datetime.time
    reminder_pm_default: datetime.time
    reminder_late_minutes: int
    reminder_earliest: datetime.time
    reminder_latest: datetime.time
    photo_retention: str = "keep"  # the site's default: keep, days or after_analysis (privacy.retention)
    photo_retention_days: int = 365
    reminders_changed_at: datetime.datetime | None = None  # when a reminder setting last changed

    @classmethod
    def from_row(cls, row: SiteConfig) -> Config:
        return cls(
            **{name: getattr(row, name) for name in CONFIG_FIELDS}, reminders_changed_at=row.reminders_changed_at
        )

    def is_enabled(self, switch: str) -> bool:
        """`switch` is otp_login, sharing or sms."""
        return bool(getattr(self, f"{switch}_enabled"))

    def reminder_default(self, period: str) -> datetime.time:
        """The reminder time of someone who did not choose one; `period` is am or pm."""
        return self.reminder_pm_default if period == "pm" else self.reminder_am_default

    def reminder_send_time(self, at: datetime.time) -> datetime.time:
        """`at` moved into the reminder window [earliest, latest]: a time outside it goes to the nearer edge on
        the 24-hour clock (window 06:00-23:00: 05:00 → 06:00, 23:30 → 23:00, 00:30 → 23:00, 04:00 → 06:00;
        a tie goes to the earliest). Inside the window, `at` is kept as it is."""
        return clamp_to_window(at, self.reminder_earliest, self.reminder_latest)


def _minutes(at: datetime.time) -> int:
    return at.hour * 60 + at.minute


def clamp_to_window(at: datetime.time, earliest: datetime.time, latest: datetime.time) -> datetime.time:
    at = at.replace(second=0, microsecond=0, tzinfo=None)
    if earliest <= at <= latest:
        return at
    after_latest = (_minutes(at) - _minutes(latest)) % (24 * 60)
    before_earliest = (_minutes(earliest) - _minutes(at)) % (24 * 60)
    return latest if after_latest < before_earliest else earliest


def config_row() -> SiteConfig:
    """The one configuration row, created with the defaults the first time."""
    row, _ = SiteConfig.objects.get_or_create(pk=SiteConfig.SINGLETON_PK)
    return row


def get_config() -> Config:
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        try:
            return Config(**cached)
        except TypeError:  # a copy cached by an older release: fields changed
            pass
    config = Config.from_row(config_row())
    cache.set(CACHE_KEY, dataclasses.asdict(config), CACHE_SECONDS)
    return config


def invalidate() -> None:
    cache.delete(CACHE_KEY)


def feature_enabled(switch: str) -> bool:
    return get_config().is_enabled(switch)


def quality_thresholds() -> QualityThresholds:
    from ml.types import QualityThresholds  # lazily: web processes that never check photos skip ml/

    config = get_config()
    values = {name: float(getattr(config, name)) for name in QUALITY_FIELDS if getattr(config, name) is not None}
    return QualityThresholds(**values)


def config_update(*, actor=None, ip_address: str | None = None, **values: Any) -> SiteConfig:
    """Validate and save new values (unknown names are refused); audit the change; drop the cache."""
    from skincare.core.audit import audit_record, diff_fields
    from skincare.core.errors import DomainError

    unknown = set(values) - set(CONFIG_FIELDS)
    if unknown:
        raise DomainError(f"Unknown settings: {', '.join(sorted(unknown))}", code="unknown_setting")
    with transaction.atomic():
        row = SiteConfig.objects.select_for_update().filter(pk=SiteConfig.SINGLETON_PK).first() or config_row()
        before = {name: getattr(row, name) for name in CONFIG_FIELDS}
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.updated_by = actor if getattr(actor, "pk", None) else None
        changes = diff_fields(before, {name: getattr(row, name) for name in CONFIG_FIELDS})
        if set(changes) & set(REMINDER_FIELDS):
            row.reminders_changed_at = timezone.now()  # the dispatcher reschedules routines computed before this
        row.save()
        if changes:
            audit_record(
                actor=actor,
                action="config",
                obj=row,
                changes=changes,
                name="config_update",
                ip_address=ip_address,
            )
        transaction.on_commit(invalidate)
    invalidate()
    return row
