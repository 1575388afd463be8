"""With a real Celery worker on the real broker: a log enqueues milestone detection after commit."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from progress.models import Milestone

from .factories import ProgressEntryFactory

pytestmark = pytest.mark.live


def test_logging_the_seventh_day_is_celebrated_by_the_worker(live_worker, auth_client, user):
    today = timezone.now().date()
    for d in range(1, 7):
        ProgressEntryFactory(user=user, date=today - timedelta(days=d))
    r = auth_client.post("/api/v1/progress/log", {"rating": 5})
    assert r.status_code == 201
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Milestone.objects.filter(user=user).exists():
        time.sleep(0.5)
    milestone = Milestone.objects.get(user=user)
    assert milestone.kind == "streak_7"
    assert Notification.objects.filter(user=user, kind="milestone").count() == 1
