"""Milestone detection tasks (eager Celery in unit tests) and the beat schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from progress import tasks
from progress.models import Milestone

from .factories import ProgressEntryFactory

pytestmark = pytest.mark.django_db


def test_daily_sweep_detects_each_milestone_once(user):
    today = timezone.now().date()
    for d in range(7):
        ProgressEntryFactory(user=user, date=today - timedelta(days=d))
    idle = UserFactory()  # nothing logged: not swept
    assert tasks.detect_milestones_daily() == 1
    assert Milestone.objects.filter(user=user, kind="streak_7").count() == 1
    assert not Milestone.objects.filter(user=idle).exists()
    tasks.detect_milestones_daily()
    assert Notification.objects.filter(user=user, kind="milestone").count() == 1


def test_task_ignores_unknown_or_inactive_people(user):
    user.is_active = False
    user.save()
    assert tasks.detect_milestones_task(str(user.pk)) == 0
    assert tasks.detect_milestones_task("5f0c6a7e-0000-4000-8000-000000000000") == 0


def test_beat_schedule_is_registered():
    from django_celery_beat.models import PeriodicTask

    from skincare.core.management.commands.setup_project import register_periodic_tasks

    names = register_periodic_tasks()
    assert "progress-milestones-daily" in names
    task = PeriodicTask.objects.get(name="progress-milestones-daily")
    assert task.task == "progress.tasks.detect_milestones_daily" and task.crontab.hour == "2"
    from skincare.celery import app

    assert "progress.tasks.detect_milestones_daily" in app.tasks


def test_orphaned_aligned_images_are_swept(user):
    from django.core.files.storage import default_storage

    from .test_services import _aligned_pair

    before, after = _aligned_pair(user)
    from progress import services

    kept = services.compare(user=user, before_id=before.pk, after_id=after.pk)["comparison"].aligned_image.name
    other_before, other_after = _aligned_pair(user)
    gone = services.compare(user=user, before_id=other_before.pk, after_id=other_after.pk)["comparison"]
    gone_name = gone.aligned_image.name
    other_after.delete()  # the comparison row cascades; its file stays behind
    assert default_storage.exists(gone_name)
    assert tasks.sweep_aligned_files() >= 1
    assert not default_storage.exists(gone_name) and default_storage.exists(kept)


def test_detection_comes_back_while_the_logged_photo_is_analysed(user, monkeypatch):
    from .factories import make_analysis

    queued = make_analysis(user, status="queued")
    calls = []
    monkeypatch.setattr(tasks.detect_milestones_task, "apply_async", lambda **kw: calls.append(kw))
    # run as a worker would (not eager): the queued analysis brings it back in 30 s
    tasks.detect_milestones_task.run(str(user.pk), wait_for=str(queued.pk))
    assert calls == [
        {"args": [str(user.pk)], "kwargs": {"wait_for": str(queued.pk), "attempt": 1}, "countdown": tasks.WAIT_SECONDS}
    ]
    # bounded: the last attempt does not come back
    calls.clear()
    tasks.detect_milestones_task.run(str(user.pk), wait_for=str(queued.pk), attempt=tasks.WAIT_ATTEMPTS)
    assert calls == []
    # once the analysis is done, no more comebacks
    type(queued).objects.filter(pk=queued.pk).update(status="done")
    tasks.detect_milestones_task.run(str(user.pk), wait_for=str(queued.pk))
    assert calls == []
