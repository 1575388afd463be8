"""Accounts API views: thin; validate with a serializer, call a service or selector, render."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services

from .serializers import NotificationSerializer


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications")],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return selectors.notification_list(user=self.request.user, unread_only=unread)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        notification = selectors.notification_get_for_user(user=request.user, notification_id=pk)
        services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)
