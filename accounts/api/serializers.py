"""Input and output serializers of the accounts API (validation only; writes live in services)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer

from accounts import selectors, validators
from accounts.models import SKIN_TONE_CHOICES, SKIN_TYPES, Consent, Notification, Profile, User
from accounts.services import PROFILE_FIELDS
from skincare.core.serializers import BuiltFieldsCacheMixin


class NotificationSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "data", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


# --- profile and user --------------------------------------------------------------------------------
class PeriodTimesSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    am = serializers.CharField(help_text="HH:MM")
    pm = serializers.CharField(help_text="HH:MM")


class ReminderWindowSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    earliest = serializers.CharField(help_text="HH:MM: no routine reminder is sent before this local time")
    latest = serializers.CharField(help_text="HH:MM: no routine reminder is sent after this local time")


def _hhmm(value) -> str:
    return value.strftime("%H:%M")


class ProfileSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer):
    skin_type = serializers.ChoiceField(choices=SKIN_TYPES, allow_null=True, required=False)
    skin_tone = serializers.ChoiceField(
        choices=SKIN_TONE_CHOICES,
        allow_null=True,
        required=False,
        help_text="The person's own skin tone (ITA° categories); kept beside the measured one as labelled data",
    )
    concerns = serializers.ListField(child=serializers.CharField(), required=False)
    allergies = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    preferences = serializers.ListField(child=serializers.CharField(), required=False)
    birth_year = serializers.IntegerField(allow_null=True, required=False)
    max_steps = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=12)
    reminder_times = serializers.DictField(child=serializers.CharField(), required=False)
    quiet_hours = serializers.DictField(child=serializers.CharField(), required=False)
    notification_channels = serializers.DictField(child=serializers.BooleanField(), required=False)
    reminder_times_custom = serializers.SerializerMethodField(
        help_text="False: reminder_times are the site's defaults (staff may change them); send {} to go back to them."
    )
    reminder_send_times = serializers.SerializerMethodField(
        help_text="When the reminders really go out: reminder_times moved into the site's reminder window."
    )
    reminder_window = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = [*PROFILE_FIELDS, "updated_at", "reminder_times_custom", "reminder_send_times", "reminder_window"]
        read_only_fields = ["updated_at"]

    def to_representation(self, instance):
        self._times = selectors.reminder_times(profile=instance)  # read once per profile, for the fields below
        data = super().to_representation(instance)
        if "reminder_times" in data:  # what applies: the person's own times, else the site's defaults
            data["reminder_times"] = {period: _hhmm(t.time) for period, t in self._times.items()}
        return data

    def get_reminder_times_custom(self, obj: Profile) -> bool:
        return any(t.chosen is not None for t in self._times.values())

    @extend_schema_field(PeriodTimesSerializer)
    def get_reminder_send_times(self, obj: Profile) -> dict:
        return {period: _hhmm(t.sends_at) for period, t in self._times.items()}

    @extend_schema_field(ReminderWindowSerializer)
    def get_reminder_window(self, obj: Profile) -> dict:
        earliest, latest = self._times["am"].window
        return {"earliest": _hhmm(earliest), "latest": _hhmm(latest)}

    def validate_concerns(self, value):
        return validators.validate_concerns(value)

    def validate_allergies(self, value):
        return validators.validate_allergies(value)

    def validate_preferences(self, value):
        return validators.validate_preferences(value)

    def validate_birth_year(self, value):
        validators.validate_birth_year(value)
        return value

    def validate_reminder_times(self, value):
        return validators.validate_reminder_times(value)

    def validate_quiet_hours(self, value):
        return validators.validate_quiet_hours(value)

    def validate_notification_channels(self, value):
        return validators.validate_notification_channels(value)

    def validate_language(self, value):
        validators.validate_language(value)
        return value


class UserSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer):
    profile = ProfileSerializer(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "date_joined",
            "profile",
            "phone",
            "phone_pending",
            "email_verified",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "phone": {"help_text": "The verified number (OTP sign-in, SMS reminders), or null."},
            "phone_pending": {"help_text": "A new number waiting for the code sent to it (POST auth/phone/confirm)."},
        }


class UserUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=32, allow_blank=True, allow_null=True, required=False)

    def validate_phone(self, value):
        return validators.validate_phone(value) if value else None


# --- auth ----------------------------------------------------------------------------------------------
class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    accept_terms = serializers.BooleanField(
        required=False, default=True, help_text="Acceptance of the terms of use and privacy policy (recorded)."
    )


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class AuthResultSerializer(serializers.Serializer):
    user = UserSerializer()
    access = serializers.CharField()
    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(TokenRefreshSerializer):
    """simplejwt's rotation + blacklist, answering 401 (not 500) when the user no longer exists."""

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        except User.DoesNotExist as exc:
            raise AuthenticationFailed("No active account found for the given token.", "no_active_account") from exc


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class EmailConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class OtpRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32)


class PhoneConfirmSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "The code is 6 digits."})


class OtpVerifySerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32)
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "The code is 6 digits."})


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- account -----------------------------------------------------------------------------------------
class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


@extend_schema_field({"type": "string", "enum": [key for key, _ in Consent.KINDS]})
class ConsentKindField(serializers.ChoiceField):
    """Inline enum in the schema (a shared `KindEnum` component would collide with other apps' kinds)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Consent.KINDS, **kwargs)


class ConsentInSerializer(serializers.Serializer):
    kind = ConsentKindField()
    granted = serializers.BooleanField()
    version = serializers.CharField(max_length=20, required=False, default="1")


class ConsentSerializer(serializers.ModelSerializer):
    kind = ConsentKindField(read_only=True)

    class Meta:
        model = Consent
        fields = ["kind", "granted", "version", "created_at"]
        read_only_fields = fields


class ConsentStateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    granted = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField(allow_null=True)


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
