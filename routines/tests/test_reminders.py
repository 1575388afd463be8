"""Reminders arrive exactly once: frozen time across daylight-saving changes in two timezones, retries
and restarts, two dispatchers at once, quiet hours and per-channel opt-outs, shelf expiry."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, connection, transaction

from accounts import sms
from accounts.models import Notification, Profile
from accounts.tests.factories import UserFactory
from routines import services
from routines.models import ChannelDelivery, ReminderDelivery, Routine
from routines.reminders import delivery_claim, delivery_send, reminders_dispatch

from .factories import RoutineFactory, RoutineStepFactory, ShelfItemFactory

UTC = dt.UTC


def _user(tz: str, am: str = "07:30", pm: str = "21:30", **profile):
    user = UserFactory()
    p = user.profile
    p.timezone = tz
    p.reminder_times = {"am": am, "pm": pm}
    p.notification_channels = profile.pop("notification_channels", {"email": False, "sms": False})
    for key, value in profile.items():
        setattr(p, key, value)
    p.save()
    return user


def _started_routine(user, period: str, at: dt.datetime) -> Routine:
    routine = RoutineFactory(user=user, period=period, name=f"{period} routine")
    RoutineStepFactory(routine=routine, category="cleanse")
    RoutineStepFactory(routine=routine, category="moisturize")
    # The profile was last edited before the routine started (the factory saved it at the real time).
    Profile.objects.filter(user=user).update(updated_at=at - dt.timedelta(minutes=1))
    with time_machine.travel(at, tick=False):
        services.routine_start(routine=routine)
    routine.refresh_from_db()
    return routine


def _run_clock(
    start: dt.datetime, end: dt.datetime, step: dt.timedelta, focus: list[dt.datetime] = (), around: int = 5
) -> int:
    """The beat: one dispatch per `step` of frozen time, and every minute within `around` minutes of each
    `focus` instant (where reminders are expected), so tests stay fast on a shared machine."""
    ticks = set()
    now = start
    while now <= end:
        ticks.add(now)
        now += step
    for instant in focus:
        for minute in range(-around, around + 1):
            tick = instant + dt.timedelta(minutes=minute)
            if start <= tick <= end:
                ticks.add(tick)
    with time_machine.travel(start, tick=False) as traveller:
        for tick in sorted(ticks):
            traveller.move_to(tick)
            reminders_dispatch(enqueue=False)
    return len(ticks)


def _local_instants(tz: str, at: dt.time, days: list[dt.date]) -> list[dt.datetime]:
    zone = ZoneInfo(tz)
    return [dt.datetime.combine(day, at, tzinfo=zone).astimezone(UTC) for day in days]


# --- daylight-saving changes ---------------------------------------------------------------------------
DST_CASES = [
    # (timezone, reminder time in the gap/fold, change day, expected UTC instant on that day)
    ("Europe/Paris", "02:30", dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # spring gap
    ("America/New_York", "02:30", dt.date(2026, 3, 8), dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),  # spring gap
    ("Europe/Paris", "02:30", dt.date(2026, 10, 25), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # autumn fold
    ("America/New_York", "01:30", dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # autumn fold
]


@pytest.fixture
def any_hour(db):
    """Staff allow reminders at any hour (the default window, 06:00-23:00, would move a 02:30 reminder)."""
    from skincare.core.config import config_update

    config_update(reminder_earliest=dt.time(0, 0), reminder_latest=dt.time(23, 59))


@pytest.mark.django_db
@pytest.mark.parametrize(("tz", "at", "change_day", "expected"), DST_CASES)
def test_dst_change_neither_skips_nor_doubles(any_hour, tz, at, change_day, expected):
    # Given a morning reminder at a local time the DST change removes or repeats, and an evening one
    user = _user(tz, am=at, pm="21:30")
    start = dt.datetime.combine(change_day - dt.timedelta(days=2), dt.time(12, 0), tzinfo=UTC)
    am = _started_routine(user, "am", start)
    pm = _started_routine(user, "pm", start)
    am_days = [change_day + dt.timedelta(days=i) for i in (-1, 0, 1, 2)]
    pm_days = [change_day + dt.timedelta(days=i) for i in (-2, -1, 0, 1)]
    h, m = map(int, at.split(":"))
    focus = [expected] + [
        i for d, i in zip(am_days, _local_instants(tz, dt.time(h, m), am_days), strict=True) if d != change_day
    ]
    focus += _local_instants(tz, dt.time(21, 30), pm_days)
    # When the beat ticks (every 2 hours, and every minute around each expected instant) for four days
    _run_clock(start, start + dt.timedelta(days=4), dt.timedelta(hours=2), focus=focus)
    # Then each routine got exactly one reminder per local day
    for routine, expected_days in ((am, am_days), (pm, pm_days)):
        days = list(
            ReminderDelivery.objects.filter(routine=routine).order_by("local_date").values_list("local_date", flat=True)
        )
        assert days == expected_days, (routine.period, days)
    # And the change day's morning reminder fired at the first valid instant (gap) / first occurrence (fold)
    on_change = ReminderDelivery.objects.get(routine=am, local_date=change_day)
    assert on_change.scheduled_for == expected
    assert dt.timedelta(0) <= on_change.sent_at - expected < dt.timedelta(minutes=1)
    assert Notification.objects.filter(user=user, kind="reminder").count() == 8
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tz", "change_day"), [("Europe/Paris", dt.date(2026, 3, 29)), ("America/New_York", dt.date(2026, 3, 8))]
)
def test_evening_reminder_keeps_local_time_across_the_change(tz, change_day):
    user = _user(tz, pm="21:30")
    start = dt.datetime.combine(change_day - dt.timedelta(days=3), dt.time(12, 0), tzinfo=UTC)
    routine = _started_routine(user, "pm", start)
    days = [change_day + dt.timedelta(days=i) for i in range(-3, 4)]
    focus = _local_instants(tz, dt.time(21, 30), days)
    _run_clock(start, start + dt.timedelta(days=7), dt.timedelta(hours=2), focus=focus, around=2)
    zone = ZoneInfo(tz)
    deliveries = list(ReminderDelivery.objects.filter(routine=routine).order_by("local_date"))
    assert [d.local_date for d in deliveries] == days  # one a day, none skipped, none doubled
    offsets = set()
    for d in deliveries:
        local = d.scheduled_for.astimezone(zone)
        assert (local.date(), local.time()) == (d.local_date, dt.time(21, 30))
        assert dt.timedelta(0) <= d.sent_at - d.scheduled_for < dt.timedelta(minutes=1)
        offsets.add(local.utcoffset())
    assert len(offsets) == 2  # the UTC instant moved with the change; the local time did not


# --- retries, restarts, two dispatchers ---------------------------------------------------------------------
@pytest.mark.django_db
def test_retry_or_restart_never_sends_twice():
    user = _user("Europe/Paris", pm="21:30")
    routine = _started_routine(user, "pm", dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    due = routine.next_reminder_at
    with time_machine.travel(due + dt.timedelta(seconds=30), tick=False):
        first = reminders_dispatch(enqueue=False)
        # A restart that lost the advanced schedule: the same reminder looks due again.
        Routine.objects.filter(pk=routine.pk).update(
            next_reminder_at=due, next_reminder_date=routine.next_reminder_date
        )
        second = reminders_dispatch(enqueue=False)
        delivery = ReminderDelivery.objects.get()
        # A retried send task finds the delivery already sent.
        assert delivery_send(delivery_id=delivery.pk) is False
    assert (first["claimed"], second["claimed"], second["duplicates"]) == (1, 0, 1)
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_unique_key_path_claims_once_even_when_both_dispatchers_see_it_due():
    """The SQLite proof: whatever two dispatchers read, the insert-first claim lets one through."""
    user = _user("UTC")
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    fields = {
        "user_id": user.id,
        "kind": "routine",
        "routine": routine,
        "period": "am",
        "local_date": dt.date(2026, 6, 1),
        "scheduled_for": dt.datetime(2026, 6, 1, 7, 30, tzinfo=UTC),
    }
    assert delivery_claim(key="a", **fields) is not None
    assert delivery_claim(key="a", **fields) is None  # same key
    assert delivery_claim(key="another-key", **fields) is None  # (user, routine, period, local date) constraint
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDelivery.objects.create(key="third", **fields)
    assert ReminderDelivery.objects.count() == 1


@pytest.mark.django_db
def test_a_claimed_reminder_whose_task_was_lost_is_sent_by_the_next_sweep(django_capture_on_commit_callbacks):
    user = _user("UTC")
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(routine.next_reminder_at + dt.timedelta(seconds=5), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reminders_dispatch()  # the enqueue is captured and dropped: the broker "lost" it
        assert len([c for c in callbacks if "deliveries_hand_over" in c.__qualname__]) == 1  # (+ the read cache's)
        assert ReminderDelivery.objects.get().status == "pending"
    with time_machine.travel(routine.next_reminder_at + dt.timedelta(minutes=3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            stats = reminders_dispatch()  # eager Celery runs send_reminder
    assert stats["retried"] == 1
    assert ReminderDelivery.objects.get().status == "sent"
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_two_dispatchers_at_once_deliver_each_reminder_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL (SQLite is proven by the unique-key test)")
    start = dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    routines = [_started_routine(_user("America/New_York"), "am", start) for _ in range(40)]
    due = max(r.next_reminder_at for r in routines)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def dispatcher():
        try:
            barrier.wait(timeout=30)
            claimed = 0
            while True:
                stats = reminders_dispatch(now=due + dt.timedelta(seconds=1), batch_size=5, enqueue=False)
                claimed += stats["claimed"]
                if not stats["claimed"] and not Routine.objects.filter(next_reminder_at__lte=due).exists():
                    break
            results.append(claimed)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=100)
    assert not errors, errors
    assert sum(results) == 40
    assert ReminderDelivery.objects.count() == 40
    assert Notification.objects.filter(kind="reminder").count() == 40
    for routine in routines:
        assert ReminderDelivery.objects.filter(routine=routine).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_two_dispatcher_threads_on_any_database_send_once():
    """Same race without the PostgreSQL-only assertion: SQLite serialises writers, the key does the rest."""
    start = dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    routines = [_started_routine(_user("Europe/Paris"), "pm", start) for _ in range(10)]
    due = max(r.next_reminder_at for r in routines)
    assert len({r.next_reminder_date for r in routines}) == 1
    # Both dispatchers read the same stale schedule (as after a restart) and race.
    barrier = threading.Barrier(2)
    errors = []

    def dispatcher():
        try:
            barrier.wait(timeout=30)
            for _ in range(3):
                Routine.objects.filter(pk__in=[r.pk for r in routines]).update(
                    next_reminder_at=due, next_reminder_date=routines[0].next_reminder_date
                )
                reminders_dispatch(now=due + dt.timedelta(seconds=1), enqueue=False)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=100)
    assert not errors, errors
    assert ReminderDelivery.objects.count() == 10
    assert Notification.objects.filter(kind="reminder").count() == 10


# --- channels, quiet hours, opt-outs ---------------------------------------------------------------------------
@pytest.fixture
def outboxes():
    mail.outbox.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.mark.django_db
def test_all_channels_deliver_and_are_recorded(outboxes):
    user = _user("Europe/Paris", notification_channels={})
    user.phone = "+33612345678"
    user.save()
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(routine.next_reminder_at, tick=False):
        reminders_dispatch(enqueue=False)
    note = Notification.objects.get(user=user)
    assert note.title == "Time for your morning routine" and note.url == "/routines/"
    assert note.data["routine"] == str(routine.pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert [m.to for m in sms.outbox] == ["+33612345678"]
    assert dict(ChannelDelivery.objects.values_list("channel", "status")) == {
        "in_app": "sent",
        "email": "sent",
        "sms": "sent",
    }


@pytest.mark.django_db
def test_opt_outs_and_quiet_hours(outboxes):
    # Quiet 21:00-07:00 holds back email and SMS for the 21:30 reminder; in-app is opted out here too.
    user = _user(
        "America/New_York",
        pm="21:30",
        quiet_hours={"start": "21:00", "end": "07:00"},
        notification_channels={"in_app": False},
    )
    user.phone = "+12125550100"
    user.save()
    routine = _started_routine(user, "pm", dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    with time_machine.travel(routine.next_reminder_at, tick=False):
        reminders_dispatch(enqueue=False)
    assert dict(ChannelDelivery.objects.values_list("channel", "status")) == {
        "in_app": "opted_out",
        "email": "quiet_hours",
        "sms": "quiet_hours",
    }
    assert not Notification.objects.exists() and not mail.outbox and not sms.outbox
    assert ReminderDelivery.objects.get().status == "sent"  # handled: it will not be retried


@pytest.mark.django_db
def test_no_phone_means_sms_unavailable(outboxes):
    user = _user("UTC", notification_channels={})
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(routine.next_reminder_at, tick=False):
        reminders_dispatch(enqueue=False)
    assert ChannelDelivery.objects.get(channel="sms").status == "unavailable"
    assert not sms.outbox


# --- schedules follow the profile; stale reminders are dropped ---------------------------------------------
@pytest.mark.django_db
def test_profile_change_reschedules_and_a_just_passed_time_still_fires():
    user = _user("Europe/Paris", pm="21:30")
    routine = _started_routine(user, "pm", dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 6, 1, 18, 5, tzinfo=UTC), tick=False):  # 20:05 in Paris
        user.profile.reminder_times = {"am": "07:30", "pm": "20:00"}
        user.profile.save()
        stats = reminders_dispatch(enqueue=False)
    assert stats["rescheduled"] == 1 and stats["claimed"] == 1
    delivery = ReminderDelivery.objects.get(routine=routine)
    assert delivery.scheduled_for == dt.datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    routine.refresh_from_db()
    assert routine.next_reminder_at == dt.datetime(2026, 6, 2, 18, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_reminders_older_than_the_grace_period_are_dropped_not_sent():
    user = _user("UTC", am="07:30")
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 6, 1, 11, 0, tzinfo=UTC), tick=False):  # dispatcher was down
        stats = reminders_dispatch(enqueue=False)
    assert stats["too_late"] == 1 and not ReminderDelivery.objects.exists()
    routine.refresh_from_db()
    assert routine.next_reminder_at == dt.datetime(2026, 6, 2, 7, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_inactive_routines_get_no_reminder():
    user = _user("UTC")
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    services.routine_stop(routine=routine)
    _run_clock(
        dt.datetime(2026, 6, 1, 7, 0, tzinfo=UTC), dt.datetime(2026, 6, 1, 8, 0, tzinfo=UTC), dt.timedelta(minutes=10)
    )
    assert not ReminderDelivery.objects.exists()


# --- shelf ---------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_shelf_reminders_before_and_at_expiry_once_each():
    user = _user("Europe/Paris", am="08:00")
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        item = services.shelf_item_create(
            user=user, name="Vitamin C", brand="Plain", opened_on=dt.date(2026, 1, 1), pao_months=6
        )
    assert item.expires_on == dt.date(2026, 7, 1) and item.use_soon_on == dt.date(2026, 6, 1)
    # Before the AM time nothing; after it one "use soon"; the next days nothing more.
    _run_clock(
        dt.datetime(2026, 6, 1, 5, 0, tzinfo=UTC), dt.datetime(2026, 6, 3, 12, 0, tzinfo=UTC), dt.timedelta(hours=1)
    )
    soon = ReminderDelivery.objects.get(kind="shelf_use_soon")
    assert soon.sent_at.astimezone(dt.UTC) >= dt.datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 08:00 CEST
    # On the expiry day one "expired".
    _run_clock(
        dt.datetime(2026, 6, 30, 12, 0, tzinfo=UTC), dt.datetime(2026, 7, 2, 12, 0, tzinfo=UTC), dt.timedelta(hours=1)
    )
    assert ReminderDelivery.objects.filter(kind="shelf_expired").count() == 1
    titles = list(Notification.objects.filter(user=user).order_by("created_at").values_list("title", flat=True))
    assert titles == ["Use Plain Vitamin C soon", "Plain Vitamin C has expired"]


@pytest.mark.django_db
def test_shelf_without_dates_gets_no_reminder():
    user = _user("UTC")
    ShelfItemFactory(user=user, opened_on=None, pao_months=None)
    reminders_dispatch(enqueue=False)
    assert not ReminderDelivery.objects.exists()


@pytest.mark.django_db
def test_periodic_schedule_registers_the_dispatcher():
    from django_celery_beat.models import PeriodicTask

    from skincare.core.management.commands.setup_project import register_periodic_tasks

    names = register_periodic_tasks()
    assert "routines: dispatch reminders" in names
    task = PeriodicTask.objects.get(name="routines: dispatch reminders")
    assert (task.task, task.interval.every, task.interval.period) == (
        "routines.tasks.dispatch_reminders",
        60,
        "seconds",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("late_minutes", "claimed"), [(60, 0), (180, 1)])
def test_the_lateness_window_is_the_staff_configured_one(late_minutes, claimed):
    """Given a reminder due 90 minutes ago, staff's reminder_late_minutes decides whether it still goes."""
    from skincare.core.config import config_update

    config_update(reminder_late_minutes=late_minutes)
    user = _user("UTC", am="07:30")
    _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC), tick=False):
        stats = reminders_dispatch(enqueue=False)
    assert stats["claimed"] == claimed
    assert stats["too_late"] == 1 - claimed


