"""Admin: entries, milestones, comparisons, share links and the moderation queue of reports.

Moderators hide or restore a shared page with a reason (an intermediate form), through the same
services the rest of the app uses.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from skincare.core.admin_scale import LargeTableAdmin, values_filter

from . import services
from .models import Comparison, Milestone, ProgressEntry, ProgressMetric, ShareLink, ShareReport


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=2000)


def _with_reason(modeladmin, request, queryset, *, title: str, apply):
    """Ask for a reason on an intermediate page, then apply the action to every selected row."""
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        if form.is_valid():
            for obj in queryset:
                apply(obj, form.cleaned_data["reason"])
            modeladmin.message_user(request, f"{title}: {queryset.count()} done.", messages.SUCCESS)
            return None
    else:
        form = ReasonForm()
    return render(
        request,
        "progress/admin_reason_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "objects": queryset,
            "form": form,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


@admin.register(ProgressEntry)
class ProgressEntryAdmin(LargeTableAdmin):
    list_display = ("date", "user", "rating", "analysis", "created_at")
    list_filter = (values_filter("rating", range(1, 6)),)
    search_fields = ("user__email",)
    date_hierarchy = "date"
    raw_id_fields = ("user", "analysis")
    list_select_related = ("user", "analysis")


@admin.register(Milestone)
class MilestoneAdmin(LargeTableAdmin):
    list_display = ("title", "kind", "key", "user", "achieved_at", "notified_at")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    list_select_related = ("user",)


@admin.register(Comparison)
class ComparisonAdmin(LargeTableAdmin):
    list_display = ("id", "user", "before", "after", "residual_px", "landmarks_used", "failure", "created_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user", "before", "after")
    readonly_fields = ("transform", "residual_px", "landmarks_used", "failure", "created_at")
    list_select_related = ("user", "before", "after")


class ShareReportInline(admin.TabularInline):
    model = ShareReport
    extra = 0
    fields = ("reason", "details", "status", "reviewer", "reviewed_at", "resolution_note", "created_at")
    readonly_fields = ("reason", "details", "created_at", "reviewer", "reviewed_at")


@admin.register(ShareLink)
class ShareLinkAdmin(LargeTableAdmin):
    list_display = ("id", "kind", "user", "created_at", "expires_at", "revoked_at", "hidden", "view_count")
    list_filter = ("kind", "hidden")
    search_fields = ("user__email",)
    search_exact_fields = ("token",)
    raw_id_fields = ("user", "analysis", "before", "after")
    readonly_fields = ("token", "created_at", "view_count", "hidden", "hidden_reason", "hidden_at")
    list_select_related = ("user",)
    inlines = [ShareReportInline]
    actions = ["hide_shares", "restore_shares"]

    @admin.action(description="Hide the selected shared pages (asks for a reason)")
    def hide_shares(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            title="Hide shared pages",
            apply=lambda share, reason: services.share_hide(share=share, reason=reason, moderator=request.user),
        )

    @admin.action(description="Restore the selected shared pages (asks for a reason)")
    def restore_shares(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            title="Restore shared pages",
            apply=lambda share, reason: services.share_restore(share=share, reason=reason, moderator=request.user),
        )


@admin.register(ShareReport)
class ShareReportAdmin(LargeTableAdmin):
    list_display = ("created_at", "reason", "status", "share", "share_hidden", "reviewer", "reviewed_at")
    list_filter = ("status", "reason")
    search_fields = ("share__user__email",)
    search_exact_fields = ("share__token",)
    search_uuid_fields = ("pk", "share_id", "share__user_id")
    readonly_fields = ("share", "reason", "details", "created_at", "reviewer", "reviewed_at")
    list_select_related = ("share", "reviewer")
    actions = ["hide_reported", "restore_reported", "dismiss_reports"]

    @admin.display(boolean=True, description="Hidden")
    def share_hidden(self, obj) -> bool:
        return obj.share.hidden

    @admin.action(description="Hide the reported pages (asks for a reason)")
    def hide_reported(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            title="Hide reported pages",
            apply=lambda report, reason: services.share_hide(share=report.share, reason=reason, moderator=request.user),
        )

    @admin.action(description="Restore the reported pages (asks for a reason)")
    def restore_reported(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            title="Restore reported pages",
            apply=lambda report, reason: services.share_restore(
                share=report.share, reason=reason, moderator=request.user
            ),
        )

    @admin.action(description="Dismiss the selected reports (asks for a note)")
    def dismiss_reports(self, request, queryset):
        return _with_reason(
            self,
            request,
            queryset,
            title="Dismiss reports",
            apply=lambda report, reason: services.report_dismiss(report=report, note=reason, moderator=request.user),
        )


@admin.register(ProgressMetric)
class ProgressMetricAdmin(LargeTableAdmin):
    list_display = ("name", "value", "date", "user", "recorded_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "recorded_at"
    readonly_fields = ("recorded_at",)
