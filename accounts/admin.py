"""Staff admin: users with their profile, consents (read-only), notifications, OTP codes (read-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from skincare.core.admin_scale import LargeTableAdmin, recent_values_filter

from .models import Consent, Notification, OtpCode, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    fields = [
        ("skin_type", "budget"),
        "concerns",
        "allergies",
        "preferences",
        ("pregnant_or_nursing", "birth_year"),
        ("timezone", "language"),
        "reminder_times",
        "max_steps",
        "quiet_hours",
        "notification_channels",
        "updated_at",
    ]
    readonly_fields = ["updated_at"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["kind", "version", "granted", "ip_address", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(LargeTableAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [ProfileInline, ConsentInline]
    ordering = ["-date_joined"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "email_verified",
        "is_active",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_active", "email_verified", "is_superuser", "date_joined"]
    search_fields = ["email", "first_name", "last_name", "phone"]  # trigram indexes on PostgreSQL (migration 0004)
    search_help_text = "Search by email, name or phone, or paste an id."
    readonly_fields = ["id", "date_joined", "last_login", "last_seen"]
    fieldsets = [
        (None, {"fields": ["id", "email", "password"]}),
        ("Personal", {"fields": ["first_name", "last_name", "phone", "email_verified"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["date_joined", "last_login", "last_seen"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})]
    filter_horizontal = ["groups", "user_permissions"]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []


class ReadOnlyAdmin(LargeTableAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "version", "granted", "created_at"]
    list_filter = ["kind", "granted", recent_values_filter("version")]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False  # consent records are evidence; they go only with the account


@admin.register(Notification)
class NotificationAdmin(LargeTableAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = [recent_values_filter("kind"), ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["user__email"]  # the inbox is the largest table: no scan of its titles and bodies
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = ["id"]


@admin.register(OtpCode)
class OtpCodeAdmin(ReadOnlyAdmin):
    list_display = ["phone", "created_at", "expires_at", "attempts", "used_at", "ip_address"]
    list_filter = ["created_at"]
    search_fields = ["phone"]
    exclude = ["code_hash"]
