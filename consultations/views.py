"""Pages: a person books, reads and manages their consultations; a dermatologist publishes availability in their
own timezone, sees their bookings and what was shared, and writes notes. Same services as the API."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skincare.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import BookForm, CancelForm, NoteForm, PublishForm
from .material import material_context
from .models import Consultation

ANALYSIS_CHOICES = 60


def _day(request, tz_name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.now().astimezone(selectors.zone(tz_name)).date()


def _done_analyses(user):
    from analysis.models import SkinAnalysis

    return list(SkinAnalysis.objects.owned_by(user).done().order_by("-created_at")[:ANALYSIS_CHOICES])


def _local(value, tz_name):
    return value.astimezone(selectors.zone(tz_name)) if value else None


# --- the person's pages ------------------------------------------------------------------------------
@login_required
@require_GET
def consultation_list(request):
    tz_name = selectors.person_zone_name(request.user)
    now = timezone.now()
    rows = list(selectors.consultation_list(user=request.user)[:100])
    for c in rows:
        c.local_start = _local(c.starts_at, tz_name)
    upcoming = sorted((c for c in rows if c.status == "booked" and c.ends_at > now), key=lambda c: c.starts_at)
    past = [c for c in rows if c not in upcoming]
    return render(
        request,
        "consultations/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "tz": tz_name,
            "is_dermatologist": selectors.dermatologist_for_user(request.user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request):
    tz_name = selectors.person_zone_name(request.user)
    analyses = _done_analyses(request.user)
    form = BookForm(request.POST or None, analyses=analyses)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.consultation_book(
                    user=request.user,
                    slot_id=data["slot"],
                    reason=data["reason"],
                    share_analysis_id=data.get("share_analysis") or None,
                    share_before_id=data.get("share_before") or None,
                    share_after_id=data.get("share_after") or None,
                )
            except DomainError as exc:
                messages.error(request, exc.detail)
            else:
                messages.success(request, _("Booked. You will get a reminder before it starts."))
                return redirect("consultations:detail", pk=consultation.pk)
        else:
            messages.error(request, _("Pick a time and say why you want to consult."))
    day = _day(request, tz_name)
    slots = list(selectors.free_slots(day=day, tz_name=tz_name))
    for slot in slots:
        slot.local_start = _local(slot.starts_at, tz_name)
    return render(
        request,
        "consultations/book.html",
        {
            "form": form,
            "slots": slots,
            "day": day,
            "tz": tz_name,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "dermatologists": list(selectors.dermatologists_accepting()),
        },
    )


def _mine(request, pk) -> Consultation:
    try:
        return selectors.consultation_get(user=request.user, consultation_id=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def detail(request, pk):
    consultation = _mine(request, pk)
    tz_name = selectors.person_zone_name(request.user)
    other_slots = []
    day = _day(request, tz_name)
    if services.person_may_change(consultation) and consultation.dermatologist_id:
        other_slots = [
            s
            for s in selectors.free_slots(day=day, tz_name=tz_name, dermatologist_id=consultation.dermatologist_id)
            if s.pk != consultation.slot_id
        ]
        for slot in other_slots:
            slot.local_start = _local(slot.starts_at, tz_name)
    return render(
        request,
        "consultations/detail.html",
        {
            "c": consultation,
            "local_start": _local(consultation.starts_at, tz_name),
            "tz": tz_name,
            "may_change": services.person_may_change(consultation),
            "other_slots": other_slots,
            "day": day,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "cancel_form": CancelForm(),
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    consultation = _mine(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.consultation_cancel(consultation=consultation, by=Consultation.CancelledBy.PERSON, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Cancelled. The dermatologist is told."))
    return redirect("consultations:detail", pk=consultation.pk)


@login_required
@require_POST
def reschedule(request, pk):
    consultation = _mine(request, pk)
    try:
        services.consultation_reschedule(consultation=consultation, slot_id=request.POST.get("slot", ""))
    except NotFound:
        messages.error(request, _("That time is no longer offered."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Moved. The dermatologist is told."))
    return redirect("consultations:detail", pk=consultation.pk)


# --- the dermatologist's pages -----------------------------------------------------------------------
def dermatologist_required(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        profile = selectors.dermatologist_for_user(request.user)
        if profile is None:
            raise PermissionDenied
        request.dermatologist = profile
        return view(request, *args, **kwargs)

    return wrapped


@dermatologist_required
@require_http_methods(["GET", "POST"])
def dermatologist_home(request):
    derm = request.dermatologist
    tz_name = derm.timezone
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.slots_publish(dermatologist=derm, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            skipped = result.skipped_overlap + result.skipped_past + result.skipped_nonexistent
            count = len(result.created)
            published = ngettext("Published %(count)d slot.", "Published %(count)d slots.", count) % {"count": count}
            if skipped:
                published += " " + ngettext(
                    "Skipped %(count)d (overlapping, past, or not on the clock that day).",
                    "Skipped %(count)d (overlapping, past, or not on the clock that day).",
                    skipped,
                ) % {"count": skipped}
            messages.success(request, published)
            return redirect("consultations:dermatologist")
    elif request.method == "POST":
        messages.error(request, _("Check the form: the fields marked below need a change."))
    now = timezone.now()
    bookings = list(
        selectors.dermatologist_consultations(dermatologist=derm).filter(
            status=Consultation.Status.BOOKED, ends_at__gt=now - dt.timedelta(hours=12)
        )[:200]
    )
    for c in bookings:
        c.local_start = _local(c.starts_at, tz_name)
        c.shared = selectors.has_shared_material(c)
    slots = list(selectors.dermatologist_slots(dermatologist=derm)[:300])
    for slot in slots:
        slot.local_start = _local(slot.starts_at, tz_name)
        slot.local_end = _local(slot.ends_at, tz_name)
    return render(
        request,
        "consultations/dermatologist.html",
        {"derm": derm, "bookings": bookings, "slots": slots, "form": form, "tz": tz_name},
    )


@dermatologist_required
@require_POST
def dermatologist_slot_withdraw(request, pk):
    try:
        slot = selectors.dermatologist_slot_get(dermatologist=request.dermatologist, slot_id=pk)
        services.slot_withdraw(slot=slot)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The slot is off your calendar."))
    return redirect("consultations:dermatologist")


def _booked_with_me(request, pk) -> Consultation:
    try:
        return selectors.dermatologist_consultation_get(dermatologist=request.dermatologist, consultation_id=pk)
    except NotFound as exc:
        raise Http404 from exc


@dermatologist_required
@require_http_methods(["GET", "POST"])
def dermatologist_detail(request, pk):
    consultation = _booked_with_me(request, pk)
    form = NoteForm(
        request.POST or None, initial={"note": consultation.note, "meeting_link": consultation.meeting_link}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update_by_dermatologist(
                consultation=consultation,
                note=form.cleaned_data["note"],
                meeting_link=form.cleaned_data["meeting_link"]
                if consultation.status == Consultation.Status.BOOKED
                else None,
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Saved. The person can read it in the app."))
            return redirect("consultations:dermatologist-detail", pk=consultation.pk)
    material = selectors.shared_material(consultation=consultation)
    return render(
        request,
        "consultations/dermatologist_detail.html",
        {
            "c": consultation,
            "local_start": _local(consultation.starts_at, request.dermatologist.timezone),
            "tz": request.dermatologist.timezone,
            "form": form,
            "material": material_context(material, consultation, request),
            "had_material": selectors.has_shared_material(consultation),
            "cancel_form": CancelForm(),
        },
    )


@dermatologist_required
@require_POST
def dermatologist_status(request, pk):
    consultation = _booked_with_me(request, pk)
    action = request.POST.get("action")
    try:
        if action in ("complete", "no_show"):
            services.consultation_complete(consultation=consultation, no_show=action == "no_show")
            messages.success(request, _("Marked. Shared material is closed."))
        elif action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
            services.consultation_cancel(
                consultation=consultation, by=Consultation.CancelledBy.DERMATOLOGIST, reason=reason
            )
            messages.success(request, _("Cancelled. The person is told."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("consultations:dermatologist-detail", pk=consultation.pk)
