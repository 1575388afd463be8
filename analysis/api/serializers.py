"""The analysis representation of API.md, exactly, plus a few added fields (conditions, skin tone, timings)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from privacy.media import Viewer, media_url
from skincare.core.serializers import BuiltFieldsCacheMixin

from .. import messages
from ..models import SkinAnalysis
from ..services import DISCLAIMER, SKIN_TYPES


def _file_url(field, serializer, obj) -> str | None:
    """A signed link for the viewer in the context ("viewer"), else for the owner when the request's user is the
    owner; no link otherwise. Serving it records who saw the image (privacy.media)."""
    if not field or not field.name:
        return None
    request = serializer.context.get("request")
    viewer = serializer.context.get("viewer")
    if viewer is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.pk != obj.user_id:
            return None
        viewer = Viewer.owner(user)
    return media_url(field.name, viewer=viewer, request=request)


class PhotoSerializer(serializers.Serializer):
    kept = serializers.BooleanField(help_text="The photo is stored (encrypted) and image_url opens it")
    photo_free = serializers.BooleanField(help_text="Uploaded photo-free: the photo was discarded once measured")
    deleted_at = serializers.DateTimeField(allow_null=True, help_text="When the photo was deleted")
    deleted_reason = serializers.CharField(allow_null=True, help_text="person, retention, photo_free, after_analysis")
    delete_on = serializers.DateTimeField(
        allow_null=True, help_text="When the retention sweep will delete it (null: kept until you delete it)"
    )
    retention = serializers.CharField(help_text="The retention policy in words")


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class QualitySerializer(serializers.Serializer):
    brightness = serializers.FloatField(allow_null=True)
    sharpness = serializers.FloatField(allow_null=True)
    face_size = serializers.FloatField(allow_null=True)
    ok = serializers.BooleanField()


class SkinTypeSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    source = serializers.CharField(allow_null=True)


class ConcernSerializer(serializers.Serializer):
    key = serializers.CharField()
    score = serializers.IntegerField()
    severity = serializers.CharField()
    confidence = serializers.FloatField()
    regions = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    raw = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    explanation = serializers.CharField(help_text="What was measured, in plain words (in the reader's language)")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Why it is less certain: "low_resolution", "occluded:<region>", "out_of_frame:<region>", '
        '"underexposed"; empty when nothing limits it',
    )


class RegionQualitySerializer(serializers.Serializer):
    visible = serializers.FloatField(help_text="Share of the region's skin that could be measured (0-1)")
    confidence = serializers.FloatField()
    reason = serializers.CharField(
        allow_null=True, help_text="occluded | out_of_frame | low_resolution; null when the region was fully measured"
    )


class SkinToneSerializer(serializers.Serializer):
    ita = serializers.FloatField(help_text="ITA° measured on the photo")
    category = serializers.CharField(
        allow_null=True, help_text="very_light | light | intermediate | tan | brown | dark (ml.types.SKIN_TONES)"
    )
    hex = serializers.CharField(allow_null=True, help_text="The measured skin colour, #rrggbb (the swatch)")


class LesionSerializer(serializers.Serializer):
    box = serializers.ListField(child=serializers.IntegerField())
    kind = serializers.CharField()
    confidence = serializers.FloatField()
    region = serializers.CharField(allow_null=True)


class ConditionSerializer(serializers.Serializer):
    label = serializers.CharField()
    confidence = serializers.FloatField()


class AnalysisSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer):
    error = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    overlay_url = serializers.SerializerMethodField()
    overlay_face_url = serializers.SerializerMethodField(
        help_text="The overlay cropped to the face at the photo's resolution (overlay_url: the whole photo)"
    )
    skin_tone = serializers.SerializerMethodField()
    region_quality = serializers.SerializerMethodField()
    quality = serializers.SerializerMethodField()
    skin_type = serializers.SerializerMethodField()
    skin_age = serializers.SerializerMethodField()
    concerns = serializers.SerializerMethodField()
    lesions = serializers.SerializerMethodField()
    model_version = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    disclaimer = serializers.SerializerMethodField()
    photo = serializers.SerializerMethodField()

    class Meta:
        model = SkinAnalysis
        fields = [
            "id",
            "status",
            "created_at",
            "started_at",
            "completed_at",
            "error",
            "image_url",
            "overlay_url",
            "overlay_face_url",
            "overlay_face_box",
            "image_width",
            "image_height",
            "quality",
            "face_box",
            "skin_type",
            "skin_age",
            "overall_score",
            "concerns",
            "lesions",
            "conditions",
            "skin_tone_ita",
            "skin_tone",
            "region_quality",
            "model_version",
            "processing_ms",
            "timings",
            "disclaimer",
            "photo",
        ]
        read_only_fields = fields

    @extend_schema_field(ErrorSerializer(allow_null=True))
    def get_error(self, obj):
        if obj.status != SkinAnalysis.Status.FAILED:
            return None
        return {"code": obj.error_code, "detail": obj.error_text}

    def get_image_url(self, obj) -> str | None:
        return _file_url(obj.image, self, obj)

    def get_overlay_url(self, obj) -> str | None:
        return _file_url(obj.overlay, self, obj)

    @extend_schema_field(PhotoSerializer)
    def get_photo(self, obj):
        from privacy.retention import photo_delete_on, policy_for

        policies = self.context.setdefault("_retention", {})  # one query per owner, not per row
        if obj.user_id not in policies:
            policies[obj.user_id] = policy_for(user_id=obj.user_id)
        policy = policies[obj.user_id]
        return {
            "kept": obj.has_photo,
            "photo_free": obj.photo_free,
            "deleted_at": obj.photo_deleted_at,
            "deleted_reason": obj.photo_deleted_reason or None,
            "delete_on": photo_delete_on(obj, policy),
            "retention": policy.label,
        }

    def get_overlay_face_url(self, obj) -> str | None:
        return _file_url(obj.overlay_face, self, obj)

    @extend_schema_field(SkinToneSerializer(allow_null=True))
    def get_skin_tone(self, obj):
        if obj.skin_tone_ita is None:
            return None
        return {"ita": obj.skin_tone_ita, "category": obj.skin_tone_category or None, "hex": obj.skin_tone_hex or None}

    @extend_schema_field(serializers.DictField(child=RegionQualitySerializer(), allow_null=True))
    def get_region_quality(self, obj):
        return obj.region_quality

    @extend_schema_field(QualitySerializer(allow_null=True))
    def get_quality(self, obj):
        q = obj.quality or {}
        if not q:
            return None
        out = {k: q.get(k) for k in ("brightness", "sharpness", "face_size")}
        out["ok"] = bool(q.get("ok"))
        out["issues"] = messages.quality_rendered(q.get("issues", []))
        return out

    @extend_schema_field(SkinTypeSerializer(allow_null=True))
    def get_skin_type(self, obj):
        if not obj.skin_type:
            return None
        return {"value": obj.skin_type, "confidence": obj.skin_type_confidence, "source": obj.skin_type_source}

    def get_skin_age(self, obj) -> int | None:
        return None if obj.skin_age is None else int(round(obj.skin_age))

    @extend_schema_field(ConcernSerializer(many=True))
    def get_concerns(self, obj):
        return [messages.concern_rendered(c) for c in obj.concerns or []]

    @extend_schema_field(LesionSerializer(many=True))
    def get_lesions(self, obj):
        return [
            {"box": le.box, "kind": le.kind, "confidence": le.confidence, "region": le.region or None}
            for le in obj.lesions.all()
        ]

    @extend_schema_field(ConditionSerializer(many=True, allow_null=True))
    def get_conditions(self, obj):
        return obj.conditions

    def get_model_version(self, obj) -> str | None:
        return obj.model_version.name if obj.model_version_id and obj.model_version else None

    def get_disclaimer(self, obj) -> str:
        return DISCLAIMER


class AnalysisListSerializer(AnalysisSerializer):
    """History rows: the summary without lesions' detail (their count instead) and without landmarks."""

    lesion_count = serializers.SerializerMethodField()

    class Meta(AnalysisSerializer.Meta):
        fields = [f for f in AnalysisSerializer.Meta.fields if f != "lesions"] + ["lesion_count"]
        read_only_fields = fields

    def get_lesion_count(self, obj) -> int:
        return getattr(obj, "lesion_count", None) or 0


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="The photo (multipart).")
    image_data = serializers.CharField(required=False, help_text="The photo as base64, with or without a data: prefix.")
    consent = serializers.BooleanField(
        required=False, help_text="true records the person's consent to photo analysis (asked on the first upload)."
    )
    photo_free = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: photo-free analysis. The photo is measured, then discarded in the same task; only the "
        "measurements are stored and pages draw them on a neutral face outline.",
    )


class UploadJsonSerializer(serializers.Serializer):
    """The JSON body of an upload (clients without multipart): its own schema component, so a client generated from
    the schema tells the two bodies apart."""

    image_data = serializers.CharField(help_text="The photo as base64, with or without a data: prefix.")
    consent = serializers.BooleanField(
        required=False, help_text="true records the person's consent to photo analysis (asked on the first upload)."
    )
    photo_free = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: photo-free analysis. The photo is measured, then discarded in the same task; only the "
        "measurements are stored and pages draw them on a neutral face outline.",
    )


class UploadResponseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    status_url = serializers.CharField()
    websocket_url = serializers.CharField()


class CorrectionsSerializer(serializers.Serializer):
    skin_type = serializers.ChoiceField(choices=SKIN_TYPES, required=False, allow_null=True)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=10, max_value=100)


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    corrections = CorrectionsSerializer(required=False)


class FeedbackResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    corrections = serializers.DictField()
    created_at = serializers.DateTimeField()
