"""Reads of the analysis app. Every fetch of a user's analysis goes through `analysis_get`."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from skincare.core.errors import NotFound

from .models import ModelVersion, SkinAnalysis


def analysis_get(*, user, analysis_id, for_update: bool = False) -> SkinAnalysis:
    """The user's analysis, or NotFound (404) when it does not exist or is someone else's."""
    try:
        return (
            SkinAnalysis.objects.owned_by(user)
            .select_related("model_version")
            .prefetch_related("lesions")
            .get(pk=analysis_id)
        )
    except (SkinAnalysis.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Analysis not found.")) from exc


def analysis_history(*, user) -> QuerySet[SkinAnalysis]:
    """The user's analyses, newest first, with what the list shows in one query."""
    return (
        SkinAnalysis.objects.owned_by(user)
        .select_related("model_version")
        .defer("landmarks", "regions")  # 478 points and the region outlines: not in the list, the bulk of each row
        .annotate(lesion_count=Count("lesions"))
        .order_by("-created_at", "-id")
    )


def latest_done_analysis(*, user) -> SkinAnalysis | None:
    return SkinAnalysis.objects.owned_by(user).done().order_by("-completed_at").first()


def active_model_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()
