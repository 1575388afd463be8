"""Inference task (queue `inference` via CELERY_TASK_ROUTES): claims the row, analyses, stores, pushes."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError

from skincare.celery import RETRY_KWARGS

from . import services

logger = logging.getLogger(__name__)

TRANSIENT = (ConnectionError, TimeoutError, OSError, OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=180, max_retries=RETRY_KWARGS["max_retries"])
def run_analysis(self, analysis_id: str) -> str | None:
    """Idempotent: a second delivery of a claimed or finished analysis does nothing."""
    try:
        analysis = services.analysis_run(analysis_id=analysis_id)
    except SoftTimeLimitExceeded:
        services.analysis_fail(
            analysis_id=analysis_id, code="analysis_timeout", detail="The analysis took too long. Try again."
        )
        return "failed"
    except FileNotFoundError:
        services.analysis_fail(analysis_id=analysis_id, code="image_missing", detail="The stored photo is gone.")
        return "failed"
    except TRANSIENT as exc:
        if self.request.retries < self.max_retries:
            services.analysis_release(analysis_id)
            raise self.retry(
                exc=exc, countdown=min(RETRY_KWARGS["retry_backoff_max"], 2 ** (self.request.retries + 1))
            ) from exc
        _fail_internal(analysis_id, exc)
        return "failed"
    except DatabaseError as exc:
        _fail_internal(analysis_id, exc)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - never leave a row stuck in "processing"
        _fail_internal(analysis_id, exc)
        raise
    return analysis.status if analysis is not None else None


def _fail_internal(analysis_id: str, exc: Exception) -> None:
    logger.exception("Analysis %s failed: %s", analysis_id, exc)
    try:
        services.analysis_fail(
            analysis_id=analysis_id,
            code="internal_error",
            detail="Something went wrong on our side while analysing this photo. Try again.",
        )
    except Exception:  # noqa: BLE001
        logger.exception("Could not mark analysis %s failed", analysis_id)


QUEUED_TOO_LONG_SECONDS = 600


@shared_task(acks_late=True, **RETRY_KWARGS)
def requeue_stale_analyses() -> int:
    """Safety net: send again analyses whose message was lost (queued > 10 min) or whose worker died
    (processing past the stale limit). The claim makes a duplicate delivery harmless."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import SkinAnalysis

    now = timezone.now()
    stale = SkinAnalysis.objects.filter(
        Q(status=SkinAnalysis.Status.QUEUED, created_at__lt=now - timezone.timedelta(seconds=QUEUED_TOO_LONG_SECONDS))
        | Q(
            status=SkinAnalysis.Status.PROCESSING,
            started_at__lt=now - timezone.timedelta(seconds=services.STALE_PROCESSING_SECONDS),
        )
    ).values_list("pk", flat=True)[:200]
    ids = [str(pk) for pk in stale]
    for analysis_id in ids:
        run_analysis.delay(analysis_id)
    return len(ids)
