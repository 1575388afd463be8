"""Progress and sharing API (API.md). Thin: validate, call a service or selector, render."""

from __future__ import annotations

from datetime import timedelta

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from skincare.core import intake
from skincare.core.parsers import JSONParser
from skincare.core.throttling import DEFAULT_THROTTLES

from .. import selectors, services
from ..models import Milestone
from ..throttling import ShareReportThrottle
from .serializers import (
    CompareQuerySerializer,
    CompareSerializer,
    EntryInputSerializer,
    EntryJsonSerializer,
    EntryMultipartSerializer,
    EntrySerializer,
    MetricInputSerializer,
    MetricRecordSerializer,
    MetricsQuerySerializer,
    MetricsSerializer,
    MilestoneInputSerializer,
    MilestoneSerializer,
    ShareInputSerializer,
    ShareReportInputSerializer,
    ShareReportSerializer,
    ShareSerializer,
    StatsQuerySerializer,
    StatsSerializer,
    compare_data,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")


def _read_photo(request) -> bytes | None:
    """A photo from multipart `photo` (or `file`), or base64 in `photo` / `image_data`; None when absent (the one
    intake: same limits and codes as the analysis upload)."""
    return intake.request_image_bytes(
        request, file_fields=("photo", "file"), base64_fields=("photo", "image_data"), required=False
    )


class LogView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="progress_log",
        request={"application/json": EntryJsonSerializer, "multipart/form-data": EntryMultipartSerializer},
        responses={201: EntrySerializer, 400: ERROR, 404: ERROR, 413: ERROR},
        summary="Log a day: date, an analysis or a new photo, a self-rating 1-5 and notes",
    )
    def post(self, request):
        data = EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        photo = _read_photo(request)
        entry = services.entry_create(
            user=request.user,
            date=v.get("date"),
            analysis_id=v.get("analysis"),
            photo=photo,
            rating=v.get("rating"),
            notes=v.get("notes", ""),
        )
        if photo and v.get("consent"):  # as on the analysis upload: record the photo-analysis consent once
            from analysis.services import photo_consent_given, photo_consent_record

            if not photo_consent_given(request.user):
                photo_consent_record(user=request.user, ip_address=request.META.get("REMOTE_ADDR"))
        return Response(EntrySerializer(entry, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TimelineView(ListAPIView):
    serializer_class = EntrySerializer

    def get_queryset(self):
        return selectors.entry_list(user=self.request.user)

    @extend_schema(operation_id="progress_timeline", summary="Diary entries, newest first, with the day's scores")
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        days = [e.date for e in page if not (e.analysis_id and e.analysis and e.analysis.status == "done")]
        context = {
            "request": request,
            "day_analyses": selectors.day_analyses(user=request.user, days=days),
            "day_metrics": selectors.day_metrics(user=request.user, days=[e.date for e in page]),
        }
        return self.get_paginated_response(EntrySerializer(page, many=True, context=context).data)


class StatsView(APIView):
    @extend_schema(
        operation_id="progress_stats",
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer, 400: ERROR},
        summary="Routine adherence, streaks and per-concern trends (least-squares slope per week, verdict)",
    )
    def get(self, request):
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = selectors.progress_stats(user=request.user, days=query.validated_data["days"])
        return Response(StatsSerializer(data).data)


class MetricsView(APIView):
    @extend_schema(
        operation_id="progress_metrics",
        parameters=[MetricsQuerySerializer],
        responses={200: MetricsSerializer, 400: ERROR},
        summary="The person's logged metrics as series (one per name, oldest point first) over the last `days`",
    )
    def get(self, request):
        query = MetricsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(MetricsSerializer(metrics_data(request.user, **query.validated_data)).data)

    @extend_schema(
        operation_id="progress_metric_record",
        request=MetricInputSerializer,
        responses={201: MetricRecordSerializer, 400: ERROR},
        summary="Log a named metric of your own (e.g. skin_clarity 7) with notes",
    )
    def post(self, request):
        metric = record_metric(request)
        return Response(MetricRecordSerializer(metric).data, status=status.HTTP_201_CREATED)


def record_metric(request):
    """Validate a metric from the body and record it (POST /progress/metrics and the seed's /progress/update)."""
    data = MetricInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    return services.metric_record(
        user=request.user, name=v["metric"], value=v["value"], notes=v.get("notes", ""), date=v.get("date")
    )


def metrics_data(user, *, days: int = 90, metric: str | None = None) -> dict:
    today = selectors.user_today(user)
    start = today - timedelta(days=days - 1)
    name = services.metric_name_normalise(metric) if metric else None
    return {
        "period": {"start": start, "end": today, "days": days},
        "metrics": selectors.metric_series(user=user, name=name, since=start),
    }


class CompareView(APIView):
    @extend_schema(
        operation_id="progress_compare",
        parameters=[CompareQuerySerializer],
        responses={200: CompareSerializer, 400: ERROR, 404: ERROR},
        summary="Before/after: per-concern deltas, overall trend, both photos and the aligned after photo",
    )
    def get(self, request):
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        payload = services.compare(
            user=request.user, before_id=query.validated_data["before"], after_id=query.validated_data["after"]
        )
        return Response(CompareSerializer(compare_data(payload, request)).data)


class MilestoneView(ListAPIView):
    serializer_class = MilestoneSerializer

    def get_queryset(self):
        return selectors.milestone_list(user=self.request.user)

    @extend_schema(operation_id="progress_milestones", summary="The person's milestones, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="progress_milestone_record",
        request=MilestoneInputSerializer,
        responses={201: MilestoneSerializer, 200: MilestoneSerializer, 400: ERROR},
        summary="Record a personal milestone (once per key: a repeat answers 200 with the first)",
    )
    def post(self, request):
        data = MilestoneInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        milestone, created = services.milestone_record(
            user=request.user,
            kind=Milestone.Kind.CUSTOM,
            key=(v.get("key") or v["title"]).strip().lower(),
            title=v["title"].strip(),
            data=v.get("data") or {},
            notify=False,
        )
        return Response(
            MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ShareView(ListAPIView):
    serializer_class = ShareSerializer

    def get_queryset(self):
        return selectors.share_list(user=self.request.user)

    @extend_schema(operation_id="share_list", summary="The person's share links (live, expired and revoked)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="share_create",
        request=ShareInputSerializer,
        responses={201: ShareSerializer, 400: ERROR, 404: ERROR},
        summary="A public, unguessable, expiring link to an analysis or a before/after comparison",
    )
    def post(self, request):
        data = ShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        target = v.get("compare") or {}
        share = services.share_create(
            user=request.user,
            analysis_id=v.get("analysis"),
            before_id=target.get("before"),
            after_id=target.get("after"),
            expires_in_days=v["expires_in_days"],
        )
        return Response(ShareSerializer(share, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ShareDetailView(APIView):
    @extend_schema(operation_id="share_retrieve", responses={200: ShareSerializer, 404: ERROR})
    def get(self, request, pk):
        share = selectors.share_get(user=request.user, share_id=pk)
        return Response(ShareSerializer(share, context={"request": request}).data)

    @extend_schema(operation_id="share_revoke", responses={204: None, 404: ERROR}, summary="Revoke a share link")
    def delete(self, request, pk):
        services.share_revoke(share=selectors.share_get(user=request.user, share_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShareReportView(APIView):
    """Public: anyone who sees a shared page may report it (10 an hour per address)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [*DEFAULT_THROTTLES, ShareReportThrottle]

    @extend_schema(
        operation_id="share_report",
        auth=[],
        request=ShareReportInputSerializer,
        responses={201: ShareReportSerializer, 400: ERROR, 404: ERROR, 429: ERROR},
        summary="Report a shared page to the moderators (public, throttled)",
    )
    def post(self, request):
        data = ShareReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.share_report_create(token=v["token"], reason=v["reason"], details=v.get("details", ""))
        return Response(ShareReportSerializer(report).data, status=status.HTTP_201_CREATED)
