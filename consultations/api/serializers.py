"""Consultations API representations. Times are ISO 8601 in UTC, plus `local_*` in the viewer's timezone."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import AvailabilitySlot, Consultation, DermatologistProfile
from ..selectors import has_shared_material, zone


class DermatologistSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="user_id")

    class Meta:
        model = DermatologistProfile
        fields = ["id", "display_name", "credentials", "bio", "timezone"]
        read_only_fields = fields


def _local(value, tz_name: str) -> str | None:
    return value.astimezone(zone(tz_name)).isoformat() if value else None


class SlotSerializer(serializers.ModelSerializer):
    dermatologist = DermatologistSerializer()
    duration_minutes = serializers.IntegerField()
    local_starts_at = serializers.SerializerMethodField(help_text="The start in the timezone asked for")
    local_ends_at = serializers.SerializerMethodField()

    class Meta:
        model = AvailabilitySlot
        fields = ["id", "dermatologist", "starts_at", "ends_at", "duration_minutes", "local_starts_at", "local_ends_at"]
        read_only_fields = fields

    def get_local_starts_at(self, obj) -> str | None:
        return _local(obj.starts_at, self.context.get("tz", "UTC"))

    def get_local_ends_at(self, obj) -> str | None:
        return _local(obj.ends_at, self.context.get("tz", "UTC"))


class SlotQuerySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="A calendar day (YYYY-MM-DD) in `tz`")
    tz = serializers.CharField(required=False, max_length=64, help_text="IANA timezone; default: your profile's")
    dermatologist = serializers.UUIDField(required=False)

    def validate_tz(self, value):
        from accounts.models import validate_timezone

        validate_timezone(value)
        return value


class ConsultationSerializer(serializers.ModelSerializer):
    dermatologist = serializers.SerializerMethodField()
    local_starts_at = serializers.SerializerMethodField()
    slot = serializers.UUIDField(source="slot_id", allow_null=True)
    shared_analysis = serializers.UUIDField(source="shared_analysis_id", allow_null=True)
    shared_before = serializers.UUIDField(source="shared_before_id", allow_null=True)
    shared_after = serializers.UUIDField(source="shared_after_id", allow_null=True)
    has_shared_material = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField(help_text="Cancel or reschedule is still allowed (notice rule)")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "status",
            "dermatologist",
            "slot",
            "starts_at",
            "ends_at",
            "local_starts_at",
            "reason",
            "meeting_link",
            "shared_analysis",
            "shared_before",
            "shared_after",
            "has_shared_material",
            "note",
            "note_updated_at",
            "booked_at",
            "reschedule_count",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "completed_at",
            "can_cancel",
            "created_at",
        ]
        read_only_fields = fields

    def get_dermatologist(self, obj) -> dict:
        return {
            "id": str(obj.dermatologist_id) if obj.dermatologist_id else None,
            "display_name": obj.dermatologist_name,
        }

    def get_local_starts_at(self, obj) -> str | None:
        return _local(obj.starts_at, self.context.get("tz", "UTC"))

    def get_has_shared_material(self, obj) -> bool:
        return has_shared_material(obj)

    def get_can_cancel(self, obj) -> bool:
        from ..services import person_may_change

        return person_may_change(obj)


class BookSerializer(serializers.Serializer):
    slot = serializers.UUIDField()
    reason = serializers.CharField(max_length=2000)
    share_analysis = serializers.UUIDField(required=False, allow_null=True, help_text="One of your finished analyses")
    share_before = serializers.UUIDField(required=False, allow_null=True, help_text="A before/after pair: before")
    share_after = serializers.UUIDField(required=False, allow_null=True, help_text="A before/after pair: after")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RescheduleSerializer(serializers.Serializer):
    slot = serializers.UUIDField()


# --- the dermatologist's side ------------------------------------------------------------------------
class PersonSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class ScheduleEntrySerializer(ConsultationSerializer):
    """A booking as its dermatologist sees it: the person's name (not their email), times in the dermatologist's
    timezone."""

    person = serializers.SerializerMethodField()

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "person"]
        read_only_fields = fields

    def get_person(self, obj) -> dict:
        return {"first_name": obj.user.first_name, "last_name": obj.user.last_name}


class MaterialConcernSerializer(serializers.Serializer):
    key = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    severity = serializers.CharField()


class MaterialAnalysisSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    overall_score = serializers.IntegerField(allow_null=True)
    skin_type = serializers.CharField(allow_blank=True)
    concerns = MaterialConcernSerializer(many=True)
    image_url = serializers.CharField(allow_null=True, help_text="A short-lived signed link")
    overlay_url = serializers.CharField(allow_null=True)
    overlay_face_url = serializers.CharField(allow_null=True, help_text="The overlay cropped to the face")


class MaterialDeltaSerializer(serializers.Serializer):
    key = serializers.CharField()
    before = serializers.IntegerField(allow_null=True)
    after = serializers.IntegerField(allow_null=True)
    delta = serializers.IntegerField(allow_null=True)


class MaterialComparisonSerializer(serializers.Serializer):
    days_between = serializers.FloatField()
    overall = serializers.DictField()
    concerns = MaterialDeltaSerializer(many=True)
    before_url = serializers.CharField(allow_null=True)
    after_url = serializers.CharField(allow_null=True, help_text="Aligned onto the before photo when possible")


class MaterialSerializer(serializers.Serializer):
    analysis = MaterialAnalysisSerializer(allow_null=True)
    comparison = MaterialComparisonSerializer(allow_null=True)


class ScheduleDetailSerializer(ScheduleEntrySerializer):
    shared = serializers.SerializerMethodField(help_text="Null when nothing was shared or sharing has ended")
    sharing_open = serializers.SerializerMethodField()

    class Meta(ScheduleEntrySerializer.Meta):
        fields = [*ScheduleEntrySerializer.Meta.fields, "shared", "sharing_open"]
        read_only_fields = fields

    @extend_schema_field(MaterialSerializer(allow_null=True))
    def get_shared(self, obj):
        return self.context.get("material")

    def get_sharing_open(self, obj) -> bool:
        from ..selectors import sharing_open

        return has_shared_material(obj) and sharing_open(obj)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    meeting_link = serializers.URLField(required=False, allow_blank=True, max_length=500)


class PublishSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), max_length=7)
    day_start = serializers.TimeField(help_text="Local time in your timezone")
    day_end = serializers.TimeField()
    minutes = serializers.IntegerField(min_value=10, max_value=240)
    meeting_link = serializers.URLField(required=False, allow_blank=True, max_length=500)


class PublishResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped_overlap = serializers.IntegerField()
    skipped_past = serializers.IntegerField()
    skipped_nonexistent = serializers.IntegerField(help_text="Local times the clocks skip (daylight saving)")
