"""The admin as the control room: configuration, the audit log, and the staff pages' URLs.

`admin.site.get_urls` is extended (the site object the project's urls.py mounts), so that when the admin's URLs
are first built — after every app's admin.py has registered its models —
  * every registered ModelAdmin gets the audit mixin (skincare.core.audit.install),
  * the analytics and ML monitoring pages are added under /admin/ (moderation is the progress app's admin).
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from skincare.core import admin_views, audit
from skincare.core.admin_scale import LargeTableAdmin
from skincare.core.config import CONFIG_FIELDS, config_row, config_update
from skincare.core.models import QUALITY_FIELDS, AuditEntry, SiteConfig, engine_quality_defaults


@admin.register(SiteConfig)
class SiteConfigAdmin(admin.ModelAdmin):
    audit_skip_save = True  # config_update validates, saves, audits and drops the cache
    fieldsets = [
        (
            "Quality gate (applies to the next upload)",
            {"fields": ["min_face_fraction", "max_yaw_degrees", "min_sharpness", "min_brightness", "max_brightness"]},
        ),
        ("Feature switches", {"fields": ["otp_login_enabled", "sharing_enabled", "sms_enabled"]}),
        (
            "Reminder windows",
            {
                "description": "The default times apply to people who did not choose their own. A time outside "
                "earliest-latest is sent at the window's nearer edge (on the 24-hour clock). A change here "
                "reschedules every active routine at the next dispatcher sweeps, soonest reminders first.",
                "fields": [
                    "reminder_am_default",
                    "reminder_pm_default",
                    "reminder_late_minutes",
                    "reminder_earliest",
                    "reminder_latest",
                ],
            },
        ),
        (
            "Photo retention (default)",
            {
                "description": "For people who did not choose on their privacy page. Expired photos, their "
                "overlays and aligned comparisons are deleted (and their keys destroyed) by the retention sweep "
                "every few minutes; scores, lesion boxes and landmarks stay.",
                "fields": ["photo_retention", "photo_retention_days"],
            },
        ),
        ("Last change", {"fields": ["updated_at", "updated_by"]}),
    ]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        defaults = engine_quality_defaults()
        for name in QUALITY_FIELDS:
            field = form.base_fields.get(name)
            if field is not None:
                field.help_text = f"{field.help_text} Empty: the engine's default, now {defaults[name]:g}."
                field.widget.attrs["placeholder"] = f"{defaults[name]:g}"
        return form

    def get_object(self, request, object_id, from_field=None):
        if str(object_id) == str(SiteConfig.SINGLETON_PK):
            config_row()  # the one row exists from the first visit on, with the defaults
        return super().get_object(request, object_id, from_field)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # the admin's own 403
        row = config_row()
        return HttpResponseRedirect(reverse("admin:core_siteconfig_change", args=[row.pk]))

    def save_model(self, request, obj, form, change):
        config_update(
            actor=request.user,
            ip_address=audit.client_ip(request),
            **{name: getattr(obj, name) for name in CONFIG_FIELDS},
        )
        obj.refresh_from_db()


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kinds of object staff can change: the admin's registered models (no DISTINCT over the log)."""

    title = "object type"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        labels = {f"{m._meta.app_label}.{m._meta.model_name}" for m in model_admin.admin_site._registry}
        return [(label, label) for label in sorted(labels)]

    def queryset(self, request, queryset):
        if not self.value() or "." not in self.value():
            return queryset
        app_label, model = self.value().split(".", 1)
        return queryset.filter(app_label=app_label, model=model)


@admin.register(AuditEntry)
class AuditEntryAdmin(LargeTableAdmin):
    search_uuid_fields = ("pk", "object_id", "actor_id")
    list_display = ["created_at", "actor_email", "action", "name", "target", "object_repr", "changed_fields"]
    list_filter = ["action", ObjectTypeFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_email", "object_repr"]
    search_exact_fields = ["object_id"]
    search_help_text = "Search by the staff member's email or the object's name, or paste an object id."
    date_hierarchy = "created_at"
    list_per_page = 50
    readonly_fields = [
        "created_at",
        "actor",
        "actor_email",
        "action",
        "name",
        "app_label",
        "model",
        "object_id",
        "object_repr",
        "changes_table",
        "detail",
        "ip_address",
    ]
    fields = readonly_fields
    raw_id_fields = ["actor"]

    @admin.display(description="object type")
    def target(self, entry: AuditEntry) -> str:
        return f"{entry.app_label}.{entry.model}" if entry.model else "—"

    @admin.display(description="fields")
    def changed_fields(self, entry: AuditEntry) -> str:
        return ", ".join(list(entry.changes)[:8]) + (" …" if len(entry.changes) > 8 else "")

    @admin.display(description="changes")
    def changes_table(self, entry: AuditEntry):
        if not entry.changes:
            return "—"
        rows = []
        for name, value in entry.changes.items():
            before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)
            rows.append((name, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><tr><th>field</th><th>before</th><th>after</th></tr>{}</table>", body)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


_original_get_urls = admin.site.get_urls


def _get_urls():
    audit.install(admin.site)
    return admin_views.urls(admin.site) + _original_get_urls()


admin.site.get_urls = _get_urls
