"""Admin: dermatologists, availability (entered in the dermatologist's timezone), consultations.

A member of the `dermatologist` role (not a superuser or admin) sees and edits only their own profile, slots and
consultations. Writes go through the services: a slot is created from a local date and time, cancelling and
completing are admin actions, and a booking's note or meeting link is saved by the dermatologist's service (the
person is told).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from skincare.core.admin_scale import LargeTableAdmin, values_filter
from skincare.core.errors import DomainError
from skincare.core.roles import ADMIN

from . import services
from .models import AvailabilitySlot, Consultation, DermatologistProfile


def _own_only(request) -> bool:
    """True for a dermatologist who is not also an administrator: they see their own rows only."""
    user = request.user
    return not user.is_superuser and not user.groups.filter(name=ADMIN).exists()


def _local(value, tz_name: str) -> str:
    from .selectors import zone

    return f"{dateformat.format(value.astimezone(zone(tz_name)), 'D j M Y H:i')} ({tz_name})" if value else "—"


def _link_field() -> forms.URLField:
    return forms.URLField(required=False, max_length=500, assume_scheme="https")


class DermatologistProfileForm(forms.ModelForm):
    meeting_link = _link_field()

    class Meta:
        model = DermatologistProfile
        fields = ("user", "display_name", "credentials", "bio", "timezone", "meeting_link", "is_accepting")


@admin.register(DermatologistProfile)
class DermatologistProfileAdmin(admin.ModelAdmin):
    form = DermatologistProfileForm
    list_display = ("display_name", "user", "timezone", "is_accepting", "created_at")
    list_filter = ("is_accepting",)
    search_fields = ("display_name", "user__email")
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        return qs.filter(user=request.user) if _own_only(request) else qs

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # the role and the staff flag come with the profile
            services.dermatologist_grant(
                user=obj.user,
                display_name=obj.display_name,
                timezone_name=obj.timezone,
                credentials=obj.credentials,
                meeting_link=obj.meeting_link,
            )


class SlotAddForm(forms.ModelForm):
    """A slot is entered as a local date and time in the dermatologist's timezone; services convert it to UTC."""

    local_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Date (their timezone)"))
    local_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label=_("Start (their timezone)"))
    minutes = forms.IntegerField(min_value=services.SLOT_MIN_MINUTES, max_value=services.SLOT_MAX_MINUTES, initial=30)
    meeting_link = _link_field()

    class Meta:
        model = AvailabilitySlot
        fields = ("dermatologist", "meeting_link")

    def clean(self):
        data = super().clean()
        derm = data.get("dermatologist")
        if derm and data.get("local_date") and data.get("local_start") and data.get("minutes"):
            try:
                self.instance = services.slot_create(
                    dermatologist=derm,
                    local_date=data["local_date"],
                    local_start=data["local_start"],
                    minutes=data["minutes"],
                    meeting_link=data.get("meeting_link") or "",
                )
            except DomainError as exc:
                raise ValidationError(exc.detail) from exc
        return data


@admin.register(AvailabilitySlot)
class AvailabilitySlotAdmin(LargeTableAdmin):
    list_display = ("starts_at", "local_time", "dermatologist", "duration_minutes", "withdrawn_at")
    list_filter = ("withdrawn_at",)
    list_select_related = ("dermatologist",)
    search_fields = ("dermatologist__display_name",)
    search_uuid_fields = ("pk",)
    date_hierarchy = "starts_at"
    ordering = ("starts_at",)
    actions = ["withdraw"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(dermatologist__user=request.user) if _own_only(request) else qs

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = SlotAddForm if obj is None else SlotChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("dermatologist", "local_date", "local_start", "minutes", "meeting_link")
        return ("dermatologist", "local_time", "starts_at", "ends_at", "meeting_link", "withdrawn_at", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("dermatologist", "local_time", "starts_at", "ends_at", "withdrawn_at", "created_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dermatologist" and _own_only(request):
            kwargs["queryset"] = DermatologistProfile.objects.filter(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # an added slot was created by services.slot_create in the form's clean()

    @admin.display(description=_("Local time"))
    def local_time(self, obj):
        return _local(obj.starts_at, obj.dermatologist.timezone)

    @admin.action(description=_("Withdraw the selected free slots"))
    def withdraw(self, request, queryset):
        done = 0
        for slot in queryset:
            try:
                services.slot_withdraw(slot=slot)
                done += 1
            except DomainError as exc:
                self.message_user(
                    request, f"{_local(slot.starts_at, slot.dermatologist.timezone)}: {exc.detail}", messages.WARNING
                )
        self.message_user(
            request,
            ngettext("%(count)d slot withdrawn.", "%(count)d slots withdrawn.", done) % {"count": done},
            messages.SUCCESS,
        )


class SlotChangeForm(forms.ModelForm):
    meeting_link = _link_field()

    class Meta:
        model = AvailabilitySlot
        fields = ("meeting_link",)


class ConsultationForm(forms.ModelForm):
    meeting_link = _link_field()

    class Meta:
        model = Consultation
        fields = ("note", "meeting_link")


@admin.register(Consultation)
class ConsultationAdmin(LargeTableAdmin):
    form = ConsultationForm
    list_display = ("starts_at", "local_time", "dermatologist_name", "user", "status", "has_note")
    list_filter = (values_filter("status", Consultation.Status.choices),)
    list_select_related = ("user", "dermatologist")
    search_fields = ("user__email",)
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    fields = (
        "user",
        "dermatologist_name",
        "local_time",
        "status",
        "reason",
        "meeting_link",
        "note",
        "note_updated_at",
        "shared_analysis",
        "shared_before",
        "shared_after",
        "booked_at",
        "reschedule_count",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "completed_at",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ConsultationForm.Meta.fields)  # staff write note and link
    actions = ["cancel_by_staff", "mark_completed"]

    def has_add_permission(self, request):
        return False  # people book through the app (the booking rules live in the service)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(dermatologist__user=request.user) if _own_only(request) else qs

    def save_model(self, request, obj, form, change):
        services.consultation_update_by_dermatologist(
            consultation=obj,
            note=form.cleaned_data.get("note"),
            meeting_link=form.cleaned_data.get("meeting_link") if obj.status == Consultation.Status.BOOKED else None,
        )

    @admin.display(description=_("Local time (dermatologist)"))
    def local_time(self, obj):
        return _local(obj.starts_at, obj.dermatologist.timezone if obj.dermatologist else "UTC")

    @admin.display(boolean=True, description=_("Note"))
    def has_note(self, obj):
        return bool(obj.note)

    @admin.action(description=_("Cancel the selected consultations (the person is told)"))
    def cancel_by_staff(self, request, queryset):
        by = Consultation.CancelledBy.DERMATOLOGIST if _own_only(request) else Consultation.CancelledBy.STAFF
        self._each(request, queryset, lambda c: services.consultation_cancel(consultation=c, by=by))

    @admin.action(description=_("Mark the selected consultations as held"))
    def mark_completed(self, request, queryset):
        self._each(request, queryset, lambda c: services.consultation_complete(consultation=c))

    def _each(self, request, queryset, apply) -> None:
        done = 0
        for consultation in queryset:
            try:
                apply(consultation)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{consultation}: {exc.detail}", messages.WARNING)
        self.message_user(
            request,
            ngettext("%(count)d consultation updated.", "%(count)d consultations updated.", done) % {"count": done},
            messages.SUCCESS,
        )
