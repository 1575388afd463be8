"""The claim's lease: a live attempt keeps the row, a dead worker's row is taken over, only the holder stores."""

from __future__ import annotations

import time

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from analysis import services, tasks
from analysis.models import Lesion, SkinAnalysis

from . import images
from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db


def _age_lease(analysis_id, seconds: float) -> None:
    past = timezone.now() - timezone.timedelta(seconds=seconds)
    SkinAnalysis.objects.filter(pk=analysis_id).update(heartbeat_at=past, started_at=past)


def test_a_live_attempt_keeps_the_row_and_a_dead_one_is_taken_over(user):
    a = SkinAnalysisFactory(user=user)
    first = services.analysis_claim(a.pk, worker="host-a pid 1")
    assert first is not None
    # Given a live attempt (its heartbeat is fresh), a duplicate delivery gets nothing.
    assert services.analysis_claim(a.pk, worker="host-b pid 2") is None
    assert services.analysis_heartbeat(a.pk, attempt=first)
    wait = services.analysis_lease_wait(a.pk)
    assert wait is not None and services.LEASE_SECONDS - 2 < wait <= services.LEASE_SECONDS

    # When its worker dies, the heartbeat stops; once the lease has run out another attempt takes the row.
    _age_lease(a.pk, services.LEASE_SECONDS + 1)
    assert services.analysis_lease_wait(a.pk) == 0
    second = services.analysis_claim(a.pk, worker="host-b pid 2")
    assert second is not None and second != first
    a.refresh_from_db()
    assert (a.status, a.attempt, a.claimed_by) == ("processing", second, "host-b pid 2")
    # The old attempt, if it was only slow, can no longer renew or write anything.
    assert not services.analysis_heartbeat(a.pk, attempt=first)
    services.analysis_fail(analysis_id=a.pk, code="x", detail="late", attempt=first)
    services.analysis_release(a.pk, attempt=first)
    a.refresh_from_db()
    assert (a.status, a.attempt) == ("processing", second)


def test_only_the_attempt_holding_the_row_stores_its_result(user):
    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))
    first = services.analysis_claim(a.pk)
    _age_lease(a.pk, services.LEASE_SECONDS + 1)
    second = services.analysis_claim(a.pk)
    # The taken-over attempt finishes its analysis late: its result is dropped.
    assert services.analysis_run(analysis_id=a.pk, attempt=first).status == "processing"
    assert not Lesion.objects.filter(analysis=a).exists()
    # The holder stores it once; running it again (a duplicate) stores nothing more.
    done = services.analysis_run(analysis_id=a.pk, attempt=second)
    assert done.status == "done"
    lesions = Lesion.objects.filter(analysis=a).count()
    assert services.analysis_run(analysis_id=a.pk, attempt=second).status == "done"
    assert tasks.run_analysis.apply(args=[str(a.pk)]).get() is None
    assert Lesion.objects.filter(analysis=a).count() == lesions
    assert SkinAnalysis.objects.filter(pk=a.pk).count() == 1


def test_a_redelivery_during_a_live_lease_looks_again_when_it_ends(user, monkeypatch):
    a = SkinAnalysisFactory(user=user)
    holder = services.analysis_claim(a.pk)
    retries = []

    def fake_retry(*args, **kwargs):
        retries.append(kwargs.get("countdown"))
        raise RuntimeError("retry scheduled")

    monkeypatch.setattr(tasks.run_analysis, "retry", fake_retry)
    with pytest.raises(RuntimeError, match="retry scheduled"):
        tasks.run_analysis.apply(args=[str(a.pk)], throw=True)
    assert len(retries) == 1 and 1 < retries[0] <= services.LEASE_SECONDS + 1
    a.refresh_from_db()
    assert a.attempt == holder  # the duplicate changed nothing


def test_the_sweep_resends_rows_whose_lease_ran_out(user, monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.run_analysis, "delay", lambda *args: calls.append(args))
    alive, dead = SkinAnalysisFactory(user=user), SkinAnalysisFactory(user=user)
    services.analysis_claim(alive.pk)
    services.analysis_claim(dead.pk)
    _age_lease(dead.pk, services.LEASE_SECONDS + 1)
    assert tasks.requeue_stale_analyses() == 1
    assert calls == [(str(dead.pk),)]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_renews_the_lease_while_the_work_runs(user, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real worker: the lease is kept by a background heartbeat
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0.2)
    a = SkinAnalysisFactory(user=user)
    attempt = services.analysis_claim(a.pk)
    _age_lease(a.pk, 10)
    with services.analysis_lease(a.pk, attempt):
        deadline = time.monotonic() + 10
        while services.analysis_lease_wait(a.pk) < services.LEASE_SECONDS - 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert services.analysis_lease_wait(a.pk) > services.LEASE_SECONDS - 2
