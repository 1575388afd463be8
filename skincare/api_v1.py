"""/api/v1/: every app's API urls under one prefix. Each app's api/urls.py spells its full paths
(auth/..., analysis/..., routine/..., progress/..., share...). Within v1, only add fields."""

from django.urls import include, path

urlpatterns = [
    # First: the original mobile client's paths (SEED_CLIENT.md). On a path both contracts share, its view is a
    # subclass of ours that only adds fields, and Django serves the first match.
    path("", include("skincare.seed_api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("analysis.api.urls")),
    path("", include("ingredients.api.urls")),
    path("", include("routines.api.urls")),
    path("", include("progress.api.urls")),
    path("", include("recommendations.api.urls")),
    path("", include("consultations.api.urls")),
    path("", include("privacy.api.urls")),
]
