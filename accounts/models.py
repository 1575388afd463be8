"""Accounts: a custom user (UUID key, email login), the profile, consent, OTP codes, notifications."""

from __future__ import annotations

import functools
import uuid
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domain import vocabulary as vocab

# The vocabulary lives in the domain package (one home); choices are translated where they are shown.
SKIN_TYPES = [(key, _(label)) for key, label in vocab.SKIN_TYPE_CHOICES]
CONCERN_KEYS = list(vocab.CONCERN_KEYS)
BUDGETS = [(key, _(label)) for key, label in vocab.BUDGET_CHOICES]
PREFERENCES = list(vocab.PREFERENCE_KEYS)
SKIN_TONE_CHOICES = [(key, _(label)) for key, label in vocab.SKIN_TONES]
# The concerns' and preferences' names as people read them, translated where shown (keys stay English in data
# and the API).
CONCERN_LABELS = {c.key: _(c.label) for c in vocab.CONCERNS}
PREFERENCE_LABELS = {key: _(label) for key, label in vocab.PREFERENCES}


@functools.cache
def _iana_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the tz database from disk: once


def validate_timezone(value: str) -> None:
    if value not in _iana_zones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone (e.g. Europe/Paris).") % {"value": value}, code="invalid_timezone"
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(
        max_length=20,
        blank=True,
        null=True,
        unique=True,
        help_text="E.164, e.g. +33612345678. Verified: its owner entered the code sent to it (OTP sign-in, SMS).",
    )
    phone_pending = models.CharField(
        max_length=20, blank=True, null=True, help_text="A number waiting for its confirmation code; not used yet."
    )
    email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["-date_joined"]
        indexes = [models.Index(fields=["date_joined"])]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email


def default_reminder_times() -> dict:
    """Empty: the person follows the site's default times (staff set them in the admin) until they choose."""
    return {}


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", primary_key=True)
    skin_type = models.CharField(max_length=20, choices=SKIN_TYPES, null=True, blank=True)
    skin_tone = models.CharField(
        max_length=20,
        choices=SKIN_TONE_CHOICES,
        null=True,
        blank=True,
        help_text="The person's own skin tone (ITA° categories); corrects the one a photo measured",
    )
    concerns = models.JSONField(default=list, blank=True)
    allergies = models.JSONField(default=list, blank=True)
    pregnant_or_nursing = models.BooleanField(default=False)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    budget = models.CharField(max_length=10, choices=BUDGETS, default="medium")
    preferences = models.JSONField(default=list, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(
        max_length=10, default="", blank=True, help_text="e.g. es or pt-br; empty: the browser's language"
    )
    reminder_times = models.JSONField(
        default=default_reminder_times, blank=True, help_text='{"am": "07:30", "pm": "21:30"}; empty: the site defaults'
    )
    max_steps = models.PositiveSmallIntegerField(null=True, blank=True)
    quiet_hours = models.JSONField(default=dict, blank=True, help_text='{"start": "22:00", "end": "07:00"}')
    notification_channels = models.JSONField(
        default=dict, blank=True, help_text='Per-channel opt-outs, e.g. {"email": false, "sms": false}'
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"

    @property
    def age(self) -> int | None:
        return timezone.now().year - self.birth_year if self.birth_year else None


class Consent(models.Model):
    """A recorded consent: what was agreed to, which version of the text, when and from where."""

    KINDS = [
        ("terms", _("Terms of use")),
        ("privacy", _("Privacy policy")),
        ("photo_analysis", _("Photo analysis")),
        ("marketing", _("Marketing email")),
    ]
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=30, choices=KINDS)
    version = models.CharField(max_length=20, default="1")
    granted = models.BooleanField(default=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "kind", "-created_at"]),
            models.Index(
                fields=["created_at"], name="consent_created_at_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} ({'granted' if self.granted else 'withdrawn'})"


class Notification(models.Model):
    """The in-app inbox. Other channels (email, SMS) are recorded as deliveries by their senders."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user", "read_at"]),
            models.Index(
                fields=["created_at"], name="notification_created_at_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return self.title


class OtpCode(models.Model):
    """A one-time code sent by SMS: to sign in, or to prove a new number is yours. Only a keyed hash is stored."""

    class Purpose(models.TextChoices):
        LOGIN = "login", "Sign in"
        VERIFY = "verify", "Confirm a phone number"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.LOGIN)
    # For VERIFY: the account the number is being confirmed for.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="phone_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["phone", "-created_at"]),
            models.Index(fields=["created_at"], name="otpcode_created_at_idx"),  # the admin list's order
        ]

    def __str__(self) -> str:
        return f"OTP for …{self.phone[-4:]} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
