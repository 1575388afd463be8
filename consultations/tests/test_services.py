"""Consultation services: publishing in the dermatologist's timezone, booking rules, cancel and reschedule notice,
shared material ending with the consultation, the dermatologist's note."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification
from consultations import selectors, services
from consultations.models import AvailabilitySlot, Consultation
from skincare.core.errors import DomainError, NotFound

from .factories import dermatologist, done_analysis, slot

pytestmark = pytest.mark.django_db
LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


def _codes(exc_info) -> str:
    return exc_info.value.code


# --- publishing ----------------------------------------------------------------------------------------
def test_a_slot_is_entered_in_the_dermatologists_timezone_and_stored_in_utc():
    derm = dermatologist(tz="America/New_York")
    day = timezone.now().date() + dt.timedelta(days=10)
    created = services.slot_create(dermatologist=derm, local_date=day, local_start=dt.time(9, 0), minutes=30)
    local = created.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date(), local.time()) == (day, dt.time(9, 0))
    assert created.starts_at.utcoffset() == dt.timedelta(0) or created.starts_at.tzinfo is not None
    assert created.duration_minutes == 30


def test_a_local_time_the_clocks_skip_is_refused():
    derm = dermatologist(tz="Europe/Lisbon")
    # Given the last Sunday of March, when Lisbon jumps from 01:00 to 02:00
    year = timezone.now().year + 1
    day = max(dt.date(year, 3, d) for d in range(25, 32) if dt.date(year, 3, d).weekday() == 6)
    with pytest.raises(DomainError) as exc:
        services.slot_create(dermatologist=derm, local_date=day, local_start=dt.time(1, 30), minutes=30, now=None)
    assert _codes(exc) in ("nonexistent_local_time", "slot_too_far")


def test_overlapping_slots_are_refused_and_a_series_skips_them():
    derm = dermatologist()
    day = timezone.now().date() + dt.timedelta(days=7)
    services.slot_create(dermatologist=derm, local_date=day, local_start=dt.time(9, 15), minutes=30)
    with pytest.raises(DomainError) as exc:
        services.slot_create(dermatologist=derm, local_date=day, local_start=dt.time(9, 30), minutes=30)
    assert _codes(exc) == "slot_overlap"
    result = services.slots_publish(
        dermatologist=derm,
        start_date=day,
        end_date=day + dt.timedelta(days=6),
        weekdays=[day.weekday()],
        day_start=dt.time(9, 0),
        day_end=dt.time(11, 0),
        minutes=30,
    )
    # 09:00 and 09:30 overlap the 09:15 slot; 10:00 and 10:30 are new; one weekday in the week
    assert len(result.created) == 2 and result.skipped_overlap == 2
    starts = sorted(s.starts_at.astimezone(LISBON).time() for s in AvailabilitySlot.objects.filter(dermatologist=derm))
    assert starts == [dt.time(9, 15), dt.time(10, 0), dt.time(10, 30)]


def test_publishing_refuses_bad_ranges():
    derm = dermatologist()
    day = timezone.now().date() + dt.timedelta(days=3)
    for kwargs, code in [
        ({"minutes": 5}, "invalid_duration"),
        ({"end_date": day - dt.timedelta(days=1)}, "invalid_range"),
        ({"weekdays": []}, "invalid_days"),
        ({"day_end": dt.time(8, 0)}, "invalid_hours"),
    ]:
        args = {
            "dermatologist": derm,
            "start_date": day,
            "end_date": day,
            "weekdays": [day.weekday()],
            "day_start": dt.time(9),
            "day_end": dt.time(12),
            "minutes": 30,
            **kwargs,
        }
        with pytest.raises(DomainError) as exc:
            services.slots_publish(**args)
        assert _codes(exc) == code


# --- free slots ----------------------------------------------------------------------------------------
def test_free_slots_are_the_persons_calendar_day_and_leave_out_taken_withdrawn_and_too_soon(user, other_user):
    derm = dermatologist(tz="UTC")
    day = timezone.now().date() + dt.timedelta(days=5)
    made = services.slots_publish(
        dermatologist=derm,
        start_date=day,
        end_date=day,
        weekdays=list(range(7)),
        day_start=dt.time(0, 0),
        day_end=dt.time(23, 59),
        minutes=60,
    ).created
    assert len(made) == 23
    services.consultation_book(user=other_user, slot_id=made[10].pk, reason="Acne for months")
    services.slot_withdraw(slot=made[11])
    # In UTC: 23 slots, one booked, one withdrawn
    assert len(selectors.free_slots(day=day, tz_name="UTC")) == 21
    # In Tokyo (UTC+9) that calendar day ends at 15:00 UTC: the slots from 00:00 to 14:00 UTC, less the two gone
    tokyo = list(selectors.free_slots(day=day, tz_name="Asia/Tokyo"))
    assert len(tokyo) == 13 and all(
        s.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).date() == day for s in tokyo
    )
    # A slot starting within the booking notice is not offered
    soon = slot(derm, hours_ahead=0.5)
    assert soon not in selectors.free_slots(day=soon.starts_at.date(), tz_name="UTC")


# --- booking -------------------------------------------------------------------------------------------
def test_booking_with_a_shared_analysis_notifies_both_sides(user):
    derm = dermatologist()
    free = slot(derm)
    analysis = done_analysis(user)
    consultation = services.consultation_book(
        user=user, slot_id=free.pk, reason="  Red cheeks since summer  ", share_analysis_id=analysis.pk
    )
    assert consultation.status == "booked" and consultation.reason == "Red cheeks since summer"
    assert consultation.meeting_link == "https://meet.example.com/room"
    assert (consultation.starts_at, consultation.ends_at) == (free.starts_at, free.ends_at)
    assert Notification.objects.filter(user=user, kind="consultation.booked").count() == 1
    assert Notification.objects.filter(user=derm.user, kind="consultation.new_booking").count() == 1
    material = selectors.shared_material(consultation=consultation)
    assert material["analysis"] == analysis and material["comparison"] is None


def test_booking_refuses_someone_elses_analysis_a_taken_slot_and_bad_reasons(user, other_user):
    derm = dermatologist()
    free = slot(derm)
    with pytest.raises(NotFound):
        services.consultation_book(
            user=user, slot_id=free.pk, reason="Acne", share_analysis_id=done_analysis(other_user).pk
        )
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=free.pk, reason=" ")
    assert _codes(exc) == "reason_required"
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=free.pk, reason="Acne", share_before_id=done_analysis(user).pk)
    assert _codes(exc) == "comparison_incomplete"
    services.consultation_book(user=other_user, slot_id=free.pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=free.pk, reason="Acne")
    assert _codes(exc) == "slot_taken" and exc.value.status_code == 409
    with pytest.raises(NotFound):
        services.consultation_book(user=user, slot_id="not-a-slot", reason="Acne")


def test_the_database_refuses_a_second_active_consultation_on_a_slot(user, other_user):
    # Given a booked slot, a write that bypasses the service (no lock, no check)
    derm = dermatologist()
    free = slot(derm)
    first = services.consultation_book(user=user, slot_id=free.pk, reason="Acne")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(
            user=other_user,
            dermatologist=derm,
            dermatologist_name="x",
            slot=free,
            starts_at=free.starts_at,
            ends_at=free.ends_at,
            reason="r",
            booked_at=timezone.now(),
        )
    # Then a cancelled consultation frees the slot for the next booking
    services.consultation_cancel(consultation=first, by=Consultation.CancelledBy.DERMATOLOGIST)
    assert services.consultation_book(user=other_user, slot_id=free.pk, reason="Acne").slot_id == free.pk


def test_a_person_cannot_hold_overlapping_or_too_many_bookings(user, settings):
    settings.CONSULTATION_MAX_UPCOMING = 2
    a, b = dermatologist(name="Dr A One"), dermatologist(name="Dr B Two")
    first = slot(a, hours_ahead=50)
    services.consultation_book(user=user, slot_id=first.pk, reason="Acne")
    same_time = services.slot_create(
        dermatologist=b,
        local_date=first.starts_at.astimezone(LISBON).date(),
        local_start=first.starts_at.astimezone(LISBON).time(),
        minutes=30,
    )
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=same_time.pk, reason="Acne")
    assert _codes(exc) == "overlapping_booking"
    services.consultation_book(user=user, slot_id=slot(a, hours_ahead=80).pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=slot(a, hours_ahead=100).pk, reason="Acne")
    assert _codes(exc) == "too_many_bookings"


def test_a_dermatologist_who_stops_accepting_offers_no_slot(user):
    derm = dermatologist()
    free = slot(derm)
    derm.is_accepting = False
    derm.save()
    assert not selectors.free_slots(day=free.starts_at.date(), tz_name="UTC").exists()
    with pytest.raises(DomainError) as exc:
        services.consultation_book(user=user, slot_id=free.pk, reason="Acne")
    assert _codes(exc) == "slot_unavailable"


# --- cancel and reschedule -------------------------------------------------------------------------------
def test_the_person_cancels_with_notice_the_dermatologist_any_time(user):
    derm = dermatologist()
    later = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=48).pk, reason="Acne")
    soon = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=5).pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.consultation_cancel(consultation=soon, by=Consultation.CancelledBy.PERSON)
    assert _codes(exc) == "too_late_to_cancel"
    done = services.consultation_cancel(consultation=later, by=Consultation.CancelledBy.PERSON, reason="Better now")
    assert (done.status, done.cancelled_by, done.cancel_reason) == ("cancelled", "person", "Better now")
    assert Notification.objects.filter(user=derm.user, kind="consultation.cancelled").count() == 1
    services.consultation_cancel(consultation=soon, by=Consultation.CancelledBy.DERMATOLOGIST, reason="Ill today")
    told = Notification.objects.get(user=user, kind="consultation.cancelled")
    assert "Ill today" in told.body
    with pytest.raises(DomainError) as exc:
        services.consultation_cancel(consultation=done, by=Consultation.CancelledBy.PERSON)
    assert _codes(exc) == "consultation_not_booked"


def test_reschedule_moves_to_a_free_slot_of_the_same_dermatologist(user, other_user):
    derm, other = dermatologist(), dermatologist(name="Dr B Two")
    analysis = done_analysis(user)
    consultation = services.consultation_book(
        user=user, slot_id=slot(derm, hours_ahead=48).pk, reason="Acne", share_analysis_id=analysis.pk
    )
    consultation = services.consultation_update_by_dermatologist(consultation=consultation, note="Bring products")
    old_slot = consultation.slot
    new_slot = slot(derm, hours_ahead=96)
    moved = services.consultation_reschedule(consultation=consultation, slot_id=new_slot.pk)
    assert (moved.pk, moved.slot_id, moved.starts_at) == (consultation.pk, new_slot.pk, new_slot.starts_at)
    assert moved.reschedule_count == 1 and moved.note == "Bring products" and moved.shared_analysis_id == analysis.pk
    # the old slot is free again; a slot of another dermatologist or a taken one is refused
    assert services.consultation_book(user=other_user, slot_id=old_slot.pk, reason="Spots").slot_id == old_slot.pk
    with pytest.raises(DomainError) as exc:
        services.consultation_reschedule(consultation=moved, slot_id=slot(other, hours_ahead=120).pk)
    assert _codes(exc) == "different_dermatologist"
    with pytest.raises(DomainError) as exc:
        services.consultation_reschedule(consultation=moved, slot_id=old_slot.pk)
    assert _codes(exc) == "slot_taken"


def test_reschedule_needs_the_same_notice_as_cancelling(user):
    derm = dermatologist()
    soon = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=3).pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.consultation_reschedule(consultation=soon, slot_id=slot(derm, hours_ahead=72).pk)
    assert _codes(exc) == "too_late_to_reschedule"


# --- the dermatologist's side ------------------------------------------------------------------------------
def test_sharing_ends_with_the_consultation(user):
    derm = dermatologist()
    before, after = done_analysis(user), done_analysis(user, overall_score=80)
    consultation = services.consultation_book(
        user=user,
        slot_id=slot(derm, hours_ahead=2).pk,
        reason="Acne",
        share_before_id=before.pk,
        share_after_id=after.pk,
    )
    material = selectors.shared_material(consultation=consultation)
    assert material["comparison"]["before"] == before and material["comparison"]["after"] == after
    # Still readable during the call and the grace period after it, not later
    assert selectors.shared_material(consultation=consultation, now=consultation.ends_at + dt.timedelta(minutes=30))
    assert (
        selectors.shared_material(consultation=consultation, now=consultation.ends_at + dt.timedelta(hours=2)) is None
    )
    # Completion ends it at once
    completed = services.consultation_complete(
        consultation=consultation, now=consultation.starts_at + dt.timedelta(minutes=5)
    )
    assert completed.status == "completed" and selectors.shared_material(consultation=completed) is None


def test_the_note_and_meeting_link_reach_the_person(user):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    services.consultation_update_by_dermatologist(
        consultation=consultation, note="Use SPF 50 every morning.", meeting_link="https://video.example.org/x"
    )
    consultation.refresh_from_db()
    assert consultation.note == "Use SPF 50 every morning." and consultation.note_updated_at is not None
    assert consultation.meeting_link == "https://video.example.org/x"
    told = Notification.objects.get(user=user, kind="consultation.updated")
    assert "note" in told.title and "meeting link" in told.title
    # Saving the same note again tells nobody
    services.consultation_update_by_dermatologist(consultation=consultation, note="Use SPF 50 every morning.")
    assert Notification.objects.filter(user=user, kind="consultation.updated").count() == 1


def test_a_consultation_cannot_be_completed_before_it_starts(user):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.consultation_complete(consultation=consultation)
    assert _codes(exc) == "consultation_not_started"


def test_a_booked_slot_cannot_be_withdrawn(user):
    derm = dermatologist()
    free = slot(derm)
    services.consultation_book(user=user, slot_id=free.pk, reason="Acne")
    with pytest.raises(DomainError) as exc:
        services.slot_withdraw(slot=free)
    assert _codes(exc) == "slot_booked"


def test_dermatologist_role_is_required():
    derm = dermatologist()
    assert selectors.dermatologist_for_user(derm.user) == derm
    derm.user.groups.clear()
    assert selectors.dermatologist_for_user(derm.user) is None
