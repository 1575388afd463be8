"""Reminders that arrive exactly once: routine reminders at the profile's AM/PM times in the user's own
timezone, and shelf reminders before a product expires.

How exactly-once holds:
- Each active routine stores its next reminder as a UTC instant plus the local date it belongs to
  (schedule.py resolves daylight-saving gaps and folds).
- One periodic task (periodic.py, every 60 s) calls `reminders_dispatch`, which takes due routines in
  bounded batches (`select_for_update(skip_locked=True)` on PostgreSQL, so concurrent dispatchers split
  the work; SQLite serialises writers) and *claims* each reminder by inserting a `ReminderDelivery` row
  whose unique key is (user, routine, period, local date). A second dispatcher, a retry or a restart hits
  the unique constraint and sends nothing.
- Sending happens after the claim commits, in `send_reminder` (a Celery task per delivery); the claim
  PENDING → SENDING is one conditional UPDATE that also takes a lease (an attempt token and a heartbeat renewed
  before each channel), and each channel gets its own unique row before it is sent. The in-app inbox row and its
  channel row are written in one transaction.
- A sender that dies (its pool process or its whole worker killed) stops renewing its lease: after SEND_LEASE the
  re-delivered task, or the next dispatch, takes the delivery over and finishes the channels not yet handled. A channel
  the dead sender had started but not recorded (an email or SMS cut off mid-send) is marked failed ("interrupted"),
  never sent again: nothing is ever sent twice. A delivery whose task never ran (broker down) is picked up again by
  the next dispatch.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from accounts.selectors import reminder_times
from skincare.core import leases, readcache
from skincare.core.i18n import recipient_language

from .models import ChannelDelivery, ReminderDelivery, Routine, ShelfItem
from .schedule import get_zone, in_quiet_hours, next_occurrence
from .selectors import profile_of

logger = logging.getLogger(__name__)

GRACE = timedelta(hours=2)  # default lateness window; staff change it in the admin (reminder_late_minutes)


def _config(config=None):
    """The staff settings (skincare.core.config.Config): read once per sweep and handed down."""
    if config is not None:
        return config
    from skincare.core.config import get_config

    return get_config()


def late_window(config=None) -> timedelta:
    """A reminder later than this (dispatcher down for hours) is dropped, not sent. Staff-configurable."""
    minutes = _config(config).reminder_late_minutes
    return timedelta(minutes=minutes) if minutes else GRACE


def send_time(profile, period: str, config=None) -> time:
    """When this person's am/pm reminder goes out: their time, else the staff default, moved into the staff window."""
    return reminder_times(profile=profile, config=_config(config))[period].sends_at


BATCH_SIZE = 200
RESYNC_BATCHES = 5
STALE_PENDING = timedelta(minutes=2)
SEND_LEASE = timedelta(seconds=20)  # a sender silent for this long died: its delivery may be taken over
CHANNELS = ("in_app", "email", "sms")
INTERRUPTING = {"email", "sms"}  # held back during quiet hours; the in-app inbox is not an interruption


# --- scheduling --------------------------------------------------------------------------------------
def routine_schedule(*, routine: Routine, now: datetime | None = None, profile=None, config=None) -> Routine:
    """Compute the routine's next reminder (UTC instant + local date) from the current profile and staff settings.

    Looks back over the lateness window so that a profile edit just after a reminder fell due does not skip it; a
    reminder already sent for that local date is protected by the unique key.
    """
    now = now or timezone.now()
    profile = profile or profile_of(routine.user)
    if not routine.is_active:
        return routine
    config = _config(config)
    after = now - late_window(config)
    if routine.started_at and routine.started_at > after:
        after = routine.started_at
    day, instant = next_occurrence(
        after=after, at=send_time(profile, routine.period, config), tz=get_zone(profile.timezone)
    )
    routine.next_reminder_at, routine.next_reminder_date, routine.schedule_computed_at = instant, day, now
    Routine.objects.filter(pk=routine.pk).update(
        next_reminder_at=instant, next_reminder_date=day, schedule_computed_at=now
    )
    readcache.changed(routine.user_id)
    return routine


