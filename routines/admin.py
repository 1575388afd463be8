from django.contrib import admin

from skincare.core.admin_scale import LargeTableAdmin, recent_values_filter, values_filter

from .models import PERIODS, ChannelDelivery, ReminderDelivery, Routine, RoutineStep, ShelfItem, StepCompletion


class RoutineStepInline(admin.TabularInline):
    model = RoutineStep
    extra = 0
    fields = ("order", "category", "product", "product_name", "days", "schedule", "wait_seconds", "actives")
    raw_id_fields = ("product",)


@admin.register(Routine)
class RoutineAdmin(LargeTableAdmin):
    list_display = ("name", "user", "period", "is_active", "started_at", "next_reminder_at", "created_at")
    list_filter = ("period", "is_active")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at", "schedule_computed_at")
    date_hierarchy = "created_at"
    inlines = [RoutineStepInline]


@admin.register(StepCompletion)
class StepCompletionAdmin(LargeTableAdmin):
    list_display = ("date", "user", "routine", "step", "completed_at")
    list_filter = ("date",)
    date_hierarchy = "date"
    search_fields = ("user__email",)
    search_uuid_fields = ("pk", "user_id", "routine_id")
    list_select_related = ("user", "routine", "step")
    raw_id_fields = ("user", "routine", "step")


@admin.register(ShelfItem)
class ShelfItemAdmin(LargeTableAdmin):
    list_display = ("__str__", "brand", "user", "opened_on", "pao_months", "best_before", "expires_on")
    list_filter = (recent_values_filter("category"),)
    search_fields = ("name", "brand", "user__email", "product__name")
    list_select_related = ("user", "product")
    raw_id_fields = ("user", "product")
    readonly_fields = ("expires_on", "use_soon_on")


class ChannelDeliveryInline(admin.TabularInline):
    model = ChannelDelivery
    extra = 0
    readonly_fields = ("channel", "status", "detail", "created_at")
    can_delete = False


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(LargeTableAdmin):
    list_display = ("key", "user", "kind", "period", "local_date", "scheduled_for", "status", "sent_at")
    list_filter = ("kind", "status", values_filter("period", PERIODS))
    search_fields = ("user__email",)
    search_exact_fields = ("key",)
    search_uuid_fields = ("pk", "user_id", "routine_id", "shelf_item_id")
    list_select_related = ("user",)
    raw_id_fields = ("user", "routine", "shelf_item")
    date_hierarchy = "scheduled_for"
    ordering = ("-scheduled_for",)
    inlines = [ChannelDeliveryInline]


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(LargeTableAdmin):
    list_display = ("delivery", "channel", "status", "detail", "created_at")
    list_filter = ("channel", "status")
    search_fields = ("delivery__user__email",)
    search_exact_fields = ("delivery__key",)
    search_uuid_fields = ("pk", "delivery_id", "delivery__user_id")
    list_select_related = ("delivery", "delivery__user")
    raw_id_fields = ("delivery",)
