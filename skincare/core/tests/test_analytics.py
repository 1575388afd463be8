"""Analytics numbers match the rows they summarise (rows made here, expectations computed independently)."""

import datetime

import numpy as np
import pytest
from django.db import connection  # noqa: F401 - read by the skipif condition
from django.utils import timezone

from accounts.tests.factories import UserFactory
from skincare.core import analytics

from .factories import analysis, at, concerns, model_version, set_field

pytestmark = pytest.mark.django_db


def by_day(rows):
    return {row["day"]: row for row in rows}


def day(n):
    return timezone.now().date() - datetime.timedelta(days=n)


def test_percentile_matches_numpy_linear():
    values = [120, 80, 400, 95, 1000, 33, 250]
    for q in (0.0, 0.5, 0.9, 0.95, 1.0):
        assert analytics.percentile(values, q) == pytest.approx(np.percentile(values, q * 100))
    assert analytics.percentile([], 0.5) is None


def test_signups_and_active_users_per_day():
    # Given 3 people who joined 2 days ago, 1 today, and activity by some of them
    old = [set_field(UserFactory(), date_joined=at(2, 9)) for _ in range(3)]
    new = set_field(UserFactory(), date_joined=at(0, 1))
    analysis(old[0], created=at(1, 8))
    analysis(old[0], created=at(1, 9))  # the same person twice: one active user
    analysis(old[1], created=at(1, 10))
    analysis(new, created=at(0, 2))
    from ingredients.models import Scan

    scan = Scan.objects.create(user=old[2], source="text", text="aqua")
    set_field(scan, created_at=at(1, 11))

    rows = by_day(analytics.signups_and_active_users(7))

    assert len(rows) == 7
    assert rows[day(2)]["signups"] == 3
    assert rows[day(0)]["signups"] == 1
    assert rows[day(1)]["signups"] == 0
    assert rows[day(1)]["active_users"] == 3  # old[0], old[1] by analyses, old[2] by a scan
    assert rows[day(0)]["active_users"] == 1
    assert rows[day(2)]["active_users"] == 0


def test_analyses_per_day_failure_rate_and_percentiles():
    user = UserFactory()
    times = [100, 200, 300, 400, 1000]
    for ms in times:
        analysis(user, status="done", processing_ms=ms, created=at(1, 10))
    for _ in range(2):
        analysis(user, status="failed", created=at(1, 11))
    analysis(user, status="queued", created=at(1, 12))
    for ms in (50, 60):
        analysis(user, status="done", processing_ms=ms, created=at(0, 0, 30))
    analysis(user, status="done", processing_ms=99999, created=at(9, 1))  # outside a 7-day window

    rows = by_day(analytics.analyses_per_day(7))

    d1 = rows[day(1)]
    assert (d1["uploads"], d1["done"], d1["failed"]) == (8, 5, 2)
    assert d1["failure_rate"] == pytest.approx(2 / 7, abs=1e-4)
    assert d1["p50_ms"] == pytest.approx(np.percentile(times, 50), abs=0.05)
    assert d1["p95_ms"] == pytest.approx(np.percentile(times, 95), abs=0.05)
    d0 = rows[day(0)]
    assert (d0["uploads"], d0["failure_rate"], d0["p50_ms"]) == (2, 0.0, 55.0)
    assert rows[day(3)] == {
        "day": day(3),
        "uploads": 0,
        "done": 0,
        "failed": 0,
        "failure_rate": None,
        "p50_ms": None,
        "p95_ms": None,
    }
    assert day(9) not in rows


def test_queue_status_counts_and_oldest_age():
    user = UserFactory()
    now = timezone.now()
    analysis(user, status="queued", created=now - datetime.timedelta(minutes=5))
    analysis(user, status="queued", created=now - datetime.timedelta(seconds=30))
    analysis(user, status="processing", created=now - datetime.timedelta(hours=2))
    analysis(user, status="done", created=now - datetime.timedelta(hours=3))

    status = analytics.queue_status(now=now)

    assert status["queued"] == 2
    assert status["processing"] == 1
    assert status["oldest_queued_age_s"] == pytest.approx(300, abs=1)


def test_queue_status_empty():
    assert analytics.queue_status()["oldest_queued_age_s"] is None