def _resync_schedules(now: datetime, batch_size: int, config, skip: set | frozenset = frozenset()) -> list:
    """Active routines never scheduled, or computed before their owner's profile changed (time, timezone) or
    before staff changed a reminder setting (defaults, window, lateness). Soonest reminders first, so a large
    resync after a settings change reaches the routines about to fire before the others."""
    stale = (
        Q(next_reminder_at__isnull=True)
        | Q(schedule_computed_at__isnull=True)
        | Q(schedule_computed_at__lt=F("user__profile__updated_at"))
    )
    if config.reminders_changed_at is not None:
        stale |= Q(schedule_computed_at__lt=config.reminders_changed_at)
    routines = (
        Routine.objects.filter(is_active=True)
        .filter(stale)
        .exclude(pk__in=skip)
        .select_related("user", "user__profile")
        .order_by(F("next_reminder_at").asc(nulls_first=True), "pk")[:batch_size]
    )
    done = []
    for routine in routines:
        routine_schedule(routine=routine, now=now, config=config)
        done.append(routine.pk)
    return done


def _resync_all(now: datetime, batch_size: int, config) -> int:
    """Up to RESYNC_BATCHES batches per sweep: a staff change of the reminder settings touches every active
    routine, and the soonest ones must be right before they fall due."""
    done: set = set()
    for _ in range(RESYNC_BATCHES):
        batch = _resync_schedules(now, batch_size, config, skip=done)
        done.update(batch)
        if len(batch) < batch_size:
            break
    return len(done)


# --- claiming ----------------------------------------------------------------------------------------
def delivery_claim(**fields) -> ReminderDelivery | None:
    """Insert-first claim: the row, or None when this reminder was already claimed by anyone."""
    try:
        with transaction.atomic():
            return ReminderDelivery.objects.create(**fields)
    except IntegrityError:
        return None


def routine_reminder_key(routine: Routine, day) -> str:
    return f"routine:{routine.user_id}:{routine.id}:{routine.period}:{day.isoformat()}"


def _locked(qs):
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs  # SQLite: the IMMEDIATE transaction already serialises writers


def _claim_due_routines(now: datetime, batch_size: int, stats: dict, config) -> list:
    claimed = []
    late = late_window(config)
    with transaction.atomic():
        qs = (
            Routine.objects.filter(is_active=True, next_reminder_at__lte=now, next_reminder_date__isnull=False)
            .select_related("user", "user__profile")
            .order_by("next_reminder_at")
        )
        for routine in _locked(qs)[:batch_size]:
            day, instant = routine.next_reminder_date, routine.next_reminder_at
            if instant >= now - late:
                delivery = delivery_claim(
                    key=routine_reminder_key(routine, day),
                    user_id=routine.user_id,
                    kind=ReminderDelivery.Kind.ROUTINE,
                    routine=routine,
                    period=routine.period,
                    local_date=day,
                    scheduled_for=instant,
                )
                if delivery is None:
                    stats["duplicates"] += 1
                else:
                    claimed.append(delivery.pk)
            else:
                stats["too_late"] += 1
            profile = profile_of(routine.user)
            next_day, next_instant = next_occurrence(
                after=max(instant, now - late),
                at=send_time(profile, routine.period, config),
                tz=get_zone(profile.timezone),
            )
            Routine.objects.filter(pk=routine.pk).update(
                next_reminder_at=next_instant, next_reminder_date=next_day, schedule_computed_at=now
            )
            readcache.changed(routine.user_id)
    return claimed


