"""Skin analysis API (API.md): upload, detail, history, delete, feedback."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from skincare.core import intake, readcache
from skincare.core.errors import NotFound
from skincare.core.parsers import JSONParser
from skincare.core.throttling import SCOPED_THROTTLES

from .. import selectors, services
from .serializers import (
    AnalysisListSerializer,
    AnalysisSerializer,
    FeedbackResponseSerializer,
    FeedbackSerializer,
    UploadJsonSerializer,
    UploadResponseSerializer,
    UploadSerializer,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")


def read_upload(request) -> bytes:
    """The photo bytes from multipart `file` or JSON/form `image_data` (the one intake: 400/413 with a code)."""
    return intake.request_image_bytes(request)


def upload_payload(analysis, request) -> dict:
    data = AnalysisSerializer(analysis, context={"request": request}).data
    data["status_url"] = request.build_absolute_uri(reverse("analysis-detail", kwargs={"pk": analysis.pk}))
    scheme = "wss" if request.is_secure() else "ws"
    data["websocket_url"] = f"{scheme}://{request.get_host()}/ws/analysis/{analysis.pk}/"
    return data


class UploadView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "upload"

    @extend_schema(
        operation_id="analysis_upload",
        request={"multipart/form-data": UploadSerializer, "application/json": UploadJsonSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={202: UploadResponseSerializer, 400: ERROR, 413: ERROR, 415: ERROR},
        summary="Upload a selfie; 202 at once, the analysis runs on a worker",
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key")
        if key:
            existing = services.SkinAnalysis.objects.filter(
                user=request.user, idempotency_key=key.strip()[:255]
            ).first()
            if existing is not None:
                return Response(upload_payload(existing, request), status=status.HTTP_202_ACCEPTED)
        analysis = services.analysis_create(
            user=request.user,
            data=read_upload(request),
            idempotency_key=key,
            photo_free=str(request.data.get("photo_free", "")).lower() in ("true", "1", "on", "yes"),
        )
        if str(request.data.get("consent", "")).lower() in ("true", "1", "on", "yes"):
            if not services.photo_consent_given(request.user):
                services.photo_consent_record(user=request.user, ip_address=request.META.get("REMOTE_ADDR"))
        response = Response(upload_payload(analysis, request), status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("analysis-detail", kwargs={"pk": analysis.pk})
        return response


class AnalysisDetailView(APIView):
    @extend_schema(operation_id="analysis_retrieve", responses={200: AnalysisSerializer, 404: ERROR})
    def get(self, request, pk):
        analysis = selectors.analysis_get(user=request.user, analysis_id=pk)
        return Response(AnalysisSerializer(analysis, context={"request": request}).data)

    @extend_schema(operation_id="analysis_destroy", responses={204: None, 404: ERROR})
    def delete(self, request, pk):
        analysis = selectors.analysis_get(user=request.user, analysis_id=pk)
        services.analysis_delete(analysis=analysis)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoView(APIView):
    @extend_schema(
        operation_id="analysis_photo_destroy",
        responses={204: None, 400: ERROR, 404: ERROR},
        summary="Delete the photo (and its overlay and aligned comparisons), keep the results",
        description="The photo's key is destroyed (crypto-shredding: copies in backups are unreadable too) and the "
        "files deleted. Scores, lesion boxes and landmarks stay; `photo.deleted_at` says when. Idempotent.",
    )
    def delete(self, request, pk):
        from privacy.services import photo_delete_for_user

        photo_delete_for_user(user=request.user, analysis_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FaceMapView(APIView):
    @extend_schema(
        operation_id="analysis_face_map",
        responses={(200, "image/svg+xml"): OpenApiTypes.STR, 404: ERROR},
        summary="The face map: regions, lesion boxes and scores drawn on a neutral face outline (SVG)",
        description="Drawn from the stored measurements, so it exists for photo-free analyses and after the photo "
        "was deleted. 404 until the analysis is done.",
    )
    def get(self, request, pk):
        from django.http import HttpResponse

        from ..facemap import face_map_svg

        analysis = selectors.analysis_get(user=request.user, analysis_id=pk)
        svg = face_map_svg(analysis)
        if svg is None:
            raise NotFound(gettext("This analysis has no face map yet."), code="face_map_unavailable")
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=300"
        return response


class HistoryView(ListAPIView):
    serializer_class = AnalysisListSerializer

    def get_queryset(self):
        return selectors.analysis_history(user=self.request.user)

    @extend_schema(operation_id="analysis_history", summary="The user's analyses, newest first")
    @readcache.cached_get()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FeedbackView(APIView):
    @extend_schema(
        operation_id="analysis_feedback",
        request=FeedbackSerializer,
        responses={201: FeedbackResponseSerializer, 400: ERROR, 404: ERROR},
    )
    def post(self, request, pk):
        analysis = selectors.analysis_get(user=request.user, analysis_id=pk)
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        corrections = data.get("corrections") or {}
        feedback = services.feedback_create(
            analysis=analysis,
            user=request.user,
            rating=data["rating"],
            comment=data.get("comment", ""),
            corrected_skin_type=corrections.get("skin_type"),
            corrected_age=corrections.get("age"),
        )
        return Response(
            {
                "id": feedback.pk,
                "rating": feedback.rating,
                "comment": feedback.comment,
                "corrections": {
                    "skin_type": feedback.corrected_skin_type or None,
                    "age": feedback.corrected_age,
                },
                "created_at": feedback.created_at,
            },
            status=status.HTTP_201_CREATED,
        )