def test_scans_per_day():
    from ingredients.models import Scan

    user = UserFactory()
    for source, when in [("photo", at(2)), ("text", at(2)), ("text", at(2)), ("text", at(0))]:
        set_field(Scan.objects.create(user=user, source=source, text="aqua"), created_at=when)

    rows = by_day(analytics.scans_per_day(7))

    assert (rows[day(2)]["scans"], rows[day(2)]["photo"], rows[day(2)]["text"]) == (3, 1, 2)
    assert rows[day(0)]["scans"] == 1
    assert rows[day(1)]["scans"] == 0


def test_routine_adherence():
    from routines.models import Routine, RoutineStep, StepCompletion

    user, other = UserFactory(), UserFactory()
    # Given a routine started 5 days ago with 3 steps every day and 1 step on one weekday only
    routine = Routine.objects.create(user=user, name="AM", period="am", is_active=True, started_at=at(5, 6))
    steps = [RoutineStep.objects.create(routine=routine, order=i, category="cleanse") for i in range(3)]
    weekly = RoutineStep.objects.create(routine=routine, order=3, category="treat", days=[day(1).weekday()])
    # and an inactive routine that must not count
    off = Routine.objects.create(user=other, name="PM", period="pm", is_active=False, started_at=at(5, 6))
    RoutineStep.objects.create(routine=off, order=0, category="cleanse")
    # When 2 of the daily steps are done yesterday, plus the weekly one, and 1 today
    for step in steps[:2] + [weekly]:
        StepCompletion.objects.create(user=user, routine=routine, step=step, date=day(1))
    StepCompletion.objects.create(user=user, routine=routine, step=steps[0], date=day(0))

    rows = by_day(analytics.routine_adherence(10))

    assert rows[day(1)]["steps_due"] == 4
    assert rows[day(1)]["steps_completed"] == 3
    assert rows[day(1)]["adherence"] == 0.75
    assert rows[day(0)]["steps_due"] == 3
    assert rows[day(0)]["adherence"] == pytest.approx(1 / 3, abs=1e-4)
    assert rows[day(0)]["people_completing"] == 1
    assert rows[day(7)]["steps_due"] == 0  # before the routine started
    assert rows[day(7)]["adherence"] is None


def test_reminders_per_day():
    from routines.models import ChannelDelivery, ReminderDelivery

    user = UserFactory()
    for i, (status, sent) in enumerate([("sent", at(1, 7)), ("sent", at(1, 21)), ("pending", None), ("sent", at(3))]):
        delivery = ReminderDelivery.objects.create(
            key=f"k{i}",
            user=user,
            kind="routine",
            local_date=day(1),
            scheduled_for=at(1, 7),
            status=status,
            sent_at=sent,
            period="am" if i % 2 else "pm",
        )
        if status == "sent":
            ChannelDelivery.objects.create(delivery=delivery, channel="inapp", status="sent")
            ChannelDelivery.objects.create(delivery=delivery, channel="sms", status="failed")
            set_field(delivery.channels.first(), created_at=sent)

    rows = by_day(analytics.reminders_per_day(7))

    assert rows[day(1)]["reminders_sent"] == 2
    assert rows[day(1)]["inapp"] == 2
    assert rows[day(1)]["sms"] == 0  # failed deliveries are not "sent"
    assert rows[day(3)]["reminders_sent"] == 1
    assert rows[day(0)]["reminders_sent"] == 0


# --- ML monitoring ------------------------------------------------------------------------------
def test_histogram_bins_and_clamping():
    h = analytics.histogram([0, 5, 10, 95, 100, 120, None], low=0, high=100)
    assert h.counts[0] == 2  # 0 and 5
    assert h.counts[1] == 1  # 10
    assert h.counts[9] == 3  # 95, 100 (last bin closed) and 120 (clamped)
    assert h.total == 6
    assert h.edges[0] == 0 and h.edges[-1] == 100


def test_model_version_overview_and_distributions():
    v1 = model_version("v1")
    v2 = model_version("v2", is_active=True)
    user = UserFactory()
    for score in (10, 55, 58, 91):
        analysis(user, version=v1, overall_score=score, skin_type_confidence=score / 100, concerns=concerns(acne=score))
    analysis(user, version=v1, status="failed")
    analysis(user, version=v2, overall_score=70, skin_type_confidence=0.7)
    analysis(user, overall_score=40)  # no model

    overview = {row["name"]: row for row in analytics.model_versions_overview()}
    assert (overview["v1"]["served"], overview["v1"]["done"], overview["v1"]["failed"]) == (5, 4, 1)
    assert overview["v2"]["served"] == 1 and overview["v2"]["is_active"]
    assert overview["measured engine (no model)"]["served"] == 1

    dist = analytics.score_distributions(v1.pk)
    assert dist["analyses"] == 4
    assert dist["overall_score"].counts == [0, 1, 0, 0, 0, 2, 0, 0, 0, 1]
    assert dist["skin_type_confidence"].counts == [0, 1, 0, 0, 0, 2, 0, 0, 0, 1]
    assert dist["concerns"]["acne"].total == 4
    assert dist["concern_confidence"].counts[8] == 4  # every concern confidence is 0.8


