"""Ingredients and products API (API.md). Thin views: validate, call a service or selector, serialize."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import profile_for_user
from ingredients import selectors, services
from ingredients.messages import result_rendered
from skincare.core import intake, readcache
from skincare.core.errors import DomainError
from skincare.core.parsers import JSONParser
from skincare.core.throttling import SCOPED_THROTTLES

from . import serializers as s


def _image_bytes(request) -> bytes:
    """The label photo: multipart `file` or base64 `image_data` (the one intake: same limits and codes as every
    upload; no photo → 400 `no_image`)."""
    return intake.request_image_bytes(request)


class ScanView(APIView):
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "upload"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": s.ScanInputSerializer, "application/json": s.ScanJsonInputSerializer},
        responses={200: s.ScanResultSerializer, 400: OpenApiResponse(description="not_an_image, no_text_found")},
        tags=["ingredients"],
    )
    def post(self, request):
        """A label photo (`file` or base64 `image_data`), or an already read list: `ingredients` (names, common
        names such as "Vitamin C" resolve through synonyms) or `text`, assessed like /ingredients/analyze."""
        body = request.data if hasattr(request.data, "get") else {}
        if (
            not request.FILES.get("file")
            and not body.get("image_data")
            and (body.get("ingredients") or body.get("text"))
        ):
            return Response(_analyze_list(request))
        image = _image_bytes(request)
        result = services.scan_photo(user=request.user, image_bytes=image, profile=profile_for_user(user=request.user))
        return Response(result_rendered(result))  # in the reader's language (the scan keeps the message ids)


def _analyze_list(request) -> dict:
    """Assess `text` or `ingredients` from the body for the signed-in person and keep it as a scan."""
    data = s.AnalyzeInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    text = data.validated_data.get("text")
    names = data.validated_data.get("ingredients")
    result = services.assess_ingredients(
        text=text if text else None,
        names=None if text else names,
        profile=profile_for_user(user=request.user),
    )
    scan = services.scan_create(user=request.user, text=text or ", ".join(names or []), result=result)
    result["scan_id"] = str(scan.id)
    return result_rendered(result)  # in the reader's language (the stored scan keeps the message ids)


class AnalyzeView(APIView):
    @extend_schema(
        request=s.AnalyzeInputSerializer, responses={200: s.IngredientAnalysisSerializer}, tags=["ingredients"]
    )
    def post(self, request):
        return Response(_analyze_list(request))


class IngredientSearchView(ListAPIView):
    serializer_class = s.IngredientListSerializer

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="INCI name, synonym or a misspelling")],
        tags=["ingredients"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        q = self.request.query_params.get("q", "")
        if len(q) > 100:
            raise DomainError(gettext("The search is too long."), code="query_too_long")
        return selectors.ingredient_search(q=q)


class IngredientDetailView(APIView):
    @extend_schema(responses={200: s.IngredientDetailSerializer}, tags=["ingredients"])
    def get(self, request, pk):
        return Response(s.IngredientDetailSerializer(selectors.ingredient_get(ingredient_id=pk)).data)


class FavoritesView(ListAPIView):
    serializer_class = s.FavoriteSerializer

    def get_queryset(self):
        return selectors.favorites_for(user=self.request.user)

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "favorite_ids": selectors.favorite_product_ids(user=self.request.user),
        }

    @extend_schema(responses={200: s.FavoriteSerializer(many=True)}, tags=["ingredients"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.FavoriteInputSerializer, responses={201: s.FavoriteSerializer}, tags=["ingredients"])
    def post(self, request):
        data = s.FavoriteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fav = services.favorite_add(user=request.user, product_id=data.validated_data["product"])
        body = s.FavoriteSerializer(fav, context={"favorite_ids": {fav.product_id}}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.FavoriteInputSerializer,
        parameters=[OpenApiParameter("product", str, description="product id (or in the JSON body)")],
        responses={204: None},
        tags=["ingredients"],
    )
    def delete(self, request):
        raw = request.query_params.get("product") or (
            request.data.get("product") if hasattr(request.data, "get") else None
        )
        data = s.FavoriteInputSerializer(data={"product": raw})
        data.is_valid(raise_exception=True)
        services.favorite_remove(user=request.user, product_id=data.validated_data["product"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductListView(ListAPIView):
    serializer_class = s.ProductListSerializer

    @extend_schema(parameters=[s.ProductQuerySerializer], tags=["products"])
    @readcache.cached_get()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = s.ProductQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.product_search(
            q=params.validated_data.get("q", ""), category=params.validated_data.get("category", "")
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "favorite_ids": selectors.favorite_product_ids(user=self.request.user),
        }


class ProductDetailView(APIView):
    @extend_schema(responses={200: s.ProductDetailSerializer}, tags=["products"])
    def get(self, request, pk):
        product = selectors.product_get(product_id=pk)
        analysis = result_rendered(
            services.assess_product(product=product, profile=profile_for_user(user=request.user))
        )
        ctx = {"favorite_ids": selectors.favorite_product_ids(user=request.user), "analysis": analysis}
        return Response(s.ProductDetailSerializer(product, context=ctx).data)
