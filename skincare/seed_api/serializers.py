"""Input and output serializers of the seed client's calls (validation and schema only; no rule of ours here)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.api.serializers import AuthResultSerializer, NotificationSerializer, ProfileSerializer
from consultations.api.serializers import ConsultationSerializer
from domain import vocabulary as vocab
from ingredients.api.serializers import ScanResultSerializer
from progress.api.serializers import MetricRecordSerializer
from routines.api.serializers import RoutineCreateResponseSerializer, RoutineSerializer, StepSerializer


class UserIdField(serializers.CharField):
    """The seed client repeats its own user id in bodies and queries; any other id answers 404."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "Your own user id (from login); another user's id answers 404")
        super().__init__(**kwargs)


class SeedAuthSerializer(AuthResultSerializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the access token lives")
    user_id = serializers.CharField()
    message = serializers.CharField()


# --- users -------------------------------------------------------------------------------------------
class SeedPreferencesSerializer(serializers.Serializer):
    reminder_time = serializers.CharField(required=False, help_text="HH:MM, the morning reminder")
    evening_reminder_time = serializers.CharField(required=False, help_text="HH:MM, the evening reminder")
    timezone = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    product_preferences = serializers.ListField(child=serializers.CharField(), required=False)


class SeedUserUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    skin_type = serializers.CharField(required=False, allow_null=True, max_length=20)
    skin_concerns = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=20)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=13, max_value=120)
    gender = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=40)
    preferences = serializers.JSONField(
        required=False, help_text="{reminder_time: HH:MM, ...}, or our list of product preferences"
    )


class SeedUserSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    id = serializers.CharField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    skin_type = serializers.CharField(allow_null=True)
    skin_concerns = serializers.ListField(child=serializers.CharField())
    age = serializers.IntegerField(allow_null=True)
    gender = serializers.CharField(allow_null=True, help_text="Always null: not stored")
    preferences = SeedPreferencesSerializer()
    profile = ProfileSerializer()
    ignored = serializers.ListField(child=serializers.CharField(), required=False)


# --- analysis ----------------------------------------------------------------------------------------
class SeedAnalyzeSerializer(serializers.Serializer):
    image_data = serializers.CharField(required=False, help_text="The photo as base64 (or `file`, multipart)")
    file = serializers.FileField(required=False)
    user_id = UserIdField()
    consent = serializers.BooleanField(required=False)


class LocationSerializer(serializers.Serializer):
    x = serializers.IntegerField()
    y = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class DetectionSerializer(serializers.Serializer):
    type = serializers.CharField()
    confidence = serializers.FloatField()
    region = serializers.CharField(allow_null=True)
    location = LocationSerializer()


class ZoneSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="The zone's worst concern score (0-100, 100 best)")
    worst_concern = serializers.CharField()
    concerns = serializers.DictField(child=serializers.IntegerField())


class ZonesSerializer(serializers.Serializer):
    forehead = ZoneSerializer(allow_null=True)
    leftCheek = ZoneSerializer(allow_null=True)  # noqa: N815 - the seed's names
    rightCheek = ZoneSerializer(allow_null=True)  # noqa: N815
    nose = ZoneSerializer(allow_null=True)
    chin = ZoneSerializer(allow_null=True)


class SeedAnalysisSerializer(serializers.Serializer):
    analysis_id = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text="done, failed, or rejected (the quality gate refused the photo)")
    face_detected = serializers.BooleanField()
    code = serializers.CharField(required=False, help_text="Rejected or failed: the quality gate's code")
    advice = serializers.CharField(required=False, help_text="Rejected or failed: what to change")
    skin_condition = serializers.CharField(allow_null=True, help_text="The worst-scoring concern")
    severity = serializers.CharField(allow_null=True)
    recommendations = serializers.ListField(child=serializers.CharField())
    overall_skin_health_score = serializers.IntegerField(allow_null=True)
    skin_type = serializers.CharField(allow_null=True)
    detections = DetectionSerializer(many=True)
    zones = ZonesSerializer(allow_null=True)
    analysis = serializers.DictField(required=False, help_text="Our own representation (API.md)")
    status_url = serializers.CharField(required=False)
    disclaimer = serializers.CharField()


