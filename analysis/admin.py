from __future__ import annotations

from django.contrib import admin, messages
from django.utils.safestring import mark_safe

from accounts.models import SKIN_TONE_CHOICES, SKIN_TYPES
from privacy.admin import StaffPhotoMixin, staff_photos
from skincare.core.admin_scale import LargeTableAdmin, recent_values_filter, values_filter
from skincare.core.errors import DomainError

from . import services
from .models import Feedback, Lesion, ModelVersion, SkinAnalysis, SkinToneLabel


class LesionInline(admin.TabularInline):
    model = Lesion
    extra = 0
    readonly_fields = ["x", "y", "w", "h", "kind", "confidence", "region"]
    can_delete = False


@admin.register(SkinAnalysis)
class SkinAnalysisAdmin(StaffPhotoMixin, LargeTableAdmin):
    """Measurements for staff; the photo and overlay only under the person's approved grant (privacy.admin)."""

    list_display = [
        "id",
        "user",
        "status",
        "created_at",
        "overall_score",
        "skin_type",
        "model_version",
        "processing_ms",
        "error_code",
    ]
    list_filter = [
        "status",
        "model_version",
        recent_values_filter("error_code", where={"status": SkinAnalysis.Status.FAILED}, title="error"),
        recent_values_filter("skin_type", title="skin type"),  # a trained model may have its own labels
        "created_at",
    ]
    search_fields = ["user__email"]
    search_exact_fields = ["error_code"]  # and a pasted analysis or user id (LargeTableAdmin)
    search_help_text = "Search by email or error code, or paste an analysis or user id."
    list_select_related = ["user", "model_version"]
    date_hierarchy = "created_at"
    inlines = [LesionInline]
    actions = ["rerun"]
    readonly_fields = [
        "id",
        "user",
        "status",
        "created_at",
        "started_at",
        "completed_at",
        "photos",
        "face_map",
        "photo_free",
        "photo_deleted_at",
        "photo_deleted_reason",
        "overlay_face_box",
        "idempotency_key",
        "error_code",
        "error_detail",
        "quality",
        "face_box",
        "concerns",
        "skin_type",
        "skin_type_confidence",
        "skin_type_source",
        "skin_tone_ita",
        "skin_tone_category",
        "skin_tone_hex",
        "region_quality",
        "skin_age",
        "conditions",
        "overall_score",
        "model_version",
        "processing_ms",
        "timings",
        "image_width",
        "image_height",
    ]
    exclude = ["landmarks", "regions", "image", "overlay", "overlay_face"]

    def delete_model(self, request, obj):
        services.analysis_delete(analysis=obj)  # the keys and files go too, not only the row

    def delete_queryset(self, request, queryset):
        for analysis in queryset:
            services.analysis_delete(analysis=analysis)

    @admin.display(description="photos")
    def photos(self, obj):
        if not obj.has_photo:
            return staff_photos(obj.user_id, [])
        return staff_photos(
            obj.user_id,
            [
                ("Photo", obj.image.name),
                ("Overlay", obj.overlay.name if obj.overlay else ""),
                ("Overlay, face", obj.overlay_face.name if obj.overlay_face else ""),
            ],
        )

    @admin.display(description="face map (from the measurements)")
    def face_map(self, obj):
        from .facemap import face_map_svg

        svg = face_map_svg(obj, width=320)
        return mark_safe(svg) if svg else "-"  # noqa: S308 - drawn by us from numbers, text escaped

    @admin.action(description="Re-run the analysis of the selected photos")
    def rerun(self, request, queryset):
        n = skipped = 0
        for analysis in queryset:
            try:
                services.analysis_rerun(analysis=analysis)
            except DomainError:  # its photo was deleted: nothing to analyse again
                skipped += 1
                continue
            n += 1
        self.message_user(request, f"{n} analysis(es) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} skipped: their photo was deleted.", messages.WARNING)


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "backbone", "is_active", "created_at", "activated_at", "metrics_summary", "usable"]
    list_filter = ["is_active", "backbone"]
    readonly_fields = ["id", "is_active", "created_at", "activated_at", "metrics", "labels", "usable"]
    actions = ["activate", "rollback", "deactivate"]

    @admin.display(description="beats baseline")
    def usable(self, obj):
        from ml.model_gate import activation_problems

        problems = activation_problems(obj.metrics)
        return "yes" if not problems else f"no: {'; '.join(problems)}"

    @admin.display(description="metrics")
    def metrics_summary(self, obj):
        keys = (
            "skin_type_accuracy",
            "skin_type_macro_f1",
            "baseline_skin_type_macro_f1",
            "condition_macro_f1",
            "baseline_condition_macro_f1",
            "age_mae",
            "baseline_age_mae",
            "n_val",
        )
        parts = [f"{k}={obj.metrics[k]:.3g}" for k in keys if isinstance(obj.metrics.get(k), int | float)]
        return ", ".join(parts) or "-"

    @admin.action(description="Activate the selected version (workers use it for the next analyses)")
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to activate.", messages.ERROR)
            return
        try:
            version = services.model_version_activate(version=queryset.get())
        except DomainError as exc:  # held-out metrics do not beat the trivial baseline: refused, with why
            self.message_user(request, exc.detail, messages.ERROR)
            return
        self.message_user(request, f"{version.name} is now active.", messages.SUCCESS)

    @admin.action(description="Roll back to the previously active version")
    def rollback(self, request, queryset):
        version = services.model_version_rollback()
        text = f"{version.name} is active again." if version else "No earlier version: no model is active now."
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description="Deactivate (analyse with the measures only)")
    def deactivate(self, request, queryset):
        services.model_version_deactivate_all()
        self.message_user(request, "No model is active.", messages.SUCCESS)


@admin.register(Feedback)
class FeedbackAdmin(LargeTableAdmin):
    list_display = ["analysis", "user", "rating", "corrected_skin_type", "corrected_age", "created_at"]
    list_filter = [
        values_filter("rating", range(1, 6)),
        values_filter("corrected_skin_type", SKIN_TYPES, title="corrected skin type"),
        "created_at",
    ]
    search_fields = ["user__email"]
    search_uuid_fields = ["pk", "user_id", "analysis_id"]
    list_select_related = ["analysis", "user"]
    readonly_fields = ["analysis", "user", "created_at"]


@admin.register(SkinToneLabel)
class SkinToneLabelAdmin(LargeTableAdmin):
    """People's own skin tones beside what their analysis measured: labelled data for the tone estimate."""

    list_display = ["user", "label", "measured_category", "measured_ita", "source", "created_at"]
    list_filter = [
        values_filter("label", [k for k, _ in SKIN_TONE_CHOICES], title="label"),
        values_filter("measured_category", [k for k, _ in SKIN_TONE_CHOICES], title="measured"),
        "created_at",
    ]
    search_fields = ["user__email"]
    search_uuid_fields = ["user_id", "analysis_id"]
    list_select_related = ["user"]
    readonly_fields = ["user", "analysis", "label", "measured_ita", "measured_hex", "measured_category", "source",
                       "created_at"]  # fmt: skip
