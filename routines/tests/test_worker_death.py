"""A sender dies mid-reminder: another worker finishes the delivery within a minute, nothing sent twice.

Two real prefork workers; the SMS backend is slow, so the delivery is caught mid-send and the pool process sending it
is killed. Celery re-queues the message at once; the re-delivery waits out the dead sender's lease, takes the delivery
over, skips the channels already handled, records the SMS cut off mid-send as failed ("interrupted") rather than
sending it a second time, and marks the delivery sent.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.live, pytest.mark.timeout(240)]


def test_sender_killed_mid_delivery(transactional_db, live_worker_pool):
    from accounts.models import Notification
    from accounts.tests.factories import UserFactory
    from routines.models import ReminderDelivery
    from routines.reminders import reminders_dispatch

    from .factories import RoutineFactory, RoutineStepFactory

    folder = Path(tempfile.mkdtemp(prefix="skincare-slow-sms-"))
    env = {"SMS_BACKEND": "routines.tests.slow_sms.SlowFileSmsBackend", "SLOW_SMS_DIR": str(folder)}
    workers = [live_worker_pool("w1", env=env), live_worker_pool("w2", env=env)]
    user = UserFactory(phone="+33612345678")
    profile = user.profile
    profile.notification_channels = {"in_app": True, "email": True, "sms": True}
    profile.quiet_hours = {}
    profile.save()
    now = timezone.now()
    routine = RoutineFactory(
        user=user,
        period="am",
        is_active=True,
        started_at=now - dt.timedelta(hours=1),
        next_reminder_at=now - dt.timedelta(seconds=30),
        next_reminder_date=now.date(),
        schedule_computed_at=now,
    )
    RoutineStepFactory(routine=routine, category="cleanse")
    assert reminders_dispatch()["claimed"] == 1  # enqueues send_reminder through the broker
    delivery = ReminderDelivery.objects.get(routine=routine)

    deadline = time.monotonic() + 90
    while not list(folder.glob("sending-*")):
        assert time.monotonic() < deadline, "no worker started the SMS"
        time.sleep(0.05)
    os.kill(int(next(folder.glob("sending-*")).name.split("-")[1]), signal.SIGKILL)
    killed_at = time.monotonic()

    while ReminderDelivery.objects.get(pk=delivery.pk).status != "sent":
        if time.monotonic() - killed_at > 90:
            logs = "\n".join(open(w.log_path).read()[-2500:] for w in workers)
            pytest.fail(f"the delivery was not finished 90 s after the kill\n{logs}")
        time.sleep(0.2)
    took = time.monotonic() - killed_at
    print(f"delivery finished {took:.1f}s after the kill")
    assert took < 60
    delivery.refresh_from_db()
    rows = {row.channel: (row.status, row.detail) for row in delivery.channels.all()}
    assert rows["in_app"] == ("sent", "") and rows["email"] == ("sent", "")
    assert rows["sms"][0] == "failed" and rows["sms"][1].startswith("interrupted"), rows
    assert Notification.objects.filter(user=user, kind="reminder").count() == 1
    emails = sum(open(w.log_path).read().count("Subject: Time for your morning routine") for w in workers)
    assert emails == 1
    time.sleep(2)
    assert not (folder / "sent.txt").exists()  # the SMS cut off mid-send was not sent again by the new sender