def _claim_shelf(now: datetime, batch_size: int, stats: dict, config) -> list:
    """Shelf items entering "use soon" or expiring, on the user's local date, after their AM time."""
    horizon = now.date() + timedelta(days=1)
    sent = ReminderDelivery.objects.filter(shelf_item=OuterRef("pk"), local_date=OuterRef("expires_on"))
    qs = (
        ShelfItem.objects.filter(use_soon_on__lte=horizon, expires_on__gte=horizon - timedelta(days=3))
        .annotate(
            has_soon=Exists(sent.filter(kind=ReminderDelivery.Kind.SHELF_USE_SOON)),
            has_expired=Exists(sent.filter(kind=ReminderDelivery.Kind.SHELF_EXPIRED)),
        )
        .filter(Q(has_soon=False) | Q(expires_on__lte=horizon, has_expired=False))
        .select_related("user", "user__profile")
        .order_by("use_soon_on", "pk")[:batch_size]
    )
    claimed = []
    for item in qs:
        profile = profile_of(item.user)
        local = now.astimezone(get_zone(profile.timezone))
        if local.time() < send_time(profile, "am", config):
            continue
        today = local.date()
        if today >= item.expires_on and not item.has_expired:
            kind = ReminderDelivery.Kind.SHELF_EXPIRED
        elif item.use_soon_on <= today < item.expires_on and not item.has_soon:
            kind = ReminderDelivery.Kind.SHELF_USE_SOON
        else:
            continue
        delivery = delivery_claim(
            key=f"{kind}:{item.id}:{item.expires_on.isoformat()}",
            user_id=item.user_id,
            kind=kind,
            shelf_item=item,
            local_date=item.expires_on,
            scheduled_for=now,
        )
        if delivery is None:
            stats["duplicates"] += 1
        else:
            claimed.append(delivery.pk)
    return claimed


def _sender_dead(now: datetime) -> Q:
    """Deliveries left `sending` by a sender that died (skincare.core.leases)."""
    return Q(status=ReminderDelivery.Status.SENDING) & leases.expired(SEND_LEASE, fallback="created_at", now=now)


def _retry_stale(now: datetime, batch_size: int) -> list:
    """Deliveries whose send never happened (the task was lost) or stopped half-way (its sender died)."""
    return list(
        ReminderDelivery.objects.filter(
            Q(status=ReminderDelivery.Status.PENDING, created_at__lt=now - STALE_PENDING) | _sender_dead(now)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch_size]
    )


def reminders_dispatch(*, now: datetime | None = None, batch_size: int = BATCH_SIZE, enqueue: bool = True) -> dict:
    """The periodic sweep: resync changed schedules, claim due reminders, hand them to senders."""
    now = now or timezone.now()
    stats = {"rescheduled": 0, "claimed": 0, "duplicates": 0, "too_late": 0, "retried": 0}
    config = _config()
    stats["rescheduled"] = _resync_all(now, batch_size, config)
    claimed = _claim_due_routines(now, batch_size, stats, config)
    claimed += _claim_shelf(now, batch_size, stats, config)
    stats["claimed"] = len(claimed)
    retry = _retry_stale(now, batch_size)
    stats["retried"] = len(retry)
    deliveries_hand_over([str(pk) for pk in dict.fromkeys([*claimed, *retry])], now=now, enqueue=enqueue)
    return stats


def deliveries_hand_over(ids: list[str], *, now: datetime, enqueue: bool = True) -> None:
    """Send claimed deliveries: one `send_reminder` task each once the claim commits, or here and now (tests)."""
    if enqueue:
        from .tasks import send_reminder

        for pk in ids:
            transaction.on_commit(lambda pk=pk: send_reminder.delay(pk))
    else:
        for pk in ids:
            delivery_send(delivery_id=pk, now=now)


# --- sending -----------------------------------------------------------------------------------------
def _period_title(period: str) -> str:
    if period == "am":
        return gettext("Time for your morning routine")
    if period == "pm":
        return gettext("Time for your evening routine")
    return gettext("Time for your routine")


# Reminder kinds of other apps (e.g. consultations): kind → function(delivery) → (title, body, url) or None (nothing
# to send any more). They claim with `delivery_claim` and are sent, retried and recorded per channel like the rest.
MESSAGE_BUILDERS: dict[str, Callable[[ReminderDelivery], tuple[str, str, str] | None]] = {}


