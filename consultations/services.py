"""Writes of the consultations app: publish availability, book, cancel, reschedule, the dermatologist's note.

Times: slots are published as local times in the dermatologist's timezone and stored in UTC (a local time that does
not exist because the clocks jump forward is refused or skipped; an ambiguous one takes its first occurrence).

No double booking: `consultation_book` and `consultation_reschedule` claim the slot row with SELECT ... FOR UPDATE
and check it is free inside that lock; the partial unique constraint `one_active_consultation_per_slot` is the
backstop whatever the code path (its IntegrityError becomes the same `slot_taken` answer).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from accounts.models import validate_timezone
from skincare.core.errors import DomainError, NotFound
from skincare.core.i18n import recipient_language
from skincare.core.roles import DERMATOLOGIST

from . import selectors
from .models import AvailabilitySlot, Consultation, DermatologistProfile

SLOT_MIN_MINUTES = 10
SLOT_MAX_MINUTES = 240
PUBLISH_HORIZON_DAYS = 180
PUBLISH_MAX_SLOTS = 500
REASON_MAX = 2000
NOTE_MAX = 10000
MAX_RESCHEDULES = 3


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def local_to_utc(day: dt.date, at: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The UTC instant of a wall-clock time in `tz`; None when that local time does not exist (DST gap).
    An ambiguous time (clocks going back) is its first occurrence (fold=0)."""
    local = dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    utc = local.astimezone(dt.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # the round trip moved it: the clocks skipped this time
    return utc


# --- dermatologists ----------------------------------------------------------------------------------
@transaction.atomic
def dermatologist_grant(
    *, user, display_name: str, timezone_name: str = "UTC", credentials: str = "", meeting_link: str = ""
) -> DermatologistProfile:
    """Make a staff member a dermatologist: staff flag, the `dermatologist` role, a profile people see."""
    try:
        validate_timezone(timezone_name)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_timezone", errors={"timezone": exc.messages}) from exc
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group, _created = Group.objects.get_or_create(name=DERMATOLOGIST)
    user.groups.add(group)
    profile, _updated = DermatologistProfile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": display_name.strip()[:120] or user.get_full_name(),
            "timezone": timezone_name,
            "credentials": credentials[:200],
            "meeting_link": meeting_link[:500],
        },
    )
    return profile


# --- availability ------------------------------------------------------------------------------------
def _check_minutes(minutes: int) -> None:
    if not SLOT_MIN_MINUTES <= int(minutes) <= SLOT_MAX_MINUTES:
        limits = {"low": SLOT_MIN_MINUTES, "high": SLOT_MAX_MINUTES}
        raise DomainError(
            _("A slot lasts %(low)d to %(high)d minutes.") % limits,
            code="invalid_duration",
            errors={"minutes": [_("From %(low)d to %(high)d.") % limits]},
        )


