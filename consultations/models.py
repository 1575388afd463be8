"""Dermatologist consultations: who consults (DermatologistProfile), when (AvailabilitySlot, published in the
dermatologist's own timezone, stored in UTC), and the booking (Consultation) with its reason, optional shared
material (an analysis or a before/after pair, readable by the dermatologist only while the consultation runs),
meeting link and the dermatologist's note.

No double booking: a partial unique constraint allows one active (booked or completed) consultation per slot, and
the booking service claims the slot under a row lock first (services.consultation_book).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import validate_timezone


class DermatologistProfile(models.Model):
    """A staff member who consults. Staff give the `dermatologist` role and create this profile in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="dermatologist_profile"
    )
    display_name = models.CharField(max_length=120, help_text="As people see it, e.g. Dr Ana Costa")
    credentials = models.CharField(max_length=200, blank=True, help_text="e.g. MD, board-certified dermatologist")
    bio = models.TextField(blank=True, max_length=2000)
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone], help_text="Slots are published in this timezone"
    )
    meeting_link = models.URLField(
        blank=True, max_length=500, help_text="Default video link (whatever tool the clinic uses)"
    )
    is_accepting = models.BooleanField(default=True, help_text="Off: no new bookings; existing ones stay")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class SlotQuerySet(models.QuerySet):
    def open(self) -> SlotQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class AvailabilitySlot(models.Model):
    """A time a dermatologist offers. Free while no active consultation holds it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dermatologist = models.ForeignKey(DermatologistProfile, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    meeting_link = models.URLField(blank=True, max_length=500, help_text="Overrides the dermatologist's default link")
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Taken off the calendar by the dermatologist")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at"], name="slot_starts_at_idx"),  # free slots by day; the admin's order
            models.Index(fields=["dermatologist", "starts_at"], name="slot_derm_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["dermatologist", "starts_at"], name="one_slot_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.dermatologist_id} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ConsultationQuerySet(models.QuerySet):
    def owned_by(self, user) -> ConsultationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self) -> ConsultationQuerySet:
        return self.filter(status__in=Consultation.ACTIVE)


class Consultation(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Person did not attend")

    class CancelledBy(models.TextChoices):
        PERSON = "person", _("The person")
        DERMATOLOGIST = "dermatologist", _("The dermatologist")
        STAFF = "staff", _("Staff")

    ACTIVE = (Status.BOOKED, Status.COMPLETED)  # a slot holding one of these is taken

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultations")
    # SET_NULL: erasing a dermatologist's account keeps the people's records (and the name below).
    dermatologist = models.ForeignKey(
        DermatologistProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    dermatologist_name = models.CharField(max_length=120, help_text="Kept when the dermatologist's account goes")
    slot = models.ForeignKey(
        AvailabilitySlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    reason = models.TextField(max_length=2000)
    meeting_link = models.URLField(blank=True, max_length=500)
    # Shared for this consultation only: the dermatologist reads it while the consultation runs (read-only).
    shared_analysis = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_before = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_after = models.ForeignKey(
        "analysis.SkinAnalysis", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=10000, help_text="The dermatologist's note or recommendation")
    note_updated_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(help_text="When booked or last rescheduled (reminders count from it)")
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=15, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.TextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["user", "-starts_at"], name="consult_user_starts_idx"),
            models.Index(fields=["dermatologist", "starts_at"], name="consult_derm_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="consult_status_starts_idx"),  # reminder sweep
            models.Index(fields=["-starts_at"], name="consult_starts_desc_idx"),  # the admin list's order
        ]
        constraints = [
            # No double booking, whatever the code path: one active consultation per slot.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "completed"]),
                name="one_active_consultation_per_slot",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="consultation_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Consultation {self.id} ({self.status})"


class ConsultationReminder(models.Model):
    """Links a routines ReminderDelivery (the exactly-once ledger every reminder uses) to its consultation.

    One per (consultation, lead, start time): a rescheduled consultation gets reminders for its new time, and a
    retry, a second sweeper or a restart hits the delivery's unique key and sends nothing twice.
    """

    delivery = models.OneToOneField(
        "routines.ReminderDelivery", on_delete=models.CASCADE, primary_key=True, related_name="consultation_reminder"
    )
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reminders")
    lead_minutes = models.PositiveIntegerField()
    starts_at = models.DateTimeField(help_text="The start time this reminder was for")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "lead_minutes", "starts_at"], name="one_consultation_reminder_per_lead"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_minutes} min before {self.consultation_id}"