def test_feedback_agreement():
    from analysis.models import Feedback

    v1 = model_version("v1")
    user = UserFactory()
    a1 = analysis(user, version=v1, skin_type="oily", skin_age=30.0)
    a2 = analysis(user, version=v1, skin_type="dry", skin_age=40.0)
    a3 = analysis(user, version=v1, skin_type="normal", skin_age=None)
    Feedback.objects.create(analysis=a1, user=user, rating=5, corrected_skin_type="oily", corrected_age=31)
    Feedback.objects.create(analysis=a2, user=user, rating=2, corrected_skin_type="combination", corrected_age=50)
    Feedback.objects.create(analysis=a3, user=user, rating=3, corrected_age=25)
    Feedback.objects.create(analysis=analysis(user), user=user, rating=1, corrected_skin_type="dry")  # no model

    agreement = analytics.feedback_agreement(v1.pk)

    assert agreement["feedback"] == 3
    assert agreement["skin_type_corrected"] == 1  # "oily" confirmed, "dry" → "combination" corrected
    assert agreement["skin_type_correction_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert agreement["age_given"] == 3
    assert agreement["age_corrected"] == 2  # 40 → 50, and 25 where nothing was predicted
    assert agreement["age_mae"] == pytest.approx((1 + 10) / 2)
    assert agreement["mean_rating"] == pytest.approx(10 / 3, abs=0.01)
    assert analytics.feedback_agreement(None)["skin_type_corrected"] == 1


def test_concern_drift_against_first_weeks():
    v1 = model_version("v1")
    user = UserFactory()
    # Given analyses 10 weeks ago (baseline, acne 80 and 60) and this week (acne 50)
    analysis(user, version=v1, concerns=concerns(acne=80), created=at(70))
    analysis(user, version=v1, concerns=concerns(acne=60), created=at(70, 13))
    analysis(user, version=v1, concerns=concerns(acne=50, redness=20), created=at(0, 0, 5))

    drift = analytics.concern_drift(v1.pk, baseline_weeks=2)

    assert drift["baseline"]["acne"] == 70
    assert "redness" not in drift["baseline"]
    latest = drift["series"]["acne"][-1]
    assert (latest["mean"], latest["delta"], latest["n"]) == (50, -20, 1)
    assert drift["series"]["redness"][-1]["delta"] is None
    assert analytics.concern_drift(model_version("empty").pk)["series"] == {}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the database-side path is PostgreSQL's")
def test_postgresql_bins_and_means_equal_the_python_path(monkeypatch):
    """The ML page's histograms and drift are computed by PostgreSQL there; they must equal Python's over the
    same rows, bin edges included (0.3, 0.7 and 1.0 confidences; 10, 70 and 100 scores)."""
    v1 = model_version("v1")
    user = UserFactory()
    edges = [0.0, 0.3, 0.7, 0.95, 1.0, None]
    for i in range(48):
        items = [
            {"key": key, "score": (i * 7 + k * 13) % 101 if (i + k) % 9 else None, "confidence": edges[(i + k) % 6]}
            for k, key in enumerate(("acne", "redness", "pores"))
        ]
        analysis(
            user,
            version=v1,
            overall_score=[10, 70, 100, 55][i % 4] if i % 5 else None,
            skin_type_confidence=edges[i % 6],
            concerns=items,
            created=at(i * 3, i % 24),
        )
    analysis(user, version=v1, concerns={"not": "a list"}, created=at(1))
    database = analytics.score_distributions(v1.pk), analytics.concern_drift(v1.pk, baseline_weeks=3)
    monkeypatch.setattr(analytics, "_is_postgres", lambda: False)
    python = analytics.score_distributions(v1.pk), analytics.concern_drift(v1.pk, baseline_weeks=3)
    assert database[0] == python[0]
    with_confidence = sum(1 for i in range(48) for k in range(3) if edges[(i + k) % 6] is not None)
    assert database[0]["concern_confidence"].total == with_confidence
    assert database[0]["overall_score"].counts[9] > 0  # the 100s, in the last bin
    assert database[1] == python[1]
    assert len(database[1]["weeks"]) > 10
