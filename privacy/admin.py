"""Staff side of privacy: photos only under a grant the person approved; the grants and access records, read-only.

In the admin a photo is never shown by default: an analysis' change page shows its measurements and face map,
and "Ask to see the photos" sends the person a request with the staff member's reason and a duration. Only while
the person's approval runs (SupportGrant.active) does the page show the photos, each through a link made for that
staff member and that grant, checked again and recorded when served (privacy.media).
"""

from __future__ import annotations

import contextvars

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skincare.core.admin_scale import LargeTableAdmin, values_filter
from skincare.core.audit import client_ip
from skincare.core.errors import DomainError

from . import selectors, services
from .media import Viewer, media_url
from .models import MediaAccess, SupportGrant, ViewerKind

_request: contextvars.ContextVar = contextvars.ContextVar("privacy_admin_request", default=None)


class StaffPhotoMixin:
    """For a ModelAdmin whose change page may show a person's photos: `staff_photos(obj, user_id, names)`
    renders them under the viewing staff member's active grant, or says how to ask for one."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        token = _request.set(request)
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # readonly fields are drawn now, while the request is known
            return response
        finally:
            _request.reset(token)


def staff_photos(user_id, images: list[tuple[str, str]]) -> str:
    """HTML for the admin: the images under an active grant of the viewing staff member, else a sentence."""
    request = _request.get()
    images = [(label, name) for label, name in images if name]
    if not images:
        return _("No photo is stored (deleted, or a photo-free analysis). The measurements are below.")
    staff = getattr(request, "user", None)
    grant = selectors.grants_active_for_staff(staff=staff, user_id=user_id).first() if staff else None
    ask = reverse("admin:privacy_supportgrant_ask", args=[user_id])
    if grant is None:
        return format_html(
            '{} <a href="{}">{}</a>.',
            _("Measurements only: photos are shown to staff only under a support grant the person approves."),
            ask,
            _("Ask to see the photos"),
        )
    viewer = Viewer.staff(staff, grant)
    return format_html(
        '<p class="help">{}</p>{}',
        _("Shown under the grant the person approved, until %(until)s (every view is recorded and shown to them).")
        % {"until": grant.expires_at.strftime("%Y-%m-%d %H:%M UTC")},
        format_html_join(
            "",
            '<figure style="display:inline-block;margin:0 1em 1em 0"><img src="{}" alt="{}" '
            'style="max-width:320px"><figcaption>{}</figcaption></figure>',
            ((media_url(name, viewer=viewer), label, label) for label, name in images),
        ),
    )


class ReadOnlyAdmin(LargeTableAdmin):
    """Records: staff read them; nobody adds, edits or deletes one here (a grant is asked for from an analysis'
    page, "Ask to see the photos"; only the person decides on it)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AskForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("The person reads this when deciding. Say what you need to check."),
    )
    hours = forms.IntegerField(min_value=1, max_value=SupportGrant.MAX_HOURS, initial=24, label=gettext_lazy("Hours"))


@admin.register(SupportGrant)
class SupportGrantAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "staff_email", "user", "status", "hours", "expires_at", "revoked_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["user__email", "staff_email"]
    list_select_related = ["user"]
    readonly_fields = [
        "id",
        "user",
        "staff",
        "staff_email",
        "reason",
        "hours",
        "status",
        "created_at",
        "decided_at",
        "expires_at",
        "revoked_at",
    ]

    def get_urls(self):
        return [
            path(
                "ask/<uuid:user_id>/",
                self.admin_site.admin_view(self.ask_view),
                name="privacy_supportgrant_ask",
            ),
            *super().get_urls(),
        ]

    def ask_view(self, request, user_id):
        person = get_user_model().objects.filter(pk=user_id).first()
        if person is None:
            raise Http404
        form = AskForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.grant_request(
                    staff=request.user,
                    user=person,
                    reason=form.cleaned_data["reason"],
                    hours=form.cleaned_data["hours"],
                    ip_address=client_ip(request),
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                self.message_user(
                    request, _("Asked. The person is notified; photos show here once they approve."), messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:privacy_supportgrant_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ask to see a person's photos"),
            "form": form,
            "person": person,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/ask_grant.html", context)


@admin.register(MediaAccess)
class MediaAccessAdmin(ReadOnlyAdmin):
    """Who saw which image: the same records each person sees on their privacy page."""

    list_display = ["created_at", "owner", "media_kind", "viewer_kind", "viewer_name", "via"]
    list_filter = [
        values_filter("viewer_kind", ViewerKind.values, title="viewer"),
        values_filter("media_kind", ("photo", "overlay", "aligned", "label"), title="image"),
        values_filter("via", ("link", "card", "export")),
        "created_at",
    ]
    search_fields = ["owner__email"]
    search_uuid_fields = ["owner_id", "viewer_id"]
    list_select_related = ["owner"]
    readonly_fields = [f.name for f in MediaAccess._meta.fields]
    date_hierarchy = "created_at"
