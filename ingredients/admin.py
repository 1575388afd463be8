"""Admin for the knowledge base, catalog, favorites, batches (with QR) and scans."""

from __future__ import annotations

import io
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from skincare.core import audit
from skincare.core.admin_scale import LargeTableAdmin, recent_values_filter, values_filter

from . import csvio, services
from .matching import reset_index
from .models import Batch, Favorite, Ingredient, Product, ProductIngredient, Scan


def _without_stamp(values: dict) -> dict:
    """The import stamps every row it touches (sources["_edited"]); the audit entry carries who and when already."""
    sources = {k: v for k, v in (values.get("sources") or {}).items() if k != "_edited"}
    return {**values, "sources": sources} if values else values


@admin.register(Ingredient)
class IngredientAdmin(admin.ModelAdmin):
    list_display = [
        "inci_name",
        "eu_status",
        "hazard_score",
        "comedogenic_rating",
        "irritancy",
        "is_allergen",
        "is_fragrance",
        "pregnancy_caution",
        "active_class",
        "updated_at",
    ]
    list_filter = [
        "eu_status",
        "is_allergen",
        "is_fragrance",
        "pregnancy_caution",
        "active_class",
        values_filter("hazard_score", range(11), title="hazard score"),
    ]
    search_fields = ["inci_name", "cas_number", "synonyms"]
    readonly_fields = ["hazard_score", "updated_at"]
    actions = ["export_csv"]
    change_list_template = "ingredients/admin/ingredient_change_list.html"

    def save_model(self, request, obj, form, change):
        # A staff edit: keep it from being overwritten by `load_ingredients`, recompute the hazard score.
        obj.sources = {**(obj.sources or {}), "_edited": f"{request.user} {timezone.now():%Y-%m-%d}"}
        obj.hazard_score = csvio.recompute_hazard(obj)
        super().save_model(request, obj, form, change)
        reset_index()

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(csvio.export_rows(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ingredients.csv"'
        return response

    def get_urls(self):
        return [
            path("import-csv/", self.admin_site.admin_view(self.import_csv), name="ingredients_ingredient_import"),
            path("export-csv/", self.admin_site.admin_view(self.export_all), name="ingredients_ingredient_export"),
            *super().get_urls(),
        ]

    def export_all(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = Ingredient.objects.all()
        response = self.export_csv(request, queryset)
        audit.audit_record(
            actor=request.user,
            action="export",
            model=Ingredient,
            object_repr=f"{queryset.count()} ingredients",
            name="ingredients_csv_export",
            ip_address=audit.client_ip(request),
        )
        return response

    def import_csv(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and request.FILES.get("csv_file"):
            upload = request.FILES["csv_file"]
            entries = []

            def record(ingredient, created, before, after):
                changes = audit.diff_fields(_without_stamp(before), _without_stamp(after))
                if created or changes:  # a row that changed nothing is no change
                    entries.append(
                        audit.audit_entry(
                            actor=request.user,
                            action="add" if created else "change",
                            obj=ingredient,
                            changes=changes,
                            name="csv_import",
                            detail=f"CSV import of {upload.name}",
                            ip_address=audit.client_ip(request),
                        )
                    )

            try:
                text = upload.read().decode("utf-8")
                with transaction.atomic():  # the rows and their audit entries, or nothing
                    result = csvio.import_rows(text, editor=f"csv import by {request.user}", on_saved=record)
                    audit.audit_record_many(entries)
            except (UnicodeDecodeError, csvio.CsvImportError) as exc:
                self.message_user(request, f"Import failed, nothing was changed: {exc}", level=messages.ERROR)
            else:
                self.message_user(request, f"Imported: {result['created']} created, {result['updated']} updated.")
                return redirect("admin:ingredients_ingredient_changelist")
        return render(request, "ingredients/admin/import_csv.html", {**self.admin_site.each_context(request)})


class ProductIngredientInline(admin.TabularInline):
    model = ProductIngredient
    extra = 0
    raw_id_fields = ["ingredient"]
    fields = ["position", "raw_name", "ingredient"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["brand", "name", "category", "price", "currency", "spf", "is_vegan", "is_demo", "updated_at"]
    list_filter = ["category", "is_demo", "is_vegan", recent_values_filter("source", order_by="-updated_at")]
    search_fields = ["brand", "name", "barcode"]
    inlines = [ProductIngredientInline]
    actions = ["reparse_ingredients"]
    exclude = ["search_text"]

    def save_model(self, request, obj, form, change):
        obj.search_text = f"{obj.brand} {obj.name} {obj.category}"
        super().save_model(request, obj, form, change)
        if "ingredients_text" in form.changed_data or not change:
            services.product_set_ingredients(product=obj, text=obj.ingredients_text)

    @admin.action(description="Re-read ingredient lists against the knowledge base")
    def reparse_ingredients(self, request, queryset):
        for product in queryset:
            services.product_set_ingredients(product=product, text=product.ingredients_text)
        self.message_user(request, f"Re-read {queryset.count()} products.")


@admin.register(ProductIngredient)
class ProductIngredientAdmin(admin.ModelAdmin):
    list_display = ["product", "position", "raw_name", "ingredient"]
    list_select_related = ["product", "ingredient"]
    search_fields = ["raw_name", "product__name", "product__brand", "ingredient__inci_name"]
    list_filter = ["product__category"]
    raw_id_fields = ["product", "ingredient"]


@admin.register(Favorite)
class FavoriteAdmin(LargeTableAdmin):
    list_display = ["user", "product", "created_at"]
    list_select_related = ["user", "product"]
    search_fields = ["user__email", "product__name", "product__brand"]
    raw_id_fields = ["user", "product"]


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["product", "batch_code", "manufacture_date", "expiry_date"]

    def clean(self):
        data = super().clean()
        made, expiry = data.get("manufacture_date"), data.get("expiry_date")
        if made and expiry and expiry <= made:
            raise forms.ValidationError("The expiry date must be after the manufacture date.")
        return data


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    form = BatchForm
    list_display = ["product", "batch_code", "manufacture_date", "expiry_date", "freshness", "public_link"]
    list_select_related = ["product"]
    list_filter = ["expiry_date"]
    search_fields = ["batch_code", "product__name", "product__brand", "public_id"]
    raw_id_fields = ["product"]
    readonly_fields = ["public_id", "qr_code", "public_link"]

    @admin.display(description="Freshness")
    def freshness(self, obj):
        return services.batch_freshness(batch=obj)["status"].replace("_", " ")

    @admin.display(description="Public page")
    def public_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("ingredients:batch", kwargs={"public_id": obj.public_id})
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description="QR code")
    def qr_code(self, obj):
        if not obj.pk:
            return "Save to get a QR code."
        from django.conf import settings

        svg = services.batch_qr_svg(batch=obj, base_url=settings.SITE_URL)
        download = reverse("admin:ingredients_batch_qr", args=[obj.pk])
        return mark_safe(f'{svg}<p><a href="{download}">Download the QR code (SVG, for print)</a></p>')  # noqa: S308

    def get_urls(self):
        return [
            path("<uuid:pk>/qr.svg", self.admin_site.admin_view(self.qr_download), name="ingredients_batch_qr"),
            *super().get_urls(),
        ]

    def qr_download(self, request, pk):
        import segno
        from django.conf import settings
        from django.shortcuts import get_object_or_404

        batch = get_object_or_404(Batch, pk=pk)
        url = settings.SITE_URL + reverse("ingredients:batch", kwargs={"public_id": batch.public_id})
        buf = io.BytesIO()
        segno.make(url, error="m").save(buf, kind="svg", scale=10, border=4)
        response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
        safe_code = re.sub(r"[^A-Za-z0-9_-]", "", batch.batch_code) or "code"
        response["Content-Disposition"] = f'attachment; filename="batch-{safe_code}.svg"'
        return response


@admin.register(Scan)
class ScanAdmin(LargeTableAdmin):
    list_display = ["id", "user", "source", "verdict", "created_at"]
    list_select_related = ["user"]
    list_filter = ["source", "created_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]

    @admin.display(description="Verdict")
    def verdict(self, obj):
        return (obj.result or {}).get("verdict") or "-"
