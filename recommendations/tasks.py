"""Nightly retraining of the collaborative-filtering model (queue "default")."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.db.models import Max

from skincare.celery import RETRY_KWARGS

from . import services
from .models import Interaction, RecommenderModel

logger = logging.getLogger(__name__)
LOCK_KEY = "recommendations:retrain-lock"


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=1500,
    time_limit=1800,
    **RETRY_KWARGS,
)
def retrain_recommender(self, force: bool = False) -> dict:
    """Mirror favorites/shelf/routine use into interactions (bounded batches), then train and register a
    new CF model. Idempotent: one run at a time (a cache lock claimed with add()), and a run finds nothing to
    do when no interaction changed since the active model was trained."""
    if not cache.add(LOCK_KEY, self.request.id or "local", timeout=1800):
        return {"skipped": "already running"}
    try:
        synced = services.interactions_sync_all()
        latest = Interaction.objects.aggregate(t=Max("updated_at"), n=Max("created_at"))
        active = RecommenderModel.objects.filter(is_active=True).order_by("-version").first()
        if (
            not force
            and active is not None
            and latest["t"] is not None
            and latest["t"] <= active.trained_at
            and not (synced["created"] or synced["updated"] or synced["deleted"])
        ):
            return {"skipped": "no new interactions", "version": active.version, "synced": synced}
        model = services.recommender_train()
        return {"version": model.version if model else None, "synced": synced}
    finally:
        cache.delete(LOCK_KEY)
