"""Privacy API: retention settings, who saw my photos, support grants, delete all photos."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from .serializers import (
    MediaAccessSerializer,
    PhotosDeletedSerializer,
    PrivacySettingsSerializer,
    SupportGrantSerializer,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")
ENCRYPTION = "AES-256-GCM, a key per file, wrapped by your own data key, wrapped by the server's master key"


def _settings_payload(user) -> dict:
    data = selectors.privacy_settings(user=user)
    data["storage"] = {**selectors.storage_facts(user=user), "encryption": ENCRYPTION}
    data["storage"].pop("key_created_at", None)
    return data


class PrivacySettingsView(APIView):
    @extend_schema(operation_id="privacy_retrieve", responses={200: PrivacySettingsSerializer})
    def get(self, request):
        return Response(PrivacySettingsSerializer(_settings_payload(request.user)).data)

    @extend_schema(
        operation_id="privacy_update",
        request=PrivacySettingsSerializer,
        responses={200: PrivacySettingsSerializer, 400: ERROR},
        summary="Choose how long photos are kept (applies to the photos already stored too)",
    )
    def put(self, request):
        return self._save(request, partial=False)

    def _save(self, request, *, partial: bool):
        serializer = PrivacySettingsSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        current = selectors.privacy_settings(user=request.user)
        data = {**current, **serializer.validated_data}
        services.retention_set(user=request.user, policy=data["photo_retention"], days=data.get("retention_days"))
        return Response(PrivacySettingsSerializer(_settings_payload(request.user)).data)

    @extend_schema(
        operation_id="privacy_partial_update",
        request=PrivacySettingsSerializer,
        responses={200: PrivacySettingsSerializer, 400: ERROR},
    )
    def patch(self, request):
        return self._save(request, partial=True)


class AccessListView(ListAPIView):
    serializer_class = MediaAccessSerializer

    def get_queryset(self):
        return selectors.access_list(user=self.request.user)

    @extend_schema(operation_id="privacy_access_list", summary="Who saw my photos: every serving, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class GrantListView(ListAPIView):
    serializer_class = SupportGrantSerializer

    def get_queryset(self):
        return selectors.grant_list(user=self.request.user)

    @extend_schema(operation_id="privacy_grant_list", summary="Staff requests to see my photos")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class GrantDecisionView(APIView):
    @extend_schema(
        operation_id="privacy_grant_decide",
        request=None,
        responses={200: SupportGrantSerializer, 400: ERROR, 404: ERROR},
        summary="approve (runs its hours from now), deny, or revoke a support grant",
    )
    def post(self, request, pk, decision: str):
        grant = selectors.grant_get(user=request.user, grant_id=pk)
        grant = services.grant_decide(grant=grant, decision=decision)
        return Response(SupportGrantSerializer(grant).data)


class PhotosDeleteView(APIView):
    @extend_schema(
        operation_id="privacy_photos_delete",
        request=None,
        responses={200: PhotosDeletedSerializer},
        summary="Delete all my photos now (keys destroyed, files deleted); results are kept",
    )
    def post(self, request):
        return Response({"deleted": services.photos_delete_all(user=request.user)})
