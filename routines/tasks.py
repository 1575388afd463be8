"""Celery tasks: the periodic reminder sweep and one sender per claimed reminder (ids only, idempotent)."""

from celery import shared_task

from skincare.celery import RETRY_KWARGS


@shared_task(name="routines.tasks.dispatch_reminders", acks_late=True, soft_time_limit=50, time_limit=58)
def dispatch_reminders() -> dict:
    from .reminders import reminders_dispatch

    return reminders_dispatch()


@shared_task(name="routines.tasks.send_reminder", bind=True, acks_late=True, **RETRY_KWARGS)
def send_reminder(self, delivery_id: str) -> bool:
    """One delivery. A re-delivery after its sender died (the message is re-queued at once) finds the dead sender's
    lease still running for a few seconds: it looks again when the lease ends and then finishes the delivery."""
    from .reminders import delivery_claim_send, delivery_lease_wait, delivery_send

    attempt = delivery_claim_send(delivery_id)
    if attempt is None:
        wait = delivery_lease_wait(delivery_id)
        if wait is not None and self.request.retries < self.max_retries:
            raise self.retry(countdown=wait + 1)
        return False
    return delivery_send(delivery_id=delivery_id, attempt=attempt)
