"""Ingredients and products API: full paths under /api/v1/ (API.md), with and without a trailing slash."""

from django.urls import path

from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("ingredients/scan", views.ScanView.as_view(), name="ingredients-scan"),
    *both("ingredients/analyze", views.AnalyzeView.as_view(), name="ingredients-analyze"),
    *both("ingredients/search", views.IngredientSearchView.as_view(), name="ingredients-search"),
    *both("ingredients/favorites", views.FavoritesView.as_view(), name="ingredients-favorites"),
    path("ingredients/<uuid:pk>", views.IngredientDetailView.as_view(), name="ingredients-detail"),
    path("ingredients/<uuid:pk>/", views.IngredientDetailView.as_view()),
    *both("products", views.ProductListView.as_view(), name="products-list"),
    path("products/<uuid:pk>", views.ProductDetailView.as_view(), name="products-detail"),
    path("products/<uuid:pk>/", views.ProductDetailView.as_view()),
]
