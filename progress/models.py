"""Progress: diary entries, milestones, before/after comparisons and public share links."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_share_token() -> str:
    """32 url-safe characters from 24 random bytes (192 bits): unguessable."""
    return secrets.token_urlsafe(24)


def aligned_image_path(instance, filename: str) -> str:
    """Encrypted with the owner's key, like the photos it is made from (privacy.storage)."""
    from privacy.storage import owned_name

    return owned_name(instance.user, "progress/aligned", ".jpg")


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ProgressEntry(models.Model):
    """One diary entry: a day, optionally an analysis (a photo), a self-rating and notes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_entries")
    date = models.DateField()
    analysis = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.SET_NULL, null=True, blank=True, related_name="progress_entries"
    )
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="Self-rating 1-5"
    )
    notes = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name_plural = "progress entries"
        indexes = [
            models.Index(fields=["user", "-date"]),
            models.Index(
                fields=["date", "created_at"], name="progress_date_created_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="progress_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"Entry {self.date} of {self.user_id}"


class Milestone(models.Model):
    class Kind(models.TextChoices):
        STREAK_7 = "streak_7", pgettext_lazy("milestone", "7-day streak")
        STREAK_30 = "streak_30", pgettext_lazy("milestone", "30-day streak")
        CONCERN_IMPROVED = "concern_improved", pgettext_lazy("milestone", "Concern improved")
        CUSTOM = "custom", pgettext_lazy("milestone", "Personal milestone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=120, help_text="What makes it unique for this person, e.g. routine:2026-11-01")
    title = models.CharField(max_length=200, blank=True)
    achieved_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_at"]
        indexes = [
            models.Index(fields=["user", "-achieved_at"]),
            models.Index(fields=["achieved_at"], name="milestone_achieved_at_idx"),  # the admin list's order
        ]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="milestone_once_per_user")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def title_text(self) -> str:
        """The title in the reader's language (from the stored message id and params; the stored text for a row
        written before they were kept, the kind's name when there is neither)."""
        from .messages import milestone_text

        return milestone_text(self.data, "title") or self.title or str(self.get_kind_display())

    @property
    def body_text(self) -> str:
        from .messages import milestone_text

        return milestone_text(self.data, "body") or str((self.data or {}).get("body") or "")


class Comparison(models.Model):
    """A cached before/after alignment: the after photo warped onto the before photo's frame."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comparisons")
    before = models.ForeignKey("analysis.SkinAnalysis", on_delete=models.CASCADE, related_name="+")
    after = models.ForeignKey("analysis.SkinAnalysis", on_delete=models.CASCADE, related_name="+")
    aligned_image = models.FileField(upload_to=aligned_image_path, max_length=255, null=True, blank=True)
    transform = models.JSONField(null=True, blank=True, help_text="2x3 similarity matrix after → before")
    residual_px = models.FloatField(null=True, blank=True, help_text="RMS landmark distance after alignment")
    landmarks_used = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["before", "after"], name="one_comparison_per_pair")]
        indexes = [models.Index(fields=["created_at"], name="comparison_created_at_idx")]  # the admin list's order

    def __str__(self) -> str:
        return f"Comparison {self.before_id} → {self.after_id}"

    @property
    def failure_text(self) -> str:
        """Why the photos were not aligned, in the reader's language (the stored English is its message id)."""
        from .messages import failure_text

        return failure_text(self.failure)


class ShareLinkQuerySet(OwnedQuerySet):
    def live(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, hidden=False, expires_at__gt=now)


class ShareLink(models.Model):
    class Kind(models.TextChoices):
        ANALYSIS = "analysis", pgettext_lazy("share kind", "Analysis")
        COMPARE = "compare", pgettext_lazy("share kind", "Comparison")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    analysis = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.CASCADE, null=True, blank=True, related_name="share_links"
    )
    before = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    after = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator after a report")
    hidden_reason = models.TextField(blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["created_at"], name="sharelink_created_at_idx"),  # the admin list's order
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="analysis", analysis__isnull=False))
                | Q(kind="compare", before__isnull=False, after__isnull=False),
                name="share_link_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Share {self.kind} {self.id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.hidden and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.hidden:
            return "hidden"
        if self.expires_at <= timezone.now():
            return "expired"
        return "live"


class ShareReport(models.Model):
    class Reason(models.TextChoices):
        NOT_ME = "not_me", _("This is a photo of me shared without my consent")
        INAPPROPRIATE = "inappropriate", _("Inappropriate content")
        PERSONAL_DATA = "personal_data", _("It reveals personal data")
        SPAM = "spam", _("Spam or advertising")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        HIDDEN = "hidden", pgettext_lazy("report status", "Share hidden")
        DISMISSED = "dismissed", pgettext_lazy("report status", "Dismissed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    share = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="sharereport_created_at_idx")]  # the admin list's order

    def __str__(self) -> str:
        return f"Report {self.reason} on {self.share_id} ({self.status})"


METRIC_NAME_MAX = 50


class ProgressMetric(models.Model):
    """A named value the person logs themselves (e.g. skin_clarity 7 on 0-10), with notes: read back as series
    beside the measured scores. Names are free (lowercase snake_case, normalised by the service)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_metrics")
    name = models.CharField(max_length=METRIC_NAME_MAX, help_text="snake_case, e.g. skin_clarity")
    value = models.FloatField()
    notes = models.TextField(blank=True, max_length=2000)
    date = models.DateField(help_text="The person's local date")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["user", "name", "recorded_at"], name="metric_user_name_time_idx"),
            models.Index(fields=["user", "date"], name="metric_user_date_idx"),
            models.Index(fields=["recorded_at"], name="metric_recorded_at_idx"),  # the admin list's order
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value:g} on {self.date}"
