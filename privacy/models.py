"""Privacy: the keys that encrypt people's files, who saw which photo, staff support grants, retention choices.

No photo byte is stored here: the files live in the media storage as ciphertext (privacy.storage); these rows
hold the wrapped keys that make them readable, so deleting a row is what makes a file unreadable for good.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skincare.core.models import RETENTION_MAX_DAYS, PhotoRetention

__all__ = ["DataKey", "MediaAccess", "PhotoRetention", "PrivacySettings", "StoredMedia", "SupportGrant"]


class DataKey(models.Model):
    """A person's data key, wrapped by the master key. Deleting it (the account's erasure) shreds every file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_key")
    wrapped = models.BinaryField(help_text="nonce | AES-GCM(master key, data key)")
    master_key_id = models.CharField(max_length=16, db_index=True, help_text="Which master key wrapped it")
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "data key"

    def __str__(self) -> str:
        return f"Data key of {self.user_id} (master {self.master_key_id})"


class StoredMedia(models.Model):
    """One stored file: its name in the storage and its file key, wrapped by the owner's data key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, help_text="In the file's header")
    name = models.CharField(max_length=255, unique=True)
    data_key = models.ForeignKey(DataKey, on_delete=models.CASCADE, related_name="files")
    wrapped_key = models.BinaryField(help_text="nonce | AES-GCM(data key, file key)")
    kind = models.CharField(max_length=20)
    size = models.PositiveIntegerField(help_text="Bytes before encryption")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "stored file"
        verbose_name_plural = "stored files"

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class ViewerKind(models.TextChoices):
    """Who an image was served to. Apps may register more kinds (privacy.media.register_viewer_check)."""

    OWNER = "owner", _("You")
    SHARE = "share", _("Someone with your share link")
    DERMATOLOGIST = "dermatologist", _("The dermatologist of a consultation you booked")
    STAFF = "staff", _("Support staff, under a request you approved")
    OPERATOR = "operator", _("The server's operators (a command run on the server)")


class MediaAccess(models.Model):
    """One serving of one of a person's images: what, to whom, when and under which link or grant."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_accesses")
    media_name = models.CharField(max_length=255)
    media_kind = models.CharField(max_length=20)
    media_created_at = models.DateTimeField(null=True, blank=True, help_text="When the image was stored")
    viewer_kind = models.CharField(max_length=30)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    viewer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who, by name (a dermatologist, a staff email), kept if the viewer leaves; the same in every "
        "language: the sentence people read is written when the record is read (viewer_words)",
    )
    ref = models.CharField(max_length=64, blank=True, help_text="The share link, consultation or grant")
    via = models.CharField(max_length=20, default="link", help_text="link, card, export")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "image access"
        verbose_name_plural = "image accesses"
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="mediaaccess_owner_idx"),
            models.Index(fields=["created_at"], name="mediaaccess_created_idx"),  # the admin list's order
        ]

    def __str__(self) -> str:
        return f"{self.viewer_kind} saw {self.media_kind} of {self.owner_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def viewer_words(self) -> str:
        """Who saw it, in the reader's language (the privacy page, the API, the export)."""
        from .media import viewer_words

        return viewer_words(self.viewer_kind, self.viewer_name)


class SupportGrantQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(status=SupportGrant.Status.APPROVED, expires_at__gt=now or timezone.now())


class SupportGrant(models.Model):
    """A staff member's request to see a person's photos in the admin, which only the person can approve.

    Approved, it lasts `hours` from the approval and the person can revoke it at any time; every photo served
    under it is an access record the person sees.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the person")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        REVOKED = "revoked", _("Revoked")

    MAX_HOURS = 72

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_grants")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff_email = models.CharField(max_length=254, blank=True)
    reason = models.TextField(max_length=1000)
    hours = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SupportGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="supportgrant_user_idx"),
            models.Index(fields=["staff", "status"], name="supportgrant_staff_idx"),
            models.Index(fields=["created_at"], name="supportgrant_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Support grant {self.staff_email or '?'} → {self.user_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.status == self.Status.APPROVED and self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return self.status

    @property
    def is_active(self) -> bool:
        return self.state == self.Status.APPROVED


class PrivacySettings(models.Model):
    """A person's own choices. Empty `photo_retention`: the site's default (set by staff in the admin)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="privacy_settings"
    )
    photo_retention = models.CharField(max_length=20, choices=PhotoRetention.choices, blank=True)
    retention_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAX_DAYS)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "privacy settings"
        verbose_name_plural = "privacy settings"
        indexes = [models.Index(fields=["photo_retention", "retention_days"], name="privacy_retention_idx")]

    def __str__(self) -> str:
        return f"Privacy settings of {self.user_id}"

    def clean(self) -> None:
        if self.photo_retention == PhotoRetention.DAYS and not self.retention_days:
            raise ValidationError({"retention_days": _("Say after how many days photos are deleted.")})
