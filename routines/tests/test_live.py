"""The real thing: celery beat (django-celery-beat's database scheduler) + a worker + the broker
(Redis when REDIS_URL is set): a due reminder lands in the user's inbox."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

NAME = "routines: dispatch reminders"


@pytest.fixture
def due_reminder(transactional_db):
    """Registered before beat starts: the dispatcher's periodic task (due at once) and a due reminder."""
    from django_celery_beat.models import PeriodicTask

    from accounts.tests.factories import UserFactory
    from skincare.core.management.commands.setup_project import register_periodic_tasks

    from .factories import RoutineFactory, RoutineStepFactory

    register_periodic_tasks()
    PeriodicTask.objects.exclude(name=NAME).update(enabled=False)  # only ours in this test
    PeriodicTask.objects.filter(name=NAME).update(last_run_at=timezone.now() - dt.timedelta(minutes=5))
    user = UserFactory()
    now = timezone.now()
    routine = RoutineFactory(
        user=user,
        period="am",
        name="Morning routine",
        is_active=True,
        started_at=now - dt.timedelta(hours=1),
        next_reminder_at=now - dt.timedelta(seconds=30),
        next_reminder_date=now.date(),
        schedule_computed_at=now,
    )
    RoutineStepFactory(routine=routine, category="cleanse")
    return user, routine


@pytest.mark.live
@pytest.mark.timeout(240)
def test_beat_and_worker_deliver_a_due_reminder_to_the_inbox(due_reminder, live_beat, live_worker):
    from accounts.models import Notification
    from routines.models import ReminderDelivery

    user, routine = due_reminder
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        # The inbox row is written first; the delivery is marked sent right after: wait for both.
        if (
            Notification.objects.filter(user=user, kind="reminder").exists()
            and ReminderDelivery.objects.filter(routine=routine, status="sent").exists()
        ):
            break
        time.sleep(0.5)
    else:
        pytest.fail(
            "no reminder in the inbox.\nbeat:\n"
            + open(live_beat.log_path).read()[-3000:]
            + "\nworker:\n"
            + open(live_worker.log_path).read()[-3000:]
        )
    note = Notification.objects.get(user=user, kind="reminder")
    assert note.title == "Time for your morning routine"
    delivery = ReminderDelivery.objects.get(routine=routine)
    assert delivery.status == "sent" and delivery.channels.get(channel="in_app").status == "sent"
    worker_log = open(live_worker.log_path).read()
    assert "routines.tasks.dispatch_reminders" in worker_log and "routines.tasks.send_reminder" in worker_log
    time.sleep(2)
    assert Notification.objects.filter(user=user, kind="reminder").count() == 1
