"""Reads of the consultations app. A person reaches only their own consultations, a dermatologist only those
booked with them (NotFound otherwise); shared material is readable by the dermatologist only while the
consultation runs."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from skincare.core.errors import NotFound
from skincare.core.roles import DERMATOLOGIST

from .models import AvailabilitySlot, Consultation, DermatologistProfile


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def person_zone_name(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "timezone", None) or "UTC"


# --- dermatologists ----------------------------------------------------------------------------------
def dermatologist_for_user(user) -> DermatologistProfile | None:
    """The signed-in staff member's dermatologist profile, when they hold the role (superusers too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return None
    profile = DermatologistProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    if user.is_superuser or user.groups.filter(name=DERMATOLOGIST).exists():
        return profile
    return None


def dermatologists_accepting() -> QuerySet[DermatologistProfile]:
    return DermatologistProfile.objects.filter(is_accepting=True, user__is_active=True).order_by("display_name")


# --- slots -------------------------------------------------------------------------------------------
def with_booked(queryset: QuerySet[AvailabilitySlot]) -> QuerySet[AvailabilitySlot]:
    """Annotate `booked`: whether an active consultation holds the slot (no query per row)."""
    return queryset.annotate(booked=Exists(Consultation.objects.active().filter(slot=OuterRef("pk"))))


def day_bounds(day: dt.date, tz: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants where `day` starts and ends in `tz` (23 or 25 hours on DST days)."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    return start, end


def free_slots(
    *, day: dt.date, tz_name: str = "UTC", dermatologist_id=None, now: dt.datetime | None = None
) -> QuerySet[AvailabilitySlot]:
    """Slots starting on `day` (a calendar day in `tz_name`, the person's timezone) that can still be booked:
    offered, with a dermatologist accepting bookings, at least the booking notice ahead, held by no consultation."""
    now = now or timezone.now()
    start, end = day_bounds(day, zone(tz_name))
    earliest = max(start, now + dt.timedelta(minutes=settings.CONSULTATION_BOOKING_NOTICE_MINUTES))
    qs = (
        AvailabilitySlot.objects.open()
        .filter(starts_at__gte=earliest, starts_at__lt=end, dermatologist__is_accepting=True)
        .exclude(Exists(Consultation.objects.active().filter(slot=OuterRef("pk"))))
        .select_related("dermatologist")
        .order_by("starts_at", "dermatologist__display_name")
    )
    if dermatologist_id:
        qs = qs.filter(dermatologist_id=dermatologist_id)
    return qs


def dermatologist_slots(*, dermatologist: DermatologistProfile, since: dt.datetime | None = None):
    since = since or timezone.now()
    return with_booked(
        AvailabilitySlot.objects.open().filter(dermatologist=dermatologist, ends_at__gt=since).order_by("starts_at")
    )


def dermatologist_slot_get(*, dermatologist: DermatologistProfile, slot_id) -> AvailabilitySlot:
    pk = parse_uuid(slot_id)
    slot = AvailabilitySlot.objects.filter(pk=pk, dermatologist=dermatologist).first() if pk else None
    if slot is None:
        raise NotFound("No such slot.", code="slot_not_found")
    return slot


# --- consultations -----------------------------------------------------------------------------------
def _consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("dermatologist", "user", "user__profile")


def consultation_list(*, user) -> QuerySet[Consultation]:
    return _consultations().owned_by(user).order_by("-starts_at")


def consultation_get(*, user, consultation_id) -> Consultation:
    """The person's own consultation, or NotFound."""
    pk = parse_uuid(consultation_id)
    consultation = consultation_list(user=user).filter(pk=pk).first() if pk else None
    if consultation is None:
        raise NotFound("No such consultation.", code="consultation_not_found")
    return consultation


def dermatologist_consultations(*, dermatologist: DermatologistProfile) -> QuerySet[Consultation]:
    return _consultations().filter(dermatologist=dermatologist).order_by("starts_at")


def dermatologist_consultation_get(*, dermatologist: DermatologistProfile, consultation_id) -> Consultation:
    """A consultation booked with this dermatologist, or NotFound."""
    pk = parse_uuid(consultation_id)
    consultation = dermatologist_consultations(dermatologist=dermatologist).filter(pk=pk).first() if pk else None
    if consultation is None:
        raise NotFound("No such consultation.", code="consultation_not_found")
    return consultation


def sharing_open(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    """The dermatologist may read what was shared while the consultation is booked, until its end plus a grace
    period for the note; completion or cancellation ends it at once."""
    now = now or timezone.now()
    grace = dt.timedelta(minutes=settings.CONSULTATION_SHARE_GRACE_MINUTES)
    return consultation.status == Consultation.Status.BOOKED and now < consultation.ends_at + grace


def has_shared_material(consultation: Consultation) -> bool:
    return bool(consultation.shared_analysis_id or (consultation.shared_before_id and consultation.shared_after_id))


def shared_material(*, consultation: Consultation, now: dt.datetime | None = None) -> dict | None:
    """What the person shared, for the dermatologist (read-only): the analysis' scores and photo, and/or the
    before/after comparison. None once sharing has ended or when nothing was shared."""
    if not has_shared_material(consultation) or not sharing_open(consultation, now):
        return None
    from analysis.models import SkinAnalysis

    ids = [consultation.shared_analysis_id, consultation.shared_before_id, consultation.shared_after_id]
    analyses = {
        a.pk: a
        for a in SkinAnalysis.objects.filter(pk__in=[i for i in ids if i], user_id=consultation.user_id, status="done")
    }
    out: dict = {"analysis": None, "comparison": None}
    if consultation.shared_analysis_id in analyses:
        out["analysis"] = analyses[consultation.shared_analysis_id]
    before, after = analyses.get(consultation.shared_before_id), analyses.get(consultation.shared_after_id)
    if before is not None and after is not None:
        from progress.services import comparison_payload

        out["comparison"] = comparison_payload(user=consultation.user, before=before, after=after)
    return out if out["analysis"] or out["comparison"] else None
