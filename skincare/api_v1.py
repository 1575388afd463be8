"""/api/v1/: every app's API urls under one prefix. Within v1, only add fields."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("analysis/", include("analysis.api.urls")),
    path("", include("ingredients.api.urls")),
    path("", include("routines.api.urls")),
    path("progress/", include("progress.api.urls")),
    path("", include("recommendations.api.urls")),
]
