"""Inference task (queue `inference` via CELERY_TASK_ROUTES): claims the row, analyses, stores, pushes."""

from __future__ import annotations

import logging
import os
import socket

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError

from skincare.celery import RETRY_KWARGS

from . import services
from .messages import ERROR_TEXTS

logger = logging.getLogger(__name__)

TRANSIENT = (ConnectionError, TimeoutError, OSError, OperationalError, InterfaceError)


def _worker_name(task) -> str:
    return f"{task.request.hostname or socket.gethostname()} pid {os.getpid()}"


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=180, max_retries=RETRY_KWARGS["max_retries"])
def run_analysis(self, analysis_id: str) -> str | None:
    """Idempotent: a delivery of a finished analysis, or of one a live attempt holds, stores nothing.

    A re-delivery after a worker died (acks_late + reject_on_worker_lost re-queue the message at once) finds the dead
    attempt's lease still running for a few seconds: it looks again when the lease ends and then takes the row over.
    """
    attempt = services.analysis_claim(analysis_id, worker=_worker_name(self))
    if attempt is None:
        wait = services.analysis_lease_wait(analysis_id)
        if wait is not None and self.request.retries < self.max_retries:
            raise self.retry(countdown=wait + 1, max_retries=self.max_retries)
        return None
    try:
        analysis = services.analysis_run(analysis_id=analysis_id, attempt=attempt)
    except SoftTimeLimitExceeded:
        services.analysis_fail(
            analysis_id=analysis_id,
            code="analysis_timeout",
            detail=ERROR_TEXTS["analysis_timeout"],  # English; shown in the reader's language by its code
            attempt=attempt,
        )
        return "failed"
    except FileNotFoundError:
        services.analysis_fail(
            analysis_id=analysis_id, code="image_missing", detail=ERROR_TEXTS["image_missing"], attempt=attempt
        )
        return "failed"
    except TRANSIENT as exc:
        if self.request.retries < self.max_retries:
            services.analysis_release(analysis_id, attempt=attempt)
            raise self.retry(
                exc=exc, countdown=min(RETRY_KWARGS["retry_backoff_max"], 2 ** (self.request.retries + 1))
            ) from exc
        _fail_internal(analysis_id, exc, attempt)
        return "failed"
    except DatabaseError as exc:
        _fail_internal(analysis_id, exc, attempt)
        return "failed"
    except Exception as exc:  # noqa: BLE001 - never leave a row stuck in "processing"
        _fail_internal(analysis_id, exc, attempt)
        raise
    return analysis.status if analysis is not None else None


def _fail_internal(analysis_id: str, exc: Exception, attempt=None) -> None:
    logger.exception("Analysis %s failed: %s", analysis_id, exc)
    try:
        services.analysis_fail(
            analysis_id=analysis_id,
            code="internal_error",
            detail=ERROR_TEXTS["internal_error"],
            attempt=attempt,
        )
    except Exception:  # noqa: BLE001
        logger.exception("Could not mark analysis %s failed", analysis_id)


QUEUED_TOO_LONG_SECONDS = 600


@shared_task(acks_late=True, **RETRY_KWARGS)
def requeue_stale_analyses() -> int:
    """Safety net (every 15 s): send again analyses whose message was lost (queued > 10 min) or whose worker died
    (processing, no heartbeat for the lease: a whole worker killed leaves its message unacknowledged in the broker
    for its visibility timeout). The claim makes a duplicate delivery harmless."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import SkinAnalysis

    now = timezone.now()
    stale = SkinAnalysis.objects.filter(
        Q(status=SkinAnalysis.Status.QUEUED, created_at__lt=now - timezone.timedelta(seconds=QUEUED_TOO_LONG_SECONDS))
        | (Q(status=SkinAnalysis.Status.PROCESSING) & services.lease_expired())
    ).values_list("pk", flat=True)[:200]
    ids = [str(pk) for pk in stale]
    for analysis_id in ids:
        run_analysis.delay(analysis_id)
    return len(ids)
