"""Celery tasks of the progress app: milestone detection after a log and every night."""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from skincare.celery import RETRY_KWARGS

logger = logging.getLogger(__name__)

NIGHTLY_BATCH = 500
WAIT_ATTEMPTS = 10  # a queued analysis is waited for at most 10 x 30 s
WAIT_SECONDS = 30


@shared_task(name="progress.tasks.detect_milestones_task", bind=True, acks_late=True, **RETRY_KWARGS)
def detect_milestones_task(self, user_id: str, wait_for: str | None = None, attempt: int = 0) -> int:
    """Detect and celebrate one person's milestones. Idempotent (unique keys); returns how many are new.

    `wait_for`: an analysis the log just queued. Streaks are detected now; while that analysis is still
    queued or processing, detection runs again later so that a 10-point improvement it brings is
    celebrated the same day rather than at the nightly sweep.
    """
    from . import services

    user = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if user is None:
        return 0
    found = len(services.detect_milestones(user=user))
    if wait_for and attempt < WAIT_ATTEMPTS and not self.request.is_eager:
        from analysis.models import SkinAnalysis

        status = SkinAnalysis.objects.filter(pk=wait_for).values_list("status", flat=True).first()
        if status in (SkinAnalysis.Status.QUEUED, SkinAnalysis.Status.PROCESSING):
            detect_milestones_task.apply_async(
                args=[user_id], kwargs={"wait_for": wait_for, "attempt": attempt + 1}, countdown=WAIT_SECONDS
            )
    return found


@shared_task(name="progress.tasks.detect_milestones_daily", acks_late=True, **RETRY_KWARGS)
def detect_milestones_daily() -> int:
    """Nightly sweep over people active in the last 31 days (bounded batches, one task per person)."""
    from django.db.models import Q

    since = timezone.now() - timezone.timedelta(days=31)
    user_model = get_user_model()
    relations = {f.name for f in user_model._meta.get_fields()}
    active = Q(progress_entries__created_at__gte=since)
    if "step_completions" in relations:  # routines installed
        active |= Q(step_completions__completed_at__gte=since)
    if "analyses" in relations:
        active |= Q(analyses__completed_at__gte=since)
    ids = user_model.objects.filter(is_active=True).filter(active).values_list("pk", flat=True).distinct()
    count = 0
    for user_id in ids.iterator(chunk_size=NIGHTLY_BATCH):
        detect_milestones_task.delay(str(user_id))
        count += 1
    logger.info("Milestone detection queued for %d people", count)
    return count


@shared_task(name="progress.tasks.sweep_aligned_files", acks_late=True, **RETRY_KWARGS)
def sweep_aligned_files() -> int:
    """Remove aligned comparison images left behind when an analysis was deleted."""
    from . import services

    removed = services.aligned_files_sweep()
    if removed:
        logger.info("Removed %d orphaned aligned images", removed)
    return removed
