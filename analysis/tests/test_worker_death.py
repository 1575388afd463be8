"""A worker dies mid-analysis: the other one finishes the work within a minute, nothing lost, nothing stored twice.

Two real prefork workers (a main process and one pool process each) on the real broker. Case 1 kills the pool process
that holds an analysis (Celery re-queues the message at once; the re-delivery waits out the dead attempt's lease and
takes the row over). Case 2 kills a whole worker, main process and all (its message stays unacknowledged in the
broker; the beat's 15-second sweep re-sends the row once its lease has run out).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from analysis.models import Lesion, SkinAnalysis

from . import images

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]
UPLOADS = 6
RECOVERY_SECONDS = 60


@pytest.fixture
def only_the_analysis_sweep(transactional_db):
    """The periodic tasks as setup_project registers them, only the analysis sweep enabled (due at once)."""
    from django_celery_beat.models import PeriodicTask

    from skincare.core.management.commands.setup_project import register_periodic_tasks

    register_periodic_tasks()
    PeriodicTask.objects.exclude(task="analysis.tasks.requeue_stale_analyses").update(enabled=False)
    PeriodicTask.objects.update(last_run_at=timezone.now() - dt.timedelta(minutes=5))


def _upload(auth_client) -> list[str]:
    ids = []
    for _ in range(UPLOADS):
        r = auth_client.post(
            "/api/v1/analysis/upload", {"file": SimpleUploadedFile("a.jpg", images.face_jpeg())}, format="multipart"
        )
        assert r.status_code == 202, r.content
        ids.append(r.json()["id"])
    return ids


def _processing(ids, timeout: float = 120) -> SkinAnalysis:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = SkinAnalysis.objects.filter(pk__in=ids, status="processing").exclude(claimed_by="").first()
        if row is not None:
            return row
        time.sleep(0.05)
    raise AssertionError(f"no analysis started within {timeout}s: {_statuses(ids)}")


def _statuses(ids) -> dict:
    return dict(SkinAnalysis.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")))


def _wait_all_done(ids, since: float, logs) -> float:
    while time.monotonic() - since < RECOVERY_SECONDS + 30:
        if SkinAnalysis.objects.filter(pk__in=ids).exclude(status__in=["done", "failed"]).count() == 0:
            return time.monotonic() - since
        time.sleep(0.2)
    tails = "\n".join(f"--- {p.name}:\n" + open(p.log_path).read()[-2500:] for p in logs)
    raise AssertionError(f"not finished {RECOVERY_SECONDS + 30}s after the kill: {_statuses(ids)}\n{tails}")


def _assert_nothing_lost_or_doubled(ids) -> None:
    rows = list(SkinAnalysis.objects.filter(pk__in=ids))
    assert len(rows) == UPLOADS and {r.status for r in rows} == {"done"}, _statuses(ids)
    # The same photo six times: one result each, and the same lesions each time, none stored twice.
    counts = {str(r.pk): Lesion.objects.filter(analysis=r).count() for r in rows}
    assert len(set(counts.values())) == 1, counts
    doubled = (
        Lesion.objects.filter(analysis__in=rows)
        .values("analysis", "x", "y", "w", "h", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not doubled.exists(), list(doubled)
    assert len({r.overall_score for r in rows}) == 1


def _pid(claimed_by: str) -> int:
    return int(claimed_by.rsplit(" ", 1)[1])


def test_pool_process_killed_mid_analysis(live_worker_pool, auth_client):
    workers = [live_worker_pool("w1"), live_worker_pool("w2")]
    ids = _upload(auth_client)
    victim = _processing(ids)
    killed = victim.claimed_by
    os.kill(_pid(killed), signal.SIGKILL)
    killed_at = time.monotonic()

    took = _wait_all_done(ids, killed_at, workers)
    print(f"all {UPLOADS} done {took:.1f}s after the kill")
    assert took < RECOVERY_SECONDS, f"recovered in {took:.0f}s"
    _assert_nothing_lost_or_doubled(ids)
    victim.refresh_from_db()
    assert victim.claimed_by != killed  # another process took the row over and finished it


def test_whole_worker_killed_mid_analysis(only_the_analysis_sweep, live_worker_pool, live_beat, auth_client):
    w1, w2 = live_worker_pool("w1"), live_worker_pool("w2")
    ids = _upload(auth_client)
    victim = _processing(ids)
    dead = w1 if victim.claimed_by.startswith("w1@") else w2
    survivor = w2 if dead is w1 else w1
    os.killpg(dead.pid, signal.SIGKILL)  # the main process and its pool processes, with no chance to clean up
    dead.wait(timeout=10)
    killed_at = time.monotonic()

    took = _wait_all_done(ids, killed_at, [survivor, dead, live_beat])
    print(f"all {UPLOADS} done {took:.1f}s after the kill")
    assert took < RECOVERY_SECONDS, f"recovered in {took:.0f}s"
    _assert_nothing_lost_or_doubled(ids)
    victim.refresh_from_db()
    assert victim.claimed_by.startswith(f"{survivor.name}@"), victim.claimed_by