# --- a sender that dies ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_dead_senders_delivery_is_taken_over_and_nothing_is_sent_twice():
    from django.utils import timezone

    from routines.reminders import SEND_LEASE, delivery_claim_send, delivery_heartbeat, delivery_lease_wait

    user = _user("UTC", notification_channels={"email": True, "sms": True})
    user.phone = "+33612345678"
    user.save(update_fields=["phone"])
    routine = _started_routine(user, "am", dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC))
    with time_machine.travel(routine.next_reminder_at + dt.timedelta(seconds=5), tick=False):
        reminders_dispatch(enqueue=False)
    delivery = ReminderDelivery.objects.get()
    # Given a sender that claimed the delivery again (a new reminder state), wrote the inbox and started the email,
    # then died: its channel rows are left as it left them and its heartbeat stops.
    ReminderDelivery.objects.filter(pk=delivery.pk).update(status="pending")
    ChannelDelivery.objects.filter(delivery=delivery).delete()
    mail.outbox.clear()
    sms.outbox.clear()
    dead = delivery_claim_send(delivery.pk)
    assert dead is not None and delivery_claim_send(delivery.pk) is None  # live: a duplicate gets nothing
    assert 0 < delivery_lease_wait(delivery.pk) <= SEND_LEASE.total_seconds()
    ChannelDelivery.objects.create(delivery=delivery, channel="in_app", status="sent")
    ChannelDelivery.objects.create(delivery=delivery, channel="email", status="sending")
    past = timezone.now() - SEND_LEASE - dt.timedelta(seconds=1)
    ReminderDelivery.objects.filter(pk=delivery.pk).update(heartbeat_at=past)
    notifications = Notification.objects.filter(user=user).count()

    # When the lease has run out, another sender takes over and finishes what was left.
    assert delivery_lease_wait(delivery.pk) == 0
    assert reminders_dispatch(enqueue=False)["retried"] == 1  # the next sweep finds it and sends the rest
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    rows = {row.channel: (row.status, row.detail) for row in delivery.channels.all()}
    assert rows["in_app"] == ("sent", "")
    assert rows["email"][0] == "failed" and rows["email"][1].startswith("interrupted")  # never repeated
    assert rows["sms"] == ("sent", "")
    assert (Notification.objects.filter(user=user).count(), len(mail.outbox), len(sms.outbox)) == (notifications, 0, 1)
    # The dead sender, had it only been slow, can no longer renew its lease or finish anything.
    assert not delivery_heartbeat(delivery.pk, attempt=dead)
    assert delivery_send(delivery_id=delivery.pk) is False
