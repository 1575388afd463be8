"""Progress and sharing API representations (API.md: progress, sharing)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from privacy.media import owner_media_url
from skincare.core.context_processors import DISCLAIMER

from ..models import Milestone, ProgressEntry, ShareLink, ShareReport


def file_url(name: str | None, request=None) -> str | None:
    """A short-lived signed link to one of the signed-in person's own stored images (absolute)."""
    return owner_media_url(name, user=getattr(request, "user", None), request=request)


def scores_of(analysis, source: str) -> dict | None:
    if analysis is None or analysis.status != "done":
        return None
    return {
        "analysis": str(analysis.pk),
        "source": source,
        "overall_score": analysis.overall_score,
        "concerns": {c["key"]: c.get("score") for c in analysis.concerns or [] if c.get("key")},
    }


# --- entries -----------------------------------------------------------------------------------
class EntryInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    analysis = serializers.UUIDField(required=False, allow_null=True, help_text="An existing analysis of yours")
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    consent = serializers.BooleanField(required=False, help_text="Agree to the photo analysis (recorded once)")


class EntryMultipartSerializer(EntryInputSerializer):
    photo = serializers.FileField(required=False, help_text="A new photo: it becomes an analysis")


class EntryJsonSerializer(EntryInputSerializer):
    photo = serializers.CharField(required=False, help_text="A new photo as base64: it becomes an analysis")


class DayScoresSerializer(serializers.Serializer):
    analysis = serializers.UUIDField()
    source = serializers.ChoiceField(
        choices=["entry", "day"], help_text="entry: the entry's own analysis; day: that day's latest analysis"
    )
    overall_score = serializers.IntegerField(allow_null=True)
    concerns = serializers.DictField(child=serializers.IntegerField(allow_null=True))


class DayMetricSerializer(serializers.Serializer):
    metric = serializers.CharField()
    value = serializers.FloatField()
    notes = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    analysis = serializers.UUIDField(source="analysis_id", allow_null=True, read_only=True)
    analysis_status = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    metrics = serializers.SerializerMethodField(help_text="The metrics the person logged that day")

    class Meta:
        model = ProgressEntry
        fields = ["id", "date", "rating", "notes", "analysis", "analysis_status", "scores", "metrics", "created_at"]
        read_only_fields = fields

    @extend_schema_field(DayMetricSerializer(many=True))
    def get_metrics(self, obj) -> list[dict]:
        return self.context.get("day_metrics", {}).get(obj.date, [])

    def get_analysis_status(self, obj) -> str | None:
        return obj.analysis.status if obj.analysis_id and obj.analysis else None

    @extend_schema_field(DayScoresSerializer(allow_null=True))
    def get_scores(self, obj):
        if obj.analysis_id and obj.analysis:
            own = scores_of(obj.analysis, "entry")
            if own is not None:
                return own
        day = self.context.get("day_analyses", {}).get(obj.date)
        return scores_of(day, "day")


# --- stats -------------------------------------------------------------------------------------
class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    expected = serializers.IntegerField()
    done = serializers.IntegerField()
    complete = serializers.BooleanField()


class AdherenceSerializer(serializers.Serializer):
    rate = serializers.FloatField(allow_null=True, help_text="0..1, null when nothing was scheduled")
    done = serializers.IntegerField()
    expected = serializers.IntegerField()
    reason = serializers.CharField(allow_null=True)
    calendar = CalendarDaySerializer(many=True)


class StreakSerializer(serializers.Serializer):
    current = serializers.IntegerField()
    longest = serializers.IntegerField()
    current_start = serializers.DateField(allow_null=True)


class StreaksSerializer(serializers.Serializer):
    logging = StreakSerializer()
    routine = StreakSerializer(allow_null=True)


class PointSerializer(serializers.Serializer):
    date = serializers.DateField()
    score = serializers.FloatField()


class TrendSerializer(serializers.Serializer):
    key = serializers.CharField()
    points = serializers.IntegerField()
    first = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    slope_per_week = serializers.FloatField(allow_null=True, help_text="Least-squares slope, points per week")
    verdict = serializers.ChoiceField(choices=["improving", "stable", "worsening"], allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text="Why there is no verdict")
    series = PointSerializer(many=True)


class RatingsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    slope_per_week = serializers.FloatField(allow_null=True)


class MetricPointSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    value = serializers.FloatField()
    notes = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class MetricSeriesSerializer(serializers.Serializer):
    metric = serializers.CharField()
    count = serializers.IntegerField()
    latest = serializers.FloatField()
    average = serializers.FloatField()
    min = serializers.FloatField()
    max = serializers.FloatField()
    points = MetricPointSerializer(many=True, help_text="Oldest first")


class MetricsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    metrics = MetricSeriesSerializer(many=True)


