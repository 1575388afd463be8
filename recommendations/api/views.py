"""Recommendations API: GET /api/v1/recommendations?category=&limit= (API.md), plus recording a view or
a rating (POST /api/v1/recommendations/interactions)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from skincare.core.errors import DomainError

from .. import selectors, services
from .serializers import (
    InteractionInSerializer,
    InteractionSerializer,
    RecommendationListSerializer,
    RecommendationQuerySerializer,
    RecommendationSerializer,
)

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")


class RecommendationListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="A product category (cleanser, serum, ...)"),
            OpenApiParameter("limit", int, description=f"1-{selectors.MAX_LIMIT}, default {selectors.DEFAULT_LIMIT}"),
            OpenApiParameter("include_owned", bool, description="Also products on your shelf or in use"),
        ],
        responses={200: RecommendationListSerializer, 400: ERROR, 401: ERROR},
        summary="Products for you, each with a score and reasons",
    )
    def get(self, request):
        query = RecommendationQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise DomainError("Some parameters are invalid.", code="invalid_parameters", errors=query.errors)
        result = selectors.recommendations_for(
            user=request.user,
            category=query.validated_data.get("category"),
            limit=query.validated_data.get("limit"),
            include_owned=query.validated_data["include_owned"],
        )
        return Response(
            {
                "count": len(result.items),
                "next": None,
                "previous": None,
                "results": RecommendationSerializer(result.items, many=True).data,
                "basis": result.basis,
            }
        )


class InteractionCreateView(APIView):
    @extend_schema(
        request=InteractionInSerializer,
        responses={201: InteractionSerializer, 400: ERROR, 401: ERROR, 404: ERROR},
        summary="Record that you viewed or rated a product (favorites, shelf and routine use are picked up)",
    )
    def post(self, request):
        data = InteractionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.interaction_record(
            user=request.user,
            product_id=data.validated_data["product"],
            kind=data.validated_data["kind"],
            value=data.validated_data.get("value"),
        )
        return Response(InteractionSerializer(obj).data, status=201)
