"""Staff reminder settings reach the dispatcher: default times for people who did not choose one, and the window
(earliest/latest local time) that moves a reminder chosen outside it to the window's nearer edge."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from routines import services
from routines.models import ReminderDelivery, Routine
from routines.reminders import reminders_dispatch
from skincare.core.config import config_update

from .factories import RoutineFactory, RoutineStepFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
DAY = dt.date(2026, 6, 1)
START = dt.datetime(2026, 5, 31, 12, 0, tzinfo=UTC)


def _person(tz: str = "UTC", times: dict | None = None):
    user = UserFactory()
    Profile.objects.filter(user=user).update(
        timezone=tz,
        reminder_times=times or {},
        notification_channels={"email": False, "sms": False},
        updated_at=START - dt.timedelta(minutes=1),
    )
    user.refresh_from_db()
    return user


def _start(user, period: str) -> Routine:
    routine = RoutineFactory(user=user, period=period)
    RoutineStepFactory(routine=routine)
    with time_machine.travel(START, tick=False):
        services.routine_start(routine=routine)
    routine.refresh_from_db()
    return routine


def _sweep(at: dt.datetime) -> dict:
    with time_machine.travel(at, tick=False):
        return reminders_dispatch(enqueue=False)


def _local(day: dt.date, hh: int, mm: int, tz: str = "UTC") -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def test_a_person_without_a_choice_gets_the_staff_default_time():
    # Given staff moved the default morning time to 08:15 before this person started a routine
    config_update(reminder_am_default=dt.time(8, 15))
    user = _person("Europe/Paris")
    routine = _start(user, "am")
    # Then the reminder is scheduled for 08:15 Paris time (06:15 UTC in June)
    assert routine.next_reminder_at == _local(DAY, 8, 15, "Europe/Paris")
    assert _sweep(_local(DAY, 8, 14, "Europe/Paris"))["claimed"] == 0
    assert _sweep(_local(DAY, 8, 15, "Europe/Paris") + dt.timedelta(seconds=20))["claimed"] == 1


def test_changing_the_default_reschedules_routines_already_scheduled():
    # Given a routine scheduled at the built-in 07:30
    user = _person()
    routine = _start(user, "am")
    assert routine.next_reminder_at == _local(DAY, 7, 30)
    # When staff change the default to 09:00 (at 06:00 that day)
    with time_machine.travel(_local(DAY, 6, 0), tick=False):
        config_update(reminder_am_default=dt.time(9, 0))
        stats = reminders_dispatch(enqueue=False)
    assert stats["rescheduled"] == 1
    # Then nothing is sent at 07:30, and the reminder comes at 09:00
    assert _sweep(_local(DAY, 7, 30, "UTC") + dt.timedelta(seconds=20))["claimed"] == 0
    assert _sweep(_local(DAY, 9, 0) + dt.timedelta(seconds=20))["claimed"] == 1
    assert ReminderDelivery.objects.get().scheduled_for == _local(DAY, 9, 0)


def test_a_chosen_time_does_not_follow_the_default():
    user = _person(times={"am": "06:45", "pm": "21:30"})
    routine = _start(user, "am")
    with time_machine.travel(_local(DAY, 5, 0), tick=False):
        config_update(reminder_am_default=dt.time(9, 0))
        reminders_dispatch(enqueue=False)
    routine.refresh_from_db()
    assert routine.next_reminder_at == _local(DAY, 6, 45)


@pytest.mark.parametrize(
    ("period", "chosen", "sent_at"),
    [
        ("am", "05:00", (6, 0)),  # before the window: its opening
        ("am", "03:00", (6, 0)),  # nearer the opening than the close
        ("pm", "23:45", (23, 0)),  # after the window: its close
        ("pm", "00:30", (23, 0)),  # just after midnight is nearer the close than the opening
        ("am", "12:00", (12, 0)),  # inside: untouched
    ],
)
def test_a_chosen_time_outside_the_window_is_sent_at_the_nearer_edge(period, chosen, sent_at):
    # Given the default window 06:00-23:00 and a person in New York with a time outside it
    tz = "America/New_York"
    times = {"am": "07:30", "pm": "21:30", period: chosen}
    user = _person(tz, times=times)
    routine = _start(user, period)
    # Then the routine is scheduled at the window's edge, local time, and the reminder goes out then, once
    day = routine.next_reminder_date
    expected = _local(day, *sent_at, tz)
    assert routine.next_reminder_at == expected
    assert _sweep(expected - dt.timedelta(minutes=1))["claimed"] == 0
    assert _sweep(expected + dt.timedelta(seconds=20))["claimed"] == 1
    delivery = ReminderDelivery.objects.get()
    assert (delivery.local_date, delivery.scheduled_for) == (day, expected)


def test_narrowing_the_window_moves_a_late_reminder_earlier():
    user = _person(times={"am": "07:30", "pm": "22:30"})
    routine = _start(user, "pm")
    assert routine.next_reminder_at == _local(DAY - dt.timedelta(days=1), 22, 30)  # started 12:00 on the 31st
    # When staff close the window at 21:00
    with time_machine.travel(_local(DAY - dt.timedelta(days=1), 13, 0), tick=False):
        config_update(reminder_latest=dt.time(21, 0), reminder_pm_default=dt.time(20, 30))
        reminders_dispatch(enqueue=False)
    routine.refresh_from_db()
    assert routine.next_reminder_at == _local(DAY - dt.timedelta(days=1), 21, 0)
    assert _sweep(_local(DAY - dt.timedelta(days=1), 21, 0) + dt.timedelta(seconds=20))["claimed"] == 1


def test_a_settings_change_that_is_not_about_reminders_reschedules_nothing():
    user = _person()
    _start(user, "am")
    with time_machine.travel(_local(DAY, 5, 0), tick=False):
        config_update(sharing_enabled=False)
        assert reminders_dispatch(enqueue=False)["rescheduled"] == 0


def test_a_large_resync_reaches_the_soonest_routines_first(monkeypatch):
    from routines import reminders

    # Given more stale routines than one sweep reschedules, half due soon and half later
    monkeypatch.setattr(reminders, "RESYNC_BATCHES", 1)
    soon = [_start(_person(times={"am": "07:00", "pm": "21:30"}), "am") for _ in range(3)]
    later = [_start(_person(times={"am": "11:00", "pm": "21:30"}), "am") for _ in range(3)]
    with time_machine.travel(_local(DAY, 5, 0), tick=False):
        config_update(reminder_earliest=dt.time(7, 0))  # changes nobody's time, but every routine is stale
        stats = reminders.reminders_dispatch(enqueue=False, batch_size=3)
    assert stats["rescheduled"] == 3
    computed = dict(Routine.objects.values_list("pk", "schedule_computed_at"))
    assert all(computed[r.pk] == _local(DAY, 5, 0) for r in soon)
    assert all(computed[r.pk] != _local(DAY, 5, 0) for r in later)


def test_shelf_reminders_wait_for_the_person_s_effective_morning_time():
    config_update(reminder_am_default=dt.time(10, 0))
    user = _person()
    with time_machine.travel(dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC), tick=False):
        services.shelf_item_create(
            user=user, name="Vitamin C", brand="Plain", opened_on=dt.date(2026, 1, 1), pao_months=6
        )
    assert _sweep(_local(DAY, 9, 59))["claimed"] == 0
    assert _sweep(_local(DAY, 10, 1))["claimed"] == 1
