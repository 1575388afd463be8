"""Consultations API representations. Times are ISO 8601 in UTC, plus `local_*` in the viewer's timezone."""

from __future__ import annotations

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
