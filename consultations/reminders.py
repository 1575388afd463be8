"""Reminders before a consultation, through the routines app's delivery ledger (routines/reminders.py): the same
claim (a ReminderDelivery with a unique key, inserted before anything is sent), the same sender (every channel the
person allows, one ChannelDelivery row per channel, quiet hours respected) and the same retry of lost sends. So a
reminder goes out exactly once per (consultation, lead time, start time), whatever runs twice.

A lead (CONSULTATION_REMINDER_MINUTES, default 24 h and 1 h) is due once the start is that close, unless the
booking (or the last reschedule) was made after that point: who books at 10:00 for 11:30 gets the 1-hour reminder,
not a "tomorrow" one.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skincare.core.i18n import recipient_language

from .models import Consultation, ConsultationReminder
from .selectors import person_zone_name, zone

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
KIND = "consultation"


def reminder_key(consultation: Consultation, lead_minutes: int) -> str:
    return f"consultation:{consultation.pk}:{lead_minutes}:{consultation.starts_at.isoformat()}"


def _reminder_title(name: str, minutes: int) -> str:
    """ "Your consultation with Dr X is tomorrow / in 3 hours / in 30 minutes", in the active language."""
    words = {"name": name}
    if minutes % 1440 == 0:
        days = minutes // 1440
        if days == 1:
            return _("Your consultation with %(name)s is tomorrow") % words
        return ngettext(
            "Your consultation with %(name)s is in %(count)d day",
            "Your consultation with %(name)s is in %(count)d days",
            days,
        ) % {**words, "count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "Your consultation with %(name)s is in an hour",
            "Your consultation with %(name)s is in %(count)d hours",
            hours,
        ) % {**words, "count": hours}
    return ngettext(
        "Your consultation with %(name)s is in %(count)d minute",
        "Your consultation with %(name)s is in %(count)d minutes",
        minutes,
    ) % {**words, "count": minutes}


def consultation_reminder_message(delivery) -> tuple[str, str, str] | None:
    """The wording of a consultation reminder, in the person's language; None when it no longer applies
    (cancelled, moved, over)."""
    link = ConsultationReminder.objects.select_related("consultation").filter(delivery=delivery).first()
    if link is None:
        return None
    consultation = link.consultation
    if (
        consultation.status != Consultation.Status.BOOKED
        or consultation.starts_at != link.starts_at
        or consultation.starts_at <= timezone.now()
    ):
        return None
    local = consultation.starts_at.astimezone(zone(person_zone_name(consultation.user)))
    with recipient_language(consultation.user):
        when = dateformat.format(local, "D j M, H:i")
        if consultation.meeting_link:
            body = _("%(when)s. Join: %(link)s") % {"when": when, "link": consultation.meeting_link}
        else:
            body = _("%(when)s.") % {"when": when}
        title = _reminder_title(consultation.dermatologist_name, link.lead_minutes)
    return (title, body, reverse("consultations:detail", kwargs={"pk": consultation.pk}))


def consultation_reminders_dispatch(
    *, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE, enqueue: bool = True
) -> dict:
    """The periodic sweep: claim every due reminder (bounded batches), then hand each to the shared sender."""
    from routines.models import ReminderDelivery
    from routines.reminders import deliveries_hand_over, delivery_claim

    now = now or timezone.now()
    stats = {"claimed": 0, "duplicates": 0}
    claimed: list = []
    for lead in sorted(set(settings.CONSULTATION_REMINDER_MINUTES), reverse=True):
        delta = dt.timedelta(minutes=int(lead))
        sent = ConsultationReminder.objects.filter(
            consultation=OuterRef("pk"), lead_minutes=lead, starts_at=OuterRef("starts_at")
        )
        due = list(
            Consultation.objects.filter(
                status=Consultation.Status.BOOKED, starts_at__gt=now, starts_at__lte=now + delta
            )
            # booked after this reminder's time: the confirmation said it all
            .filter(booked_at__lte=ExpressionWrapper(F("starts_at") - delta, output_field=DateTimeField()))
            .exclude(Exists(sent))
            .select_related("user", "user__profile")
            .order_by("starts_at")[:batch_size]
        )
        for consultation in due:
            local_date = consultation.starts_at.astimezone(zone(person_zone_name(consultation.user))).date()
            with transaction.atomic():
                delivery = delivery_claim(
                    key=reminder_key(consultation, lead),
                    user_id=consultation.user_id,
                    kind=ReminderDelivery.Kind.CONSULTATION,
                    local_date=local_date,
                    scheduled_for=consultation.starts_at - delta,
                )
                if delivery is None:
                    stats["duplicates"] += 1
                    continue
                ConsultationReminder.objects.create(
                    delivery=delivery, consultation=consultation, lead_minutes=lead, starts_at=consultation.starts_at
                )
            claimed.append(str(delivery.pk))
    stats["claimed"] = len(claimed)
    deliveries_hand_over(claimed, now=now, enqueue=enqueue)
    return stats
