"""Reminders before a consultation go out through the routines delivery ledger, on every allowed channel,
exactly once per lead time and start time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.models import Notification
from consultations import services
from consultations.models import Consultation, ConsultationReminder
from consultations.reminders import consultation_reminders_dispatch, reminder_key
from routines.models import ChannelDelivery, ReminderDelivery
from routines.reminders import delivery_claim, delivery_send

from .factories import dermatologist, slot

pytestmark = pytest.mark.django_db


def _dispatch(at: dt.datetime) -> dict:
    return consultation_reminders_dispatch(now=at, enqueue=False)


def _reminders(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="reminder").order_by("created_at").values_list("title", flat=True)
    )


def test_a_day_and_an_hour_before_each_exactly_once(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [1440, 60]
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=72).pk, reason="Acne")
    start = consultation.starts_at
    mail.outbox.clear()
    # Nothing is due three days ahead
    assert _dispatch(start - dt.timedelta(hours=50))["claimed"] == 0
    # 23 hours before: the one-day reminder, on the inbox and by email (no phone on file)
    assert _dispatch(start - dt.timedelta(hours=23))["claimed"] == 1
    assert _reminders(user) == [f"Your consultation with {derm.display_name} is tomorrow"]
    assert len(mail.outbox) == 1 and "tomorrow" in mail.outbox[0].subject
    delivery = ReminderDelivery.objects.get(user=user, kind="consultation")
    assert delivery.status == "sent"
    assert dict(ChannelDelivery.objects.filter(delivery=delivery).values_list("channel", "status")) == {
        "in_app": "sent",
        "email": "sent",
        "sms": "unavailable",
    }
    # A second sweep, a retry of the sender and a second dispatcher's claim send nothing again
    assert _dispatch(start - dt.timedelta(hours=22))["claimed"] == 0
    assert delivery_send(delivery_id=delivery.pk) is False
    assert (
        delivery_claim(
            key=reminder_key(consultation, 1440),
            user_id=user.pk,
            kind="consultation",
            local_date=delivery.local_date,
            scheduled_for=delivery.scheduled_for,
        )
        is None
    )
    # 30 minutes before: the one-hour reminder, once
    assert _dispatch(start - dt.timedelta(minutes=30))["claimed"] == 1
    assert _dispatch(start - dt.timedelta(minutes=29))["claimed"] == 0
    assert _reminders(user)[-1] == f"Your consultation with {derm.display_name} is in an hour"
    assert ConsultationReminder.objects.filter(consultation=consultation).count() == 2
    assert len(mail.outbox) == 2


def test_a_late_booking_gets_only_the_reminders_still_ahead(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [1440, 60]
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=3).pk, reason="Acne")
    assert _dispatch(consultation.starts_at - dt.timedelta(hours=2))["claimed"] == 0  # no "tomorrow" for today
    assert _dispatch(consultation.starts_at - dt.timedelta(minutes=50))["claimed"] == 1
    assert ConsultationReminder.objects.get(consultation=consultation).lead_minutes == 60


def test_a_rescheduled_consultation_is_reminded_of_its_new_time_and_a_cancelled_one_not_at_all(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [60]
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=30).pk, reason="Acne")
    first_start = consultation.starts_at
    moved = services.consultation_reschedule(consultation=consultation, slot_id=slot(derm, hours_ahead=60).pk)
    assert _dispatch(first_start - dt.timedelta(minutes=30))["claimed"] == 0  # the old time has no reminder
    assert _dispatch(moved.starts_at - dt.timedelta(minutes=30))["claimed"] == 1
    reminder = ConsultationReminder.objects.get(consultation=moved)
    assert reminder.starts_at == moved.starts_at

    other = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=90).pk, reason="Redness")
    services.consultation_cancel(consultation=other, by=Consultation.CancelledBy.PERSON)
    assert _dispatch(other.starts_at - dt.timedelta(minutes=30))["claimed"] == 0


def test_a_reminder_claimed_before_a_cancellation_sends_nothing(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [60]
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=30).pk, reason="Acne")
    # Given a claim (the sender has not run yet), then the dermatologist cancels
    consultation_reminders_dispatch(now=consultation.starts_at - dt.timedelta(minutes=30), enqueue=True)
    services.consultation_cancel(consultation=consultation, by=Consultation.CancelledBy.DERMATOLOGIST)
    delivery = ReminderDelivery.objects.get(user=user, kind="consultation")
    before = Notification.objects.filter(user=user, kind="reminder").count()
    # When the sender runs, it marks the delivery done without sending anything
    assert delivery_send(delivery_id=delivery.pk) is True
    assert Notification.objects.filter(user=user, kind="reminder").count() == before
    assert not ChannelDelivery.objects.filter(delivery=delivery).exists()


def test_opted_out_channels_are_respected(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [60]
    user.profile.notification_channels = {"email": False}
    user.profile.save()
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=30).pk, reason="Acne")
    mail.outbox.clear()
    _dispatch(consultation.starts_at - dt.timedelta(minutes=30))
    delivery = ReminderDelivery.objects.get(user=user, kind="consultation")
    assert ChannelDelivery.objects.get(delivery=delivery, channel="email").status == "opted_out"
    assert mail.outbox == []