class SeedAnalysisPendingSerializer(serializers.Serializer):
    analysis_id = serializers.CharField()
    status = serializers.CharField()
    status_url = serializers.CharField()
    websocket_url = serializers.CharField()
    retry_after = serializers.IntegerField()


# --- ingredients, routines ---------------------------------------------------------------------------
class SeedScanInputSerializer(serializers.Serializer):
    product_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    ingredients = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=300)
    text = serializers.CharField(required=False, max_length=20000)
    image_data = serializers.CharField(required=False)
    file = serializers.FileField(required=False)


class SeedScanResultSerializer(ScanResultSerializer):
    product_name = serializers.CharField(allow_null=True)
    safety_rating = serializers.IntegerField(allow_null=True, help_text="Our score, 0-100, 100 best")
    safety_level = serializers.CharField(allow_null=True, help_text="green, yellow or red")
    benefits = serializers.ListField(child=serializers.CharField())


class SeedRoutineCreateSerializer(serializers.Serializer):
    user_id = UserIdField()
    skin_type = serializers.CharField(required=False, allow_blank=True, max_length=20)
    time_commitment = serializers.JSONField(
        required=False, help_text="Minutes (5, '10 min') or quick / moderate / extensive"
    )
    period = serializers.ChoiceField(choices=["am", "pm", "both"], required=False)
    budget = serializers.ChoiceField(choices=list(vocab.BUDGET_KEYS), required=False, allow_null=True)
    max_steps = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)


class SeedStepSerializer(StepSerializer):
    step_order = serializers.IntegerField()
    product_category = serializers.CharField()
    wait_time_seconds = serializers.IntegerField()


class SeedRoutineSerializer(RoutineSerializer):
    routine_id = serializers.CharField()
    steps = SeedStepSerializer(many=True)


class SeedRoutineCreateResponseSerializer(RoutineCreateResponseSerializer):
    routine_id = serializers.CharField(help_text="The first routine (morning when both were made)")
    steps = SeedStepSerializer(many=True)
    routines = SeedRoutineSerializer(many=True)


# --- progress, notifications, dermatologist ----------------------------------------------------------
class SeedMetricInputSerializer(serializers.Serializer):
    user_id = UserIdField()
    metric = serializers.CharField(max_length=100)
    value = serializers.FloatField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    date = serializers.DateField(required=False, allow_null=True)


class SeedMetricSerializer(MetricRecordSerializer):
    metric_id = serializers.CharField(source="id")
    success = serializers.BooleanField()


class SeedPushSerializer(serializers.Serializer):
    user_id = UserIdField()
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    type = serializers.RegexField(r"^[A-Za-z0-9_.\-]{1,30}$", required=False, default="general")
    data = serializers.DictField(required=False)


class SeedPushResultSerializer(NotificationSerializer):
    notification_id = serializers.CharField(source="id")
    success = serializers.BooleanField()

    class Meta(NotificationSerializer.Meta):
        fields = [*NotificationSerializer.Meta.fields, "notification_id", "success"]
        read_only_fields = fields


class SeedSlotQuerySerializer(serializers.Serializer):
    date = serializers.DateField()
    tz = serializers.CharField(required=False, max_length=64)
    dermatologist = serializers.UUIDField(required=False)
    user_id = UserIdField()


class SeedSlotSerializer(serializers.Serializer):
    slot_id = serializers.CharField()
    dermatologist_id = serializers.CharField()
    dermatologist_name = serializers.CharField()
    credentials = serializers.CharField()
    date = serializers.DateField()
    start_time = serializers.CharField(help_text="HH:MM in `timezone`")
    end_time = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    timezone = serializers.CharField()
    available = serializers.BooleanField()


class SeedBookSerializer(serializers.Serializer):
    user_id = UserIdField()
    slot_id = serializers.UUIDField()
    reason = serializers.CharField(max_length=2000)
    share_analysis = serializers.UUIDField(required=False, allow_null=True)
    analysis_id = serializers.UUIDField(required=False, allow_null=True, help_text="Same as share_analysis")
    share_before = serializers.UUIDField(required=False, allow_null=True)
    share_after = serializers.UUIDField(required=False, allow_null=True)


class SeedBookingSerializer(ConsultationSerializer):
    consultation_id = serializers.CharField(source="id")
    slot_id = serializers.CharField(allow_null=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "consultation_id", "slot_id"]
        read_only_fields = fields
