"""Staff-side models: run-time configuration (one row), the audit log of staff actions, staff permissions."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

# Quality-gate fields, named as in ml.types.QualityThresholds. Empty (null) means the engine's own default, so a
# default tuned in ml/ applies here without a migration.
QUALITY_FIELDS = ("min_face_fraction", "max_yaw_degrees", "min_sharpness", "min_brightness", "max_brightness")


class PhotoRetention(models.TextChoices):
    """How long a photo (and every image made from it) is kept; the scores, lesion boxes and landmarks stay.
    A person's choice (privacy.models.PrivacySettings) or, without one, the site's default below."""

    KEEP = "keep", "Keep photos until they are deleted"
    DAYS = "days", "Delete photos after a number of days"
    AFTER_ANALYSIS = "after_analysis", "Delete each photo as soon as its analysis is done"


RETENTION_MAX_DAYS = 3650


def engine_quality_defaults() -> dict[str, float]:
    import dataclasses

    from ml.types import QualityThresholds  # pure Python, no Django; imported only when needed

    return dataclasses.asdict(QualityThresholds())


class SiteConfig(models.Model):
    """Settings staff change without a deploy. Exactly one row (pk=1); read through skincare.core.config."""

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)

    # --- quality gate (names of ml.types.QualityThresholds; empty = the engine's default) ---
    min_face_fraction = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.02), MaxValueValidator(0.95)],
        help_text="Smallest face box width / image short side (0.02-0.95).",
    )
    max_yaw_degrees = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0), MaxValueValidator(90.0)],
        help_text="Largest head turn left/right, in degrees (1-90).",
    )
    min_sharpness = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(5000.0)],
        help_text="Smallest variance of Laplacian on the 256 px face crop (0-5000).",
    )
    min_brightness = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
        help_text="Darkest accepted mean L* of face skin (0-100).",
    )
    max_brightness = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
        help_text="Brightest accepted mean L* of face skin (0-100).",
    )

    # --- feature switches ---
    otp_login_enabled = models.BooleanField(default=True, help_text="One-time codes by email/SMS can sign people in.")
    sharing_enabled = models.BooleanField(default=True, help_text="People can create public share links.")
    sms_enabled = models.BooleanField(default=True, help_text="SMS is sent (OTP codes, reminders).")

    # --- reminder windows ---
    reminder_am_default = models.TimeField(
        default=datetime.time(7, 30), help_text="Morning reminder time for people who did not choose one."
    )
    reminder_pm_default = models.TimeField(
        default=datetime.time(21, 30), help_text="Evening reminder time for people who did not choose one."
    )
    reminder_late_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
        help_text="A reminder later than this many minutes after its time is skipped, not sent (5-720).",
    )
    reminder_earliest = models.TimeField(
        default=datetime.time(6, 0),
        help_text="No routine reminder is sent before this local time: an earlier chosen time is moved to the "
        "nearer edge of the window.",
    )
    reminder_latest = models.TimeField(
        default=datetime.time(23, 0),
        help_text="No routine reminder is sent after this local time: a later chosen time is moved to the nearer "
        "edge of the window.",
    )

    # --- photo retention: the default for people who did not choose (privacy.retention) ---
    photo_retention = models.CharField(
        max_length=20,
        choices=PhotoRetention.choices,
        default=PhotoRetention.KEEP,
        help_text="How long photos are kept for people who did not choose themselves. Scores, lesion boxes and "
        "landmarks are always kept.",
    )
    photo_retention_days = models.PositiveSmallIntegerField(
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_DAYS)],
        help_text="With 'delete after a number of days': that number (1-3650).",
    )

    reminders_changed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a reminder setting last changed (routines reschedule)."
    )

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        verbose_name = "site configuration"
        verbose_name_plural = "site configuration"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="site_config_singleton")]

    def __str__(self) -> str:
        return "Site configuration"

    def effective_quality(self) -> dict[str, float]:
        """The thresholds the gate uses: each set value, else the engine's default."""
        defaults = engine_quality_defaults()
        return {name: defaults[name] if getattr(self, name) is None else getattr(self, name) for name in QUALITY_FIELDS}

    def clean(self) -> None:
        errors = {}
        quality = self.effective_quality()
        if quality["min_brightness"] >= quality["max_brightness"]:
            errors["max_brightness"] = (
                f"Must be above the minimum brightness ({quality['min_brightness']} with the engine default)."
            )
        earliest, latest = self.reminder_earliest, self.reminder_latest
        if earliest and latest and earliest >= latest:
            errors["reminder_latest"] = "Must be after the earliest reminder time."
        elif earliest and latest:
            for name in ("reminder_am_default", "reminder_pm_default"):
                value = getattr(self, name)
                if value and not earliest <= value <= latest:
                    errors[name] = f"Must lie in the reminder window ({earliest:%H:%M}-{latest:%H:%M})."
        if errors:
            raise ValidationError(errors)


class AuditEntry(models.Model):
    """One staff action: who did what to which object, when, and each field's value before and after."""

    class Action(models.TextChoices):
        ADD = "add", "Added"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        ACTION = "action", "Admin action"
        CONFIG = "config", "Configuration"
        MODERATION = "moderation", "Moderation"
        MODEL = "model", "Model version"
        EXPORT = "export", "Export"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True, help_text="Kept when the staff account is deleted")
    action = models.CharField(max_length=12, choices=Action.choices, db_index=True)
    name = models.CharField(max_length=100, blank=True, help_text="The admin action or operation, e.g. hide_share")
    app_label = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text='{"field": [before, after]}')
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [
            models.Index(fields=["app_label", "model", "object_id"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_email or 'system'} {self.action} {self.app_label}.{self.model} {self.object_repr}"


class StaffPermissions(models.Model):
    """No table: carries the permissions of the staff pages that are not a model (analytics, ML, exports)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_analytics", "Can view product analytics"),
            ("view_ml_monitoring", "Can view ML model monitoring"),
            ("manage_model_versions", "Can activate and roll back model versions"),
            ("export_training_data", "Can export training data (feedback labels)"),
        ]

    def __str__(self) -> str:
        return "Staff permissions"