def register_message(kind: str, builder: Callable[[ReminderDelivery], tuple[str, str, str] | None]) -> None:
    """Called from another app's AppConfig.ready(): how to word its reminders of `kind`."""
    MESSAGE_BUILDERS[kind] = builder


def _message(delivery: ReminderDelivery) -> tuple[str, str, str] | None:
    """Title, body and link of a reminder, in the active language (delivery_send makes it the person's)."""
    if delivery.kind in MESSAGE_BUILDERS:
        return MESSAGE_BUILDERS[delivery.kind](delivery)
    if delivery.kind == ReminderDelivery.Kind.ROUTINE:
        routine = delivery.routine
        if routine is None or not routine.is_active:
            return None
        from .selectors import routine_day, user_zone

        # The week plan decides what is due that local date: retinoid, exfoliation or recovery evening.
        day = routine_day(routine=routine, day=delivery.local_date, zone=user_zone(delivery.user))
        steps = day["steps"]
        names = ", ".join(str(s.get_category_display()).lower() for s in steps)
        if steps:
            body = ngettext("%(count)d step today: %(names)s.", "%(count)d steps today: %(names)s.", len(steps)) % {
                "count": len(steps),
                "names": names,
            }
        else:
            body = gettext("Open your routine for today.")
        if day["note"]:
            body = f"{day['note']} {body}"
        return _period_title(routine.period), body, reverse("routines:today")
    item = delivery.shelf_item
    if item is None:
        return None
    label = f"{item.brand} {item.name}".strip()
    day = date_format(item.expires_on, "DATE_FORMAT")
    if delivery.kind == ReminderDelivery.Kind.SHELF_EXPIRED:
        return (
            gettext("%(product)s has expired") % {"product": label},
            gettext(
                "It passed its period after opening or best-before date on %(date)s. "
                "Replace it: expired products can irritate and protect less."
            )
            % {"date": day},
            reverse("routines:shelf"),
        )
    return (
        gettext("Use %(product)s soon") % {"product": label},
        gettext("It expires on %(date)s.") % {"date": day},
        reverse("routines:shelf"),
    )


def _send(channel: str, user, title: str, body: str, url: str, data: dict) -> None:
    if channel == "in_app":
        from accounts.services import notification_create

        notification_create(user=user, kind="reminder", title=title, body=body, data=data, url=url)
    elif channel == "email":
        send_mail(title, f"{body}\n\n{settings.SITE_URL}{url}", None, [user.email], fail_silently=False)
    elif channel == "sms":
        from accounts.sms import send_sms

        send_sms(to=user.phone, body=f"{title}. {body}"[:320])


def delivery_claim_send(delivery_id) -> uuid.UUID | None:
    """PENDING → SENDING for one attempt, or take over a dead sender's delivery; None if sent or held by a live one."""
    now = timezone.now()
    attempt = uuid.uuid4()
    taken = (
        ReminderDelivery.objects.filter(pk=delivery_id)
        .filter(Q(status=ReminderDelivery.Status.PENDING) | _sender_dead(now))
        .update(status=ReminderDelivery.Status.SENDING, attempt=attempt, heartbeat_at=now)
    )
    return attempt if taken else None


def delivery_heartbeat(delivery_id, *, attempt: uuid.UUID) -> bool:
    """Renew the sender's lease; False when another attempt took the delivery over."""
    return leases.renew(
        ReminderDelivery.objects.filter(pk=delivery_id, attempt=attempt, status=ReminderDelivery.Status.SENDING)
    )


def delivery_lease_wait(delivery_id) -> float | None:
    """Seconds until a live sender's lease on the delivery ends; None when nobody is sending it."""
    return leases.seconds_left(
        ReminderDelivery.objects.filter(pk=delivery_id, status=ReminderDelivery.Status.SENDING),
        SEND_LEASE,
        fallback="created_at",
    )


