"""Routines and shelf API (API.md). Thin: validate, call a service or selector, render."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from skincare.core import readcache

from .. import selectors, services
from .serializers import (
    CompleteSerializer,
    DayCompletionSerializer,
    RoutineCreateResponseSerializer,
    RoutineCreateSerializer,
    RoutineDetailSerializer,
    RoutineSerializer,
    RoutineUpdateSerializer,
    ShelfItemInputSerializer,
    ShelfItemSerializer,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")


def _week_context(request) -> dict:
    return selectors.week_context(user=request.user)


class RoutineCreateView(APIView):
    @extend_schema(
        request=RoutineCreateSerializer,
        responses={200: RoutineCreateResponseSerializer, 400: ERROR},
        summary="Generate personalised routine(s) from the profile, the latest analysis, the shelf and the catalog",
    )
    def post(self, request):
        data = RoutineCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # 200, not 201: the original mobile client asserts 200 (API.md).
        return Response({"routines": generate_routines(request, data.validated_data)})


def generate_routines(request, options: dict) -> list[dict]:
    """Build and save the routine(s) for validated RoutineCreateSerializer options; serialized, am before pm."""
    routines = services.routine_generate(user=request.user, **options)
    routines = list(selectors.routines_for_user(user=request.user).filter(pk__in=[r.pk for r in routines]))
    routines.sort(key=lambda r: r.period)
    return RoutineSerializer(routines, many=True, context=_week_context(request)).data


class MyRoutinesView(GenericAPIView):
    serializer_class = RoutineSerializer

    def get_queryset(self):
        return selectors.routines_for_user(user=self.request.user)

    @extend_schema(
        operation_id="routine_my_routines_list",
        responses=RoutineSerializer(many=True),  # a list: documented as the paginated page it is
        summary="The user's routines, newest first (paginated)",
    )
    @readcache.cached_get(vary=lambda request: str(selectors.local_today(request.user)))  # each day's week
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RoutineSerializer(page, many=True, context=_week_context(request)).data)


class RoutineDetailView(APIView):
    def _get(self, request, pk):
        return selectors.routine_get_for_user(user=request.user, routine_id=pk)

    def _render(self, request, pk):
        return Response(RoutineDetailSerializer(self._get(request, pk), context=_week_context(request)).data)

    @extend_schema(responses={200: RoutineDetailSerializer, 404: ERROR}, summary="One routine, with adherence")
    def get(self, request, pk):
        return self._render(request, pk)

    def _update(self, request, pk, *, partial: bool):
        routine = self._get(request, pk)
        data = RoutineUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "steps" in values:
            values["steps"] = [dict(s) for s in values["steps"]]
        services.routine_update(routine=routine, **values)
        return self._render(request, pk)

    @extend_schema(
        request=RoutineUpdateSerializer,
        responses={200: RoutineDetailSerializer, 400: ERROR, 404: ERROR},
        summary="Edit a routine; `steps` replaces the whole list (steps keep their id to keep their history)",
    )
    def put(self, request, pk):
        return self._update(request, pk, partial=False)

    @extend_schema(request=RoutineUpdateSerializer, responses={200: RoutineDetailSerializer, 400: ERROR, 404: ERROR})
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    @extend_schema(responses={204: None, 404: ERROR})
    def delete(self, request, pk):
        services.routine_delete(routine=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoutineStartView(APIView):
    @extend_schema(
        request=None,
        responses={200: RoutineDetailSerializer, 404: ERROR},
        summary="Start the routine: reminders begin at the profile's reminder time for its period",
    )
    def post(self, request, pk):
        routine = selectors.routine_get_for_user(user=request.user, routine_id=pk)
        services.routine_start(routine=routine)
        return Response(RoutineDetailSerializer(routine, context=_week_context(request)).data)


class RoutineCompleteView(APIView):
    @extend_schema(
        request=CompleteSerializer,
        responses={200: DayCompletionSerializer, 400: ERROR, 404: ERROR},
        summary="Mark a step done for a day (default: your local today); idempotent",
    )
    def post(self, request, pk):
        routine = selectors.routine_get_for_user(user=request.user, routine_id=pk)
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.step_complete(
            routine=routine, step_id=data.validated_data["step"], day=data.validated_data.get("date")
        )
        return Response(result)


class ShelfView(GenericAPIView):
    serializer_class = ShelfItemSerializer

    def get_queryset(self):
        return selectors.shelf_for_user(user=self.request.user)

    def _context(self, request):
        return {"today": selectors.local_today(request.user)}

    @extend_schema(
        operation_id="shelf_list",
        responses=ShelfItemSerializer(many=True),  # a list: documented as the paginated page it is
        summary="The user's own products with freshness (paginated)",
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ShelfItemSerializer(page, many=True, context=self._context(request)).data)

    @extend_schema(
        request=ShelfItemInputSerializer,
        responses={201: ShelfItemSerializer, 400: ERROR},
        summary="Add a product to the shelf: a catalog product id, or a name",
    )
    def post(self, request):
        data = ShelfItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.shelf_item_create(user=request.user, **data.validated_data)
        return Response(ShelfItemSerializer(item, context=self._context(request)).data, status=201)


class ShelfItemView(APIView):
    def _get(self, request, pk):
        return selectors.shelf_item_get_for_user(user=request.user, item_id=pk)

    def _context(self, request):
        return {"today": selectors.local_today(request.user)}

    @extend_schema(responses={200: ShelfItemSerializer, 404: ERROR})
    def get(self, request, pk):
        return Response(ShelfItemSerializer(self._get(request, pk), context=self._context(request)).data)

    @extend_schema(request=ShelfItemInputSerializer, responses={200: ShelfItemSerializer, 400: ERROR, 404: ERROR})
    def patch(self, request, pk):
        item = self._get(request, pk)
        data = ShelfItemInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = services.shelf_item_update(item=item, **data.validated_data)
        return Response(ShelfItemSerializer(item, context=self._context(request)).data)

    @extend_schema(responses={204: None, 404: ERROR})
    def delete(self, request, pk):
        services.shelf_item_delete(item=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
