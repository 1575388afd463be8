"""Celery tasks: the periodic reminder sweep and one sender per claimed reminder (ids only, idempotent)."""

from celery import shared_task

from skincare.celery import RETRY_KWARGS


@shared_task(name="routines.tasks.dispatch_reminders", acks_late=True, soft_time_limit=50, time_limit=58)
def dispatch_reminders() -> dict:
    from .reminders import reminders_dispatch

    return reminders_dispatch()


@shared_task(name="routines.tasks.send_reminder", acks_late=True, **RETRY_KWARGS)
def send_reminder(delivery_id: str) -> bool:
    from .reminders import delivery_send

    return delivery_send(delivery_id=delivery_id)
