from django.contrib import admin, messages

from skincare.core.admin_scale import LargeTableAdmin

from . import services
from .models import Interaction, RecommenderModel


@admin.register(Interaction)
class InteractionAdmin(LargeTableAdmin):
    list_display = ["user", "product", "kind", "value", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "product__name", "product__brand"]
    raw_id_fields = ["user", "product"]
    list_select_related = ["user", "product"]
    date_hierarchy = "updated_at"  # the same indexed column as the list's order


@admin.register(RecommenderModel)
class RecommenderModelAdmin(admin.ModelAdmin):
    list_display = ["version", "trained_at", "is_active", "n_users", "n_items", "n_interactions", "n_components"]
    list_filter = ["is_active"]
    readonly_fields = [
        "version",
        "trained_at",
        "path",
        "n_users",
        "n_items",
        "n_interactions",
        "n_components",
        "metrics",
    ]
    actions = ["train_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Sync interactions and train a new model now")
    def train_now(self, request, queryset):
        services.interactions_sync_all()
        model = services.recommender_train()
        if model is None:
            self.message_user(request, "No interactions yet: nothing to train.", messages.WARNING)
        else:
            self.message_user(request, f"Trained CF v{model.version} ({model.n_components} components).")
