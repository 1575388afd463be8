"""The week plan end to end: stored schedules, the per-day view in the API and on the page, the reasons
with their sources, and the checklist and reminders following the plan week by week."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Notification
from routines import selectors, services
from routines.models import ReminderDelivery

from .factories import small_catalog

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def evening(user):
    small_catalog()
    user.profile.concerns = ["wrinkles", "uneven_tone"]
    user.profile.budget = "high"
    user.profile.save()
    with time_machine.travel(START, tick=False):
        (pm,) = services.routine_generate(user=user, period="pm")
        services.routine_start(routine=pm)
    return selectors.routine_get_for_user(user=user, routine_id=pm.pk)


def _step(routine, cls):
    return next(s for s in routine.steps.all() if cls in s.actives)


def test_steps_store_their_schedule_timing_and_the_routine_its_rules(evening):
    retinoid, acid = _step(evening, "retinoid"), _step(evening, "aha")
    assert retinoid.schedule and acid.schedule
    first = min(retinoid.starts_week, acid.starts_week)
    assert first == 1 and abs(retinoid.starts_week - acid.starts_week) >= 2  # one new active at a time
    for week in range(1, 16):
        assert not set(retinoid.days_in_week(week)) & set(acid.days_in_week(week))
        assert len(acid.days_in_week(week)) <= 2
    assert "because a retinoid is on" in acid.timing or "because retinoids start" in retinoid.timing
    codes = {r["code"] for r in evening.rules}
    assert {"retinoid_ramp", "exfoliant_limit", "recovery_nights", "introduce_one_at_a_time"} <= codes
    assert all(r["source"] for r in evening.rules)


def test_api_has_the_week_per_day_and_keeps_days_per_step(api_client, user, evening):
    api_client.force_authenticate(user)  # the JWT of `auth_client` would have expired six weeks later
    with time_machine.travel(START + dt.timedelta(weeks=6), tick=False):
        body = api_client.get(f"/api/v1/routine/{evening.pk}").json()
    assert body["week"]["week"] == 7 and len(body["week"]["days"]) == 7
    kinds = [d["kind"] for d in body["week"]["days"]]
    assert {"retinoid", "exfoliation", "recovery"} <= set(kinds)
    assert kinds.count("recovery") >= 2
    for day in body["week"]["days"]:
        if day["kind"] == "recovery":
            assert set(day["categories"]) <= {"cleanse", "moisturize"}
    steps = {s["id"]: s for s in body["steps"]}
    assert all("days" in s and "schedule" in s and "timing" in s for s in steps.values())
    assert {r["code"] for r in body["rules"]} >= {"retinoid_ramp", "recovery_nights"}


def test_page_shows_the_week_the_timing_and_the_sources(client, user, evening):
    client.force_login(user)
    html = client.get(f"/routines/{evening.pk}/").content.decode()
    assert "Your week" in html and "When:" in html
    assert "Recovery night" in html or "Retinoid night" in html or "Exfoliation night" in html
    assert "American Academy of Dermatology" in html


def test_checklist_and_reminders_follow_the_plan_week_by_week(user, evening):
    late = _step(evening, "retinoid") if _step(evening, "retinoid").starts_week > 1 else _step(evening, "aha")
    zone = selectors.user_zone(user)
    monday_week1 = START.date()
    # week 1: the active introduced later is not due yet, on any day
    for offset in range(7):
        day = monday_week1 + dt.timedelta(days=offset)
        assert late not in [row["step"] for e in selectors.today_checklist(user=user, day=day) for row in e["steps"]]
    # from its start week it is due on its days, and only then
    week = late.starts_week
    day = next(monday_week1 + dt.timedelta(weeks=week - 1, days=d) for d in range(7) if d in late.days_in_week(week))
    assert late.runs_on_date(day, zone)
    rest_day = next(
        monday_week1 + dt.timedelta(weeks=9, days=d)
        for d in range(7)
        if selectors.routine_day(routine=evening, day=monday_week1 + dt.timedelta(weeks=9, days=d))["kind"]
        == "recovery"
    )
    # a reminder on a recovery evening says so and lists cleanse and moisturise only
    delivery = ReminderDelivery.objects.create(
        key="t",
        user=user,
        kind=ReminderDelivery.Kind.ROUTINE,
        routine=evening,
        period="pm",
        local_date=rest_day,
        scheduled_for=timezone.now(),
    )
    from routines.reminders import delivery_send

    assert delivery_send(delivery_id=delivery.pk)
    note = Notification.objects.get(user=user)
    assert note.body.startswith("Recovery night")
    assert "2 steps today: cleanse, moisturize." in note.body
