"""GDPR hooks: the person's consultations (rows go with the user: CASCADE), and for a dermatologist their profile
and published slots. Consultations booked with an erased dermatologist stay with the people who booked them
(the dermatologist link is set to null, the name kept)."""

from __future__ import annotations

from .models import AvailabilitySlot, Consultation, DermatologistProfile


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    data: dict = {
        "consultations": [
            {
                "id": str(c.id),
                "dermatologist": c.dermatologist_name,
                "starts_at": _iso(c.starts_at),
                "ends_at": _iso(c.ends_at),
                "status": c.status,
                "reason": c.reason,
                "meeting_link": c.meeting_link,
                "shared_analysis": str(c.shared_analysis_id) if c.shared_analysis_id else None,
                "shared_before": str(c.shared_before_id) if c.shared_before_id else None,
                "shared_after": str(c.shared_after_id) if c.shared_after_id else None,
                "note": c.note,
                "note_updated_at": _iso(c.note_updated_at),
                "booked_at": _iso(c.booked_at),
                "reschedule_count": c.reschedule_count,
                "cancelled_at": _iso(c.cancelled_at),
                "cancelled_by": c.cancelled_by,
                "cancel_reason": c.cancel_reason,
                "completed_at": _iso(c.completed_at),
                "created_at": _iso(c.created_at),
            }
            for c in Consultation.objects.filter(user=user).order_by("starts_at")
        ]
    }
    profile = DermatologistProfile.objects.filter(user=user).first()
    if profile is not None:
        data["dermatologist_profile"] = {
            "display_name": profile.display_name,
            "credentials": profile.credentials,
            "bio": profile.bio,
            "timezone": profile.timezone,
            "meeting_link": profile.meeting_link,
            "is_accepting": profile.is_accepting,
        }
        data["availability_slots"] = [
            {
                "id": str(s.id),
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "withdrawn_at": _iso(s.withdrawn_at),
            }
            for s in AvailabilitySlot.objects.filter(dermatologist=profile).order_by("starts_at")
        ]
    return data


def files(user) -> list[str]:
    return []  # consultations store no files (shared analyses stay the analysis app's files)