class MetricInputSerializer(serializers.Serializer):
    metric = serializers.CharField(
        max_length=100, help_text="A free name, e.g. skin_clarity (normalised to snake_case)"
    )
    value = serializers.FloatField(help_text="A number on the person's own scale, e.g. 0-10")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    date = serializers.DateField(required=False, allow_null=True, help_text="Default: the person's today")


class MetricRecordSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    metric = serializers.CharField(source="name")
    value = serializers.FloatField()
    notes = serializers.CharField()
    date = serializers.DateField()
    recorded_at = serializers.DateTimeField()


class MetricsQuerySerializer(serializers.Serializer):
    metric = serializers.CharField(required=False, max_length=100)
    days = serializers.IntegerField(required=False, min_value=1, max_value=730, default=90)


class StatsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    adherence = AdherenceSerializer()
    streaks = StreaksSerializer()
    overall = TrendSerializer()
    trends = TrendSerializer(many=True)
    ratings = RatingsSerializer()
    entries = serializers.IntegerField()
    analyses = serializers.IntegerField()
    metrics = MetricSeriesSerializer(many=True, help_text="The person's own logged metrics in the period")


class StatsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(required=False, min_value=1, max_value=730, default=90)


# --- compare -----------------------------------------------------------------------------------
class CompareQuerySerializer(serializers.Serializer):
    before = serializers.UUIDField()
    after = serializers.UUIDField()


class CompareSideSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    overall_score = serializers.IntegerField(allow_null=True)
    image_url = serializers.CharField(allow_null=True)
    photo_deleted_at = serializers.DateTimeField(
        allow_null=True, help_text="When this photo was deleted (the scores stay; image_url is null)"
    )
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class ConcernDeltaSerializer(serializers.Serializer):
    key = serializers.CharField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(allow_null=True)


class OverallSerializer(serializers.Serializer):
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(allow_null=True)
    basis = serializers.CharField(allow_null=True)
    improved = serializers.ListField(child=serializers.CharField(), required=False)
    worsened = serializers.ListField(child=serializers.CharField(), required=False)


class AlignmentSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    residual_px = serializers.FloatField(allow_null=True, help_text="RMS distance of stable landmarks, pixels")
    landmarks_used = serializers.IntegerField()
    reason = serializers.CharField(allow_null=True)


class CompareSerializer(serializers.Serializer):
    before = CompareSideSerializer()
    after = CompareSideSerializer()
    aligned_image_url = serializers.CharField(allow_null=True, help_text="The after photo warped onto the before one")
    alignment = AlignmentSerializer()
    days_between = serializers.FloatField()
    concerns = ConcernDeltaSerializer(many=True)
    overall = OverallSerializer()
    disclaimer = serializers.CharField()


def compare_data(payload: dict, request=None) -> dict:
    before, after, comparison = payload["before"], payload["after"], payload["comparison"]

    def side(a) -> dict:
        return {
            "id": a.pk,
            "created_at": a.created_at,
            "overall_score": a.overall_score,
            "image_url": file_url(a.image.name if a.image else None, request),
            "photo_deleted_at": a.photo_deleted_at,
            "width": a.image_width,
            "height": a.image_height,
        }

    aligned = comparison.aligned_image.name if comparison.aligned_image else None
    return {
        "before": side(before),
        "after": side(after),
        "aligned_image_url": file_url(aligned, request),
        "alignment": {
            "ok": bool(aligned),
            "residual_px": comparison.residual_px,
            "landmarks_used": comparison.landmarks_used,
            "reason": comparison.failure_text or None,
        },
        "days_between": payload["days_between"],
        "concerns": payload["concerns"],
        "overall": payload["overall"],
        "disclaimer": DISCLAIMER,
    }


# --- milestones --------------------------------------------------------------------------------
class MilestoneSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_text", read_only=True, help_text="In the reader's language")

    class Meta:
        model = Milestone
        fields = ["id", "kind", "key", "title", "achieved_at", "data"]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    key = serializers.CharField(max_length=100, required=False, help_text="Recorded once per key; default: the title")
    data = serializers.DictField(required=False)


# --- sharing -----------------------------------------------------------------------------------
class CompareTargetSerializer(serializers.Serializer):
    before = serializers.UUIDField()
    after = serializers.UUIDField()


class ShareInputSerializer(serializers.Serializer):
    analysis = serializers.UUIDField(required=False, allow_null=True)
    compare = CompareTargetSerializer(required=False, allow_null=True)
    expires_in_days = serializers.IntegerField(required=False, min_value=1, max_value=30, default=7)


class ShareSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "url",
            "kind",
            "analysis",
            "before",
            "after",
            "created_at",
            "expires_at",
            "revoked_at",
            "state",
            "view_count",
        ]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        from django.urls import reverse

        path = reverse("progress:public", kwargs={"token": obj.token})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ShareReportInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)
    reason = serializers.ChoiceField(choices=ShareReport.Reason.choices)
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ShareReportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
