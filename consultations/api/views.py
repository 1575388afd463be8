"""Consultations API: dermatologists, free slots by date, booking, cancel, reschedule. Thin views."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..material import material_context
from ..models import Consultation
from .serializers import (
    BookSerializer,
    CancelSerializer,
    ConsultationSerializer,
    DermatologistSerializer,
    NoteSerializer,
    PublishResultSerializer,
    PublishSerializer,
    RescheduleSerializer,
    ScheduleDetailSerializer,
    ScheduleEntrySerializer,
    SlotQuerySerializer,
    SlotSerializer,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def free_slots_for(request, query: dict):
    """(slots, timezone name) for a validated SlotQuerySerializer query: the day is the person's calendar day."""
    tz_name = query.get("tz") or selectors.person_zone_name(request.user)
    slots = selectors.free_slots(day=query["date"], tz_name=tz_name, dermatologist_id=query.get("dermatologist"))
    return slots, tz_name


def book(request, data: dict) -> Consultation:
    """Book from a validated BookSerializer body (our API and the seed client's /dermatologist/book)."""
    return services.consultation_book(
        user=request.user,
        slot_id=data["slot"],
        reason=data["reason"],
        share_analysis_id=data.get("share_analysis"),
        share_before_id=data.get("share_before"),
        share_after_id=data.get("share_after"),
    )


class DermatologistListView(ListAPIView):
    serializer_class = DermatologistSerializer

    def get_queryset(self):
        return selectors.dermatologists_accepting()

    @extend_schema(operation_id="consultations_dermatologists", summary="Dermatologists taking bookings")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SlotListView(ListAPIView):
    serializer_class = SlotSerializer

    def get_queryset(self):
        self.query = valid(SlotQuerySerializer, self.request.query_params)
        slots, self.tz_name = free_slots_for(self.request, self.query)
        return slots

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tz": getattr(self, "tz_name", "UTC")}

    @extend_schema(
        operation_id="consultations_free_slots",
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: ERROR},
        summary="Free slots starting on a day (your calendar day), soonest first",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ConsultationListView(ListAPIView):
    serializer_class = ConsultationSerializer

    def get_queryset(self):
        return selectors.consultation_list(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tz": selectors.person_zone_name(self.request.user)}

    @extend_schema(operation_id="consultations_list", summary="Your consultations, latest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="consultations_book",
        request=BookSerializer,
        responses={201: ConsultationSerializer, 400: ERROR, 404: ERROR, 409: ERROR},
        summary="Book a free slot with a reason; optionally share an analysis or a before/after pair for it",
    )
    def post(self, request):
        consultation = book(request, valid(BookSerializer, request.data))
        return Response(_render(request, consultation), status=status.HTTP_201_CREATED)


def _render(request, consultation) -> dict:
    return ConsultationSerializer(consultation, context={"tz": selectors.person_zone_name(request.user)}).data


class ConsultationDetailView(APIView):
    @extend_schema(
        operation_id="consultations_retrieve",
        responses={200: ConsultationSerializer, 404: ERROR},
        summary="One of your consultations, with the dermatologist's note",
    )
    def get(self, request, pk):
        return Response(_render(request, selectors.consultation_get(user=request.user, consultation_id=pk)))


class ConsultationCancelView(APIView):
    @extend_schema(
        operation_id="consultations_cancel",
        request=CancelSerializer,
        responses={200: ConsultationSerializer, 400: ERROR, 404: ERROR},
        summary="Cancel (up to CONSULTATION_CANCEL_NOTICE_HOURS before it starts)",
    )
    def post(self, request, pk):
        consultation = selectors.consultation_get(user=request.user, consultation_id=pk)
        data = valid(CancelSerializer, request.data)
        consultation = services.consultation_cancel(
            consultation=consultation, by=Consultation.CancelledBy.PERSON, reason=data.get("reason", "")
        )
        return Response(_render(request, consultation))


class ConsultationRescheduleView(APIView):
    @extend_schema(
        operation_id="consultations_reschedule",
        request=RescheduleSerializer,
        responses={200: ConsultationSerializer, 400: ERROR, 404: ERROR, 409: ERROR},
        summary="Move to another free slot of the same dermatologist (same notice as cancelling)",
    )
    def post(self, request, pk):
        consultation = selectors.consultation_get(user=request.user, consultation_id=pk)
        data = valid(RescheduleSerializer, request.data)
        consultation = services.consultation_reschedule(consultation=consultation, slot_id=data["slot"])
        return Response(_render(request, consultation))


# --- the dermatologist's side ------------------------------------------------------------------------
class IsDermatologist(BasePermission):
    message = gettext_lazy("Only a dermatologist can do this.")

    def has_permission(self, request, view) -> bool:
        profile = selectors.dermatologist_for_user(request.user)
        request.dermatologist = profile
        return profile is not None


def _booked_with_me(request, pk) -> Consultation:
    return selectors.dermatologist_consultation_get(dermatologist=request.dermatologist, consultation_id=pk)


class ScheduleView(ListAPIView):
    permission_classes = [IsAuthenticated, IsDermatologist]
    serializer_class = ScheduleEntrySerializer

    def get_queryset(self):
        return selectors.dermatologist_consultations(dermatologist=self.request.dermatologist).filter(
            status=Consultation.Status.BOOKED, ends_at__gt=timezone.now() - dt.timedelta(hours=12)
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tz": self.request.dermatologist.timezone}

    @extend_schema(
        operation_id="consultations_schedule",
        responses={200: ScheduleEntrySerializer(many=True), 403: ERROR},
        summary="Dermatologist: the consultations booked with you, soonest first",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ScheduleDetailView(APIView):
    permission_classes = [IsAuthenticated, IsDermatologist]

    def _render(self, request, consultation) -> dict:
        material = material_context(selectors.shared_material(consultation=consultation), consultation, request)
        context = {"tz": request.dermatologist.timezone, "material": material}
        return ScheduleDetailSerializer(consultation, context=context).data

    @extend_schema(
        operation_id="consultations_schedule_retrieve",
        responses={200: ScheduleDetailSerializer, 403: ERROR, 404: ERROR},
        summary="Dermatologist: one booking with what the person shared (read-only, while it runs)",
    )
    def get(self, request, pk):
        return Response(self._render(request, _booked_with_me(request, pk)))

    @extend_schema(
        operation_id="consultations_schedule_note",
        request=NoteSerializer,
        responses={200: ScheduleDetailSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary="Dermatologist: write the note the person reads, or set the meeting link (the person is told)",
    )
    def post(self, request, pk):
        consultation = _booked_with_me(request, pk)
        data = valid(NoteSerializer, request.data)
        consultation = services.consultation_update_by_dermatologist(
            consultation=consultation, note=data.get("note"), meeting_link=data.get("meeting_link")
        )
        return Response(self._render(request, consultation))


class PublishView(APIView):
    permission_classes = [IsAuthenticated, IsDermatologist]

    @extend_schema(
        operation_id="consultations_schedule_publish",
        request=PublishSerializer,
        responses={201: PublishResultSerializer, 400: ERROR, 403: ERROR},
        summary="Dermatologist: publish a series of slots (local times in your timezone)",
    )
    def post(self, request):
        data = valid(PublishSerializer, request.data)
        result = services.slots_publish(dermatologist=request.dermatologist, **data)
        return Response(
            {
                "created": len(result.created),
                "skipped_overlap": result.skipped_overlap,
                "skipped_past": result.skipped_past,
                "skipped_nonexistent": result.skipped_nonexistent,
            },
            status=status.HTTP_201_CREATED,
        )
