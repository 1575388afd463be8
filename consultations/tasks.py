"""Celery tasks: the periodic consultation-reminder sweep (sending is routines.tasks.send_reminder)."""

from celery import shared_task


@shared_task(name="consultations.tasks.dispatch_reminders", acks_late=True, soft_time_limit=50, time_limit=58)
def dispatch_reminders() -> dict:
    from .reminders import consultation_reminders_dispatch

    return consultation_reminders_dispatch()
