"""Celery tasks of the privacy app: the retention sweep."""

from __future__ import annotations

import logging

from celery import shared_task

from skincare.celery import RETRY_KWARGS

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200  # photos per batch: each is one short transaction (keys destroyed) + file deletion after it
SWEEP_BATCHES = 10  # batches per run; a full run sends the next one at once instead of waiting for beat


@shared_task(name="privacy.tasks.retention_sweep", acks_late=True, soft_time_limit=240, time_limit=300, **RETRY_KWARGS)
def retention_sweep(chain: int = 0) -> dict:
    """Delete the photos past their retention (privacy.retention.sweep). Idempotent: two runs at once delete
    each photo once (a conditional claim per photo); bounded: at most SWEEP_BATCHES x SWEEP_BATCH per run."""
    from .retention import sweep

    result = sweep(batch_size=SWEEP_BATCH, max_batches=SWEEP_BATCHES)
    if result["deleted"]:
        logger.info("Retention sweep deleted %s photos in %s batches", result["deleted"], result["batches"])
    if result["more"] and chain < 20:
        retention_sweep.apply_async(kwargs={"chain": chain + 1}, countdown=1)
    return result