def _channel_row(delivery: ReminderDelivery, channel: str, status: str, detail: str = "") -> ChannelDelivery | None:
    """This attempt's row for the channel, or None when an earlier attempt handled it. A row an earlier (dead) sender
    left `sending` was cut off mid-send: it is marked failed, not sent again."""
    try:
        with transaction.atomic():
            return ChannelDelivery.objects.create(delivery=delivery, channel=channel, status=status, detail=detail)
    except IntegrityError:
        ChannelDelivery.objects.filter(
            delivery=delivery, channel=channel, status=ChannelDelivery.Status.SENDING
        ).update(status=ChannelDelivery.Status.FAILED, detail="interrupted: the sender died; not repeated")
        return None


def delivery_send(*, delivery_id, now: datetime | None = None, attempt: uuid.UUID | None = None) -> bool:
    """Send one claimed reminder on every channel the person allows. Safe to call twice."""
    if attempt is None:
        attempt = delivery_claim_send(delivery_id)
        if attempt is None:
            return False  # someone else is sending (or sent) it
    delivery = ReminderDelivery.objects.select_related("user", "user__profile", "routine", "shelf_item").get(
        pk=delivery_id
    )
    now = now or timezone.now()
    user = delivery.user
    profile = profile_of(user)
    with recipient_language(user):  # the reminder speaks the person's language, not the worker's
        message = _message(delivery)
    if message is not None:
        title, body, url = message
        data = {"kind": delivery.kind, "delivery": str(delivery.pk), "local_date": delivery.local_date.isoformat()}
        if delivery.routine_id:
            data.update(routine=str(delivery.routine_id), period=delivery.period)
        if delivery.shelf_item_id:
            data.update(shelf_item=str(delivery.shelf_item_id))
        choices = profile.notification_channels or {}
        quiet = in_quiet_hours(now.astimezone(get_zone(profile.timezone)), profile.quiet_hours)
        for channel in CHANNELS:
            if choices.get(channel) is False:
                status = ChannelDelivery.Status.OPTED_OUT
            elif channel in INTERRUPTING and quiet:
                status = ChannelDelivery.Status.QUIET_HOURS
            elif (channel == "email" and not user.email) or (channel == "sms" and not user.phone):
                status = ChannelDelivery.Status.UNAVAILABLE
            else:
                status = ChannelDelivery.Status.SENDING
            if not delivery_heartbeat(delivery.pk, attempt=attempt):
                logger.warning("Reminder %s: attempt %s lost its lease; the new sender goes on", delivery.pk, attempt)
                return False
            if status == ChannelDelivery.Status.SENDING and channel == "in_app":
                # The inbox is our own database: its row and the channel's row commit together, or neither does.
                try:
                    with transaction.atomic():
                        if _channel_row(delivery, channel, ChannelDelivery.Status.SENT) is not None:
                            _send(channel, user, title, body, url, data)
                except Exception as exc:  # noqa: BLE001 - one channel failing must not stop the others
                    logger.warning("Reminder %s on %s failed", delivery.pk, channel, exc_info=True)
                    _channel_row(delivery, channel, ChannelDelivery.Status.FAILED, str(exc)[:255])
                continue
            row = _channel_row(delivery, channel, status)
            if row is None or status != ChannelDelivery.Status.SENDING:
                continue  # handled by an earlier attempt, or nothing to send on this channel
            try:
                _send(channel, user, title, body, url, data)
                row.status = ChannelDelivery.Status.SENT
            except Exception as exc:  # noqa: BLE001 - one channel failing must not stop the others
                logger.warning("Reminder %s on %s failed", delivery.pk, channel, exc_info=True)
                row.status, row.detail = ChannelDelivery.Status.FAILED, str(exc)[:255]
            row.save(update_fields=["status", "detail"])
    ReminderDelivery.objects.filter(pk=delivery.pk, attempt=attempt).update(
        status=ReminderDelivery.Status.SENT, sent_at=now
    )
    return True
