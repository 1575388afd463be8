"""Skin analyses, their lesions, user feedback (labelled data) and registered learned-model versions."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


def _random_name(folder: str, instance, filename: str) -> str:
    """A random name that carries its owner: the storage encrypts the file with the owner's key."""
    from privacy.storage import owned_name

    return owned_name(instance.user, folder, os.path.splitext(filename)[1].lower() or ".jpg")


def analysis_image_path(instance, filename: str) -> str:
    return _random_name("analyses", instance, filename)


def analysis_overlay_path(instance, filename: str) -> str:
    return _random_name("overlays", instance, filename)


class ModelVersion(models.Model):
    """A trained checkpoint with its held-out metrics. At most one is active (a partial unique constraint)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True)
    backbone = models.CharField(max_length=100)
    checkpoint_path = models.CharField(max_length=500)
    metrics = models.JSONField(default=dict, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.name}{' (active)' if self.is_active else ''}"


class SkinAnalysisQuerySet(models.QuerySet):
    def owned_by(self, user) -> SkinAnalysisQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def done(self) -> SkinAnalysisQuerySet:
        return self.filter(status=SkinAnalysis.Status.DONE)


class SkinAnalysis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("analysis status", "Queued")
        PROCESSING = "processing", pgettext_lazy("analysis status", "Processing")
        DONE = "done", pgettext_lazy("analysis status", "Done")
        FAILED = "failed", pgettext_lazy("analysis status", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyses")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)  # indexed with created_at
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The claim's lease: the attempt that holds the row while `processing`, its worker ("host pid"), and its last sign
    # of life. A worker renews heartbeat_at every few seconds; a row whose heartbeat is older than the lease belongs
    # to a dead worker and may be taken over by a new attempt. Only the holder of `attempt` may store a result.
    attempt = models.UUIDField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=120, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    image = models.FileField(upload_to=analysis_image_path, max_length=255, blank=True, help_text="Empty once deleted")
    overlay = models.FileField(upload_to=analysis_overlay_path, max_length=255, null=True, blank=True)
    photo_free = models.BooleanField(
        default=False, help_text="Photo-free upload: the photo was discarded as soon as it was measured"
    )
    photo_deleted_at = models.DateTimeField(null=True, blank=True, help_text="When the photo was deleted")
    photo_deleted_reason = models.CharField(max_length=20, blank=True, help_text="person, retention, photo_free")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    error_detail = models.TextField(blank=True)
    quality = models.JSONField(default=dict, blank=True)
    face_box = models.JSONField(null=True, blank=True)
    landmarks = models.JSONField(null=True, blank=True, help_text="Face landmarks, [x, y] in image pixels")
    regions = models.JSONField(null=True, blank=True, help_text="Region polygons in image pixels")
    concerns = models.JSONField(default=list, blank=True)
    skin_type = models.CharField(max_length=20, blank=True)
    skin_type_confidence = models.FloatField(null=True, blank=True)
    skin_type_source = models.CharField(max_length=20, blank=True)
    skin_tone_ita = models.FloatField(null=True, blank=True)
    skin_tone_hex = models.CharField(max_length=7, blank=True, help_text="The measured skin colour (#rrggbb)")
    skin_tone_category = models.CharField(max_length=20, blank=True, help_text="ITA° category (ml.types.SKIN_TONES)")
    region_quality = models.JSONField(
        null=True, blank=True, help_text='Per region: {"visible", "confidence", "reason"} (occluded, low_resolution...)'
    )
    overlay_face = models.FileField(upload_to=analysis_overlay_path, max_length=255, null=True, blank=True)
    overlay_face_box = models.JSONField(null=True, blank=True, help_text="x, y, w, h of the face overlay in the photo")
    skin_age = models.FloatField(null=True, blank=True)
    conditions = models.JSONField(null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField(null=True, blank=True)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="analyses"
    )
    processing_ms = models.PositiveIntegerField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)

    objects = SkinAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "skin analyses"
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            # the queue (oldest queued), failures by date, the admin's status filter
            models.Index(fields=["status", "created_at"], name="analysis_status_created_idx"),
            models.Index(fields=["error_code"], name="analysis_error_code_idx"),  # the admin's error filter
            # the retention sweep: photos still kept, oldest first (deleted ones leave the index)
            models.Index(
                fields=["created_at"], condition=Q(photo_deleted_at__isnull=True), name="analysis_photo_kept_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="unique_analysis_idempotency_key_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Analysis {self.id} ({self.status})"

    @property
    def has_photo(self) -> bool:
        return bool(self.image) and self.photo_deleted_at is None

    @property
    def error_text(self) -> str:
        """Why it failed, in the reader's language (by error_code; the stored English detail for an unknown code)."""
        from .messages import error_text

        return error_text(self.error_code, self.error_detail) if self.status == self.Status.FAILED else ""

    def concern(self, key: str) -> dict | None:
        return next((c for c in self.concerns or [] if c.get("key") == key), None)

    @property
    def concern_scores(self) -> dict[str, int]:
        return {c["key"]: c["score"] for c in self.concerns or [] if c.get("score") is not None}


class Lesion(models.Model):
    analysis = models.ForeignKey(SkinAnalysis, on_delete=models.CASCADE, related_name="lesions")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    w = models.PositiveIntegerField()
    h = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    confidence = models.FloatField()
    region = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.x},{self.y}"

    @property
    def box(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


class SkinToneLabel(models.Model):
    """A person's own skin tone beside what an analysis measured: labelled data for the tone estimate.

    Written when the person sets or changes their skin tone in the profile; ``analysis`` is their latest
    analysis with a measured tone at that moment (null when they had none).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skin_tone_labels")
    analysis = models.ForeignKey(
        SkinAnalysis, on_delete=models.SET_NULL, null=True, blank=True, related_name="skin_tone_labels"
    )
    label = models.CharField(max_length=20, help_text="The tone the person chose (ml.types.SKIN_TONES)")
    measured_ita = models.FloatField(null=True, blank=True)
    measured_hex = models.CharField(max_length=7, blank=True)
    measured_category = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=20, default="profile")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="skintonelabel_created_idx")]

    def __str__(self) -> str:
        return f"{self.label} (measured {self.measured_category or '-'})"


class Feedback(models.Model):
    """A person's rating of an analysis and their corrections: kept as labelled data for training."""

    analysis = models.ForeignKey(SkinAnalysis, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analysis_feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    corrected_skin_type = models.CharField(max_length=20, blank=True)
    corrected_age = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["created_at"], name="feedback_created_at_idx")
        ]  # the admin list's order (no sort of the whole table)

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5 on {self.analysis_id}"