def _overlaps(dermatologist: DermatologistProfile, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
    return (
        AvailabilitySlot.objects.open()
        .filter(dermatologist=dermatologist, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exists()
    )


def _lock(dermatologist: DermatologistProfile) -> None:
    """Serialise publishing per dermatologist, so that two publishes cannot both pass the overlap check."""
    DermatologistProfile.objects.select_for_update().filter(pk=dermatologist.pk).first()


@transaction.atomic
def slot_create(
    *,
    dermatologist: DermatologistProfile,
    local_date: dt.date,
    local_start: dt.time,
    minutes: int,
    meeting_link: str = "",
    now: dt.datetime | None = None,
) -> AvailabilitySlot:
    """One slot at a local date and time in the dermatologist's timezone."""
    _check_minutes(minutes)
    starts_at = local_to_utc(local_date, local_start, selectors.zone(dermatologist.timezone))
    if starts_at is None:
        raise DomainError(
            _("%(date)s %(time)s does not exist in %(zone)s (the clocks skip it).")
            % {"date": local_date.isoformat(), "time": f"{local_start:%H:%M}", "zone": dermatologist.timezone},
            code="nonexistent_local_time",
            errors={"local_start": [_("This local time does not exist on that day.")]},
        )
    now = _now(now)
    if starts_at <= now:
        raise DomainError(
            _("A slot must start in the future."), code="slot_in_past", errors={"local_date": [_("In the past.")]}
        )
    if starts_at > now + dt.timedelta(days=PUBLISH_HORIZON_DAYS):
        raise DomainError(
            _("Publish slots at most %(days)d days ahead.") % {"days": PUBLISH_HORIZON_DAYS},
            code="slot_too_far",
            errors={"local_date": [_("Too far ahead.")]},
        )
    ends_at = starts_at + dt.timedelta(minutes=int(minutes))
    _lock(dermatologist)
    if _overlaps(dermatologist, starts_at, ends_at):
        raise DomainError(
            _("This time overlaps one of your slots."),
            code="slot_overlap",
            errors={"local_start": [_("Overlaps another slot.")]},
        )
    return AvailabilitySlot.objects.create(
        dermatologist=dermatologist, starts_at=starts_at, ends_at=ends_at, meeting_link=meeting_link[:500]
    )


@dataclass
class PublishResult:
    created: list[AvailabilitySlot]
    skipped_overlap: int
    skipped_past: int
    skipped_nonexistent: int


@transaction.atomic
def slots_publish(
    *,
    dermatologist: DermatologistProfile,
    start_date: dt.date,
    end_date: dt.date,
    weekdays: list[int],
    day_start: dt.time,
    day_end: dt.time,
    minutes: int,
    meeting_link: str = "",
    now: dt.datetime | None = None,
) -> PublishResult:
    """A series: every chosen weekday (Monday = 0) from start to end date, back-to-back slots of `minutes` between
    day_start and day_end (local times in the dermatologist's timezone). Times that overlap an existing slot, lie
    in the past or do not exist (DST) are skipped and counted."""
    _check_minutes(minutes)
    if end_date < start_date:
        raise DomainError(
            _("The last day is before the first."),
            code="invalid_range",
            errors={"end_date": [_("Before the first day.")]},
        )
    if (end_date - start_date).days > PUBLISH_HORIZON_DAYS:
        raise DomainError(
            _("Publish at most %(days)d days at once.") % {"days": PUBLISH_HORIZON_DAYS},
            code="invalid_range",
            errors={"end_date": [_("Too far from the first day.")]},
        )
    days = sorted({int(d) for d in weekdays or []})
    if not days or any(d < 0 or d > 6 for d in days):
        raise DomainError(
            _("Pick weekdays (Monday = 0 … Sunday = 6)."),
            code="invalid_days",
            errors={"weekdays": [_("Pick at least one weekday.")]},
        )
    if dt.datetime.combine(start_date, day_end) <= dt.datetime.combine(start_date, day_start):
        raise DomainError(
            _("The day ends before it starts."),
            code="invalid_hours",
            errors={"day_end": [_("Before the start of the day.")]},
        )
    tz = selectors.zone(dermatologist.timezone)
    now = _now(now)
    horizon = now + dt.timedelta(days=PUBLISH_HORIZON_DAYS)
    step = dt.timedelta(minutes=int(minutes))
    _lock(dermatologist)
    existing = list(
        AvailabilitySlot.objects.open()
        .filter(
            dermatologist=dermatologist,
            starts_at__lt=local_to_utc(end_date + dt.timedelta(days=2), dt.time(0), dt.UTC) or horizon,
            ends_at__gt=local_to_utc(start_date - dt.timedelta(days=1), dt.time(0), dt.UTC) or now,
        )
        .values_list("starts_at", "ends_at")
    )
    planned: list[AvailabilitySlot] = []
    result = PublishResult(created=[], skipped_overlap=0, skipped_past=0, skipped_nonexistent=0)
    day = start_date
    while day <= end_date:
        if day.weekday() in days:
            local = dt.datetime.combine(day, day_start)
            last = dt.datetime.combine(day, day_end)
            while local + step <= last:
                starts_at = local_to_utc(day, local.time(), tz)
                if starts_at is None:
                    result.skipped_nonexistent += 1
                elif starts_at <= now or starts_at > horizon:
                    result.skipped_past += 1
                else:
                    ends_at = starts_at + step
                    if any(s < ends_at and e > starts_at for s, e in existing):
                        result.skipped_overlap += 1
                    else:
                        planned.append(
                            AvailabilitySlot(
                                dermatologist=dermatologist,
                                starts_at=starts_at,
                                ends_at=ends_at,
                                meeting_link=meeting_link[:500],
                            )
                        )
                        existing.append((starts_at, ends_at))
                local += step
        day += dt.timedelta(days=1)
    if len(planned) > PUBLISH_MAX_SLOTS:
        raise DomainError(
            _("That is %(count)d slots; publish at most %(most)d at once.")
            % {"count": len(planned), "most": PUBLISH_MAX_SLOTS},
            code="too_many_slots",
            errors={"end_date": [_("Too many slots.")]},
        )
    result.created = AvailabilitySlot.objects.bulk_create(planned)
    return result


@transaction.atomic
def slot_withdraw(*, slot: AvailabilitySlot, now: dt.datetime | None = None) -> AvailabilitySlot:
    """Take a free slot off the calendar. A booked one must have its consultation cancelled first."""
    slot = AvailabilitySlot.objects.select_for_update().get(pk=slot.pk)
    if Consultation.objects.filter(slot=slot, status=Consultation.Status.BOOKED).exists():
        raise DomainError(
            _("Someone booked this slot: cancel the consultation first (they are told)."), code="slot_booked"
        )
    if slot.withdrawn_at is None:
        slot.withdrawn_at = _now(now)
        slot.save(update_fields=["withdrawn_at"])
    return slot


# --- booking -----------------------------------------------------------------------------------------
def _clean_reason(reason: str) -> str:
    text = (reason or "").strip()
    if len(text) < 3:
        message = _("Say in a few words why you want to see a dermatologist.")
        raise DomainError(message, code="reason_required", errors={"reason": [message]})
    if len(text) > REASON_MAX:
        message = _("At most %(count)d characters.") % {"count": REASON_MAX}
        raise DomainError(message, code="reason_too_long", errors={"reason": [message]})
    return text


def _shared(*, user, analysis_id=None, before_id=None, after_id=None) -> dict:
    """The person's own finished analyses to share (404 for anyone else's)."""
    from analysis.selectors import analysis_get

    def done(analysis_id, field: str):
        analysis = analysis_get(user=user, analysis_id=analysis_id)
        if analysis.status != "done":
            raise DomainError(
                _("Only a finished analysis can be shared."),
                code="analysis_not_done",
                errors={field: [_("This analysis is not finished.")]},
            )
        return analysis

    out: dict = {"shared_analysis": None, "shared_before": None, "shared_after": None}
    if analysis_id:
        out["shared_analysis"] = done(analysis_id, "share_analysis")
    if bool(before_id) != bool(after_id):
        raise DomainError(
            _("A before/after comparison needs both analyses."),
            code="comparison_incomplete",
            errors={"share_after" if before_id else "share_before": [_("Needed with the other one.")]},
        )
    if before_id:
        if str(before_id) == str(after_id):
            message = _("Pick two different analyses.")
            raise DomainError(message, code="same_analysis", errors={"share_after": [message]})
        out["shared_before"] = done(before_id, "share_before")
        out["shared_after"] = done(after_id, "share_after")
    return out


def _slot_taken() -> DomainError:
    return DomainError(_("Someone just booked this slot. Pick another one."), code="slot_taken", status_code=409)


def _claim_slot(slot_id, *, now: dt.datetime) -> AvailabilitySlot:
    """Lock the slot row (SELECT ... FOR UPDATE) and check it can be booked; call inside a transaction."""
    pk = selectors.parse_uuid(slot_id)
    slot = (
        AvailabilitySlot.objects.select_for_update(of=("self",)).select_related("dermatologist").filter(pk=pk).first()
        if pk
        else None
    )
    if slot is None:
        raise NotFound(_("No such slot."), code="slot_not_found")
    if slot.withdrawn_at is not None or not slot.dermatologist.is_accepting:
        raise DomainError(_("This slot is no longer offered."), code="slot_unavailable", status_code=409)
    notice = dt.timedelta(minutes=settings.CONSULTATION_BOOKING_NOTICE_MINUTES)
    if slot.starts_at < now + notice:
        raise DomainError(
            _("This slot starts too soon: book at least %(minutes)d minutes ahead.")
            % {"minutes": settings.CONSULTATION_BOOKING_NOTICE_MINUTES},
            code="too_late_to_book",
        )
    if Consultation.objects.active().filter(slot=slot).exists():
        raise _slot_taken()
    return slot


def _check_person_calendar(*, user, slot: AvailabilitySlot, now: dt.datetime, exclude=None) -> None:
    upcoming = Consultation.objects.owned_by(user).filter(status=Consultation.Status.BOOKED, ends_at__gt=now)
    if exclude is not None:
        upcoming = upcoming.exclude(pk=exclude.pk)
    if upcoming.filter(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at).exists():
        raise DomainError(_("You already have a consultation at that time."), code="overlapping_booking")
    if exclude is None and upcoming.count() >= settings.CONSULTATION_MAX_UPCOMING:
        raise DomainError(
            _("You can hold %(count)d upcoming consultations at most.") % {"count": settings.CONSULTATION_MAX_UPCOMING},
            code="too_many_bookings",
        )


def consultation_book(
    *,
    user,
    slot_id,
    reason: str,
    share_analysis_id=None,
    share_before_id=None,
    share_after_id=None,
    now: dt.datetime | None = None,
) -> Consultation:
    """Book a free slot for the person, with a reason and optionally an analysis or a before/after pair shared
    with the dermatologist for this consultation only."""
    now = _now(now)
    reason = _clean_reason(reason)
    shared = _shared(user=user, analysis_id=share_analysis_id, before_id=share_before_id, after_id=share_after_id)
    try:
        with transaction.atomic():
            slot = _claim_slot(slot_id, now=now)
            _check_person_calendar(user=user, slot=slot, now=now)
            derm = slot.dermatologist
            consultation = Consultation.objects.create(
                user=user,
                dermatologist=derm,
                dermatologist_name=derm.display_name,
                slot=slot,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                reason=reason,
                meeting_link=slot.meeting_link or derm.meeting_link,
                booked_at=now,
                **shared,
            )
            _notify_booked(consultation)
    except IntegrityError as exc:  # the constraint caught what the lock could not (another code path)
        raise _slot_taken() from exc
    return consultation


def _when(consultation: Consultation, tz_name: str) -> str:
    """The start in `tz_name`, in the active language's day and month names (call it inside the recipient's)."""
    return _when_at(consultation.starts_at, tz_name)


def _when_at(starts_at: dt.datetime, tz_name: str) -> str:
    local = starts_at.astimezone(selectors.zone(tz_name))
    return f"{dateformat.format(local, 'D j M Y, H:i')} ({tz_name})"


def _updated_title(name: str, told: list[str]) -> str:
    if told == ["note"]:
        return _("%(name)s wrote you a note") % {"name": name}
    if told == ["link"]:
        return _("%(name)s set the meeting link") % {"name": name}
    return _("%(name)s wrote you a note and set the meeting link") % {"name": name}


def _notify(user, *, kind: str, words, url: str, consultation: Consultation) -> None:
    """An inbox notification for `user`, its `words()` (title, body) written in their language, not the sender's."""
    from accounts.services import notification_create

    with recipient_language(user):
        title, body = words()
    notification_create(
        user=user, kind=kind, title=title, body=body, url=url, data={"consultation": str(consultation.pk)}
    )


def _notify_booked(consultation: Consultation) -> None:
    name = consultation.dermatologist_name
    _notify(
        consultation.user,
        kind="consultation.booked",
        words=lambda: (
            _("Consultation booked with %(name)s") % {"name": name},
            _("%(when)s. You will be reminded before it starts.")
            % {"when": _when(consultation, selectors.person_zone_name(consultation.user))},
        ),
        url=reverse("consultations:detail", kwargs={"pk": consultation.pk}),
        consultation=consultation,
    )
    derm = consultation.dermatologist
    if derm is not None:
        _notify(
            derm.user,
            kind="consultation.new_booking",
            words=lambda: (
                _("New consultation booked"),
                _("%(when)s: %(reason)s")
                % {"when": _when(consultation, derm.timezone), "reason": consultation.reason[:200]},
            ),
            url=reverse("consultations:dermatologist-detail", kwargs={"pk": consultation.pk}),
            consultation=consultation,
        )


def _require_booked(consultation: Consultation) -> None:
    if consultation.status != Consultation.Status.BOOKED:
        raise DomainError(
            _("This consultation is no longer booked (%(status)s).") % {"status": consultation.get_status_display()},
            code="consultation_not_booked",
        )


def _enough_notice(consultation: Consultation, now: dt.datetime) -> bool:
    return consultation.starts_at - now >= dt.timedelta(hours=settings.CONSULTATION_CANCEL_NOTICE_HOURS)


def person_may_change(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    """The person may still cancel or reschedule: booked, and at least the notice period ahead."""
    return consultation.status == Consultation.Status.BOOKED and _enough_notice(consultation, _now(now))


def _check_notice(consultation: Consultation, now: dt.datetime, what: str) -> None:
    hours = {"hours": settings.CONSULTATION_CANCEL_NOTICE_HOURS}
    if not _enough_notice(consultation, now):
        if what == "cancel":
            message = _("It starts in less than %(hours)d hours, too late to cancel here: contact the clinic.") % hours
        else:
            message = _("It starts in less than %(hours)d hours, too late to move it here: contact the clinic.") % hours
        raise DomainError(message, code=f"too_late_to_{what}")


@transaction.atomic
def consultation_cancel(
    *, consultation: Consultation, by: str, reason: str = "", now: dt.datetime | None = None
) -> Consultation:
    """Cancel a booked consultation. The person needs CONSULTATION_CANCEL_NOTICE_HOURS' notice; the dermatologist
    and staff may cancel at any time. The other side is told; the slot is free again."""
    now = _now(now)
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("dermatologist__user")
        .get(pk=consultation.pk)
    )
    _require_booked(consultation)
    if by not in Consultation.CancelledBy.values:
        raise ValueError(f"unknown canceller {by!r}")
    if by == Consultation.CancelledBy.PERSON:
        _check_notice(consultation, now, "cancel")
    consultation.status = Consultation.Status.CANCELLED
    consultation.cancelled_at = now
    consultation.cancelled_by = by
    consultation.cancel_reason = (reason or "").strip()[:2000]
    consultation.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    if by == Consultation.CancelledBy.PERSON:
        if consultation.dermatologist is not None:
            derm = consultation.dermatologist
            _notify(
                derm.user,
                kind="consultation.cancelled",
                words=lambda: (
                    _("A consultation was cancelled"),
                    _("%(when)s: the slot is free again.") % {"when": _when(consultation, derm.timezone)},
                ),
                url=reverse("consultations:dermatologist"),
                consultation=consultation,
            )
    else:
        _notify(
            consultation.user,
            kind="consultation.cancelled",
            words=lambda: (
                _("%(name)s cancelled your consultation") % {"name": consultation.dermatologist_name},
                _("%(when)s. %(reason)s")
                % {
                    "when": _when(consultation, selectors.person_zone_name(consultation.user)),
                    "reason": consultation.cancel_reason or _("Book another time that suits you."),
                },
            ),
            url=reverse("consultations:book"),
            consultation=consultation,
        )
    return consultation


def consultation_reschedule(*, consultation: Consultation, slot_id, now: dt.datetime | None = None) -> Consultation:
    """Move a booked consultation to another free slot of the same dermatologist (same notice as cancelling).
    It keeps its id, reason, shared material and note."""
    now = _now(now)
    try:
        with transaction.atomic():
            current = Consultation.objects.select_for_update().get(pk=consultation.pk)
            _require_booked(current)
            _check_notice(current, now, "reschedule")
            if current.reschedule_count >= MAX_RESCHEDULES:
                raise DomainError(
                    _("A consultation can be moved %(count)d times; cancel it and book again.")
                    % {"count": MAX_RESCHEDULES},
                    code="too_many_reschedules",
                )
            slot = _claim_slot(slot_id, now=now)
            if slot.pk == current.slot_id:
                raise DomainError(_("That is the slot you have already."), code="same_slot")
            if slot.dermatologist_id != current.dermatologist_id:
                raise DomainError(
                    _("Reschedule with the same dermatologist; to see someone else, cancel and book again."),
                    code="different_dermatologist",
                )
            _check_person_calendar(user=current.user, slot=slot, now=now, exclude=current)
            previous = {"tz": slot.dermatologist.timezone, "starts_at": current.starts_at}
            current.slot = slot
            current.starts_at, current.ends_at = slot.starts_at, slot.ends_at
            current.meeting_link = slot.meeting_link or slot.dermatologist.meeting_link or current.meeting_link
            current.booked_at = now
            current.reschedule_count += 1
            current.save(
                update_fields=["slot", "starts_at", "ends_at", "meeting_link", "booked_at", "reschedule_count"]
            )
            derm_zone = slot.dermatologist.timezone
            _notify(
                slot.dermatologist.user,
                kind="consultation.rescheduled",
                words=lambda: (
                    _("A consultation was moved"),
                    _("From %(before)s to %(after)s.")
                    % {"before": _when_at(previous["starts_at"], derm_zone), "after": _when(current, derm_zone)},
                ),
                url=reverse("consultations:dermatologist-detail", kwargs={"pk": current.pk}),
                consultation=current,
            )
    except IntegrityError as exc:
        raise _slot_taken() from exc
    return current


# --- the dermatologist's side ------------------------------------------------------------------------
@transaction.atomic
def consultation_update_by_dermatologist(
    *, consultation: Consultation, note: str | None = None, meeting_link: str | None = None
) -> Consultation:
    """Write the note or recommendation the person reads in the app, or set the meeting link. The person is told
    when either changes."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    fields = []
    told = []
    if note is not None:
        text = note.strip()
        if len(text) > NOTE_MAX:
            message = _("At most %(count)d characters.") % {"count": NOTE_MAX}
            raise DomainError(message, code="note_too_long", errors={"note": [message]})
        if text != consultation.note:
            consultation.note, consultation.note_updated_at = text, timezone.now()
            fields += ["note", "note_updated_at"]
            if text:
                told.append("note")
    if meeting_link is not None and meeting_link.strip() != consultation.meeting_link:
        if consultation.status != Consultation.Status.BOOKED:
            raise DomainError(_("The meeting link is for an upcoming consultation."), code="consultation_not_booked")
        consultation.meeting_link = meeting_link.strip()[:500]
        fields.append("meeting_link")
        told.append("link")
    if fields:
        consultation.save(update_fields=[*fields, "updated_at"])
    if told:
        _notify(
            consultation.user,
            kind="consultation.updated",
            words=lambda: (
                _updated_title(consultation.dermatologist_name, told),
                consultation.note[:300] if "note" in fields else consultation.meeting_link,
            ),
            url=reverse("consultations:detail", kwargs={"pk": consultation.pk}),
            consultation=consultation,
        )
    return consultation


@transaction.atomic
def consultation_complete(
    *, consultation: Consultation, no_show: bool = False, now: dt.datetime | None = None
) -> Consultation:
    """The consultation took place (or the person did not come). Sharing ends with it."""
    now = _now(now)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_booked(consultation)
    if consultation.starts_at > now:
        raise DomainError(_("It has not started yet."), code="consultation_not_started")
    consultation.status = Consultation.Status.NO_SHOW if no_show else Consultation.Status.COMPLETED
    consultation.completed_at = now
    consultation.save(update_fields=["status", "completed_at", "updated_at"])
    return consultation
