"""No double booking under concurrency: two threads (two PostgreSQL connections) book the same slot at once.

The service claims the slot with SELECT ... FOR UPDATE; the partial unique constraint is the backstop. Both are
tested: once as shipped (the second booking waits for the lock, then finds the slot taken), once with the lock
and the check taken out (both race to the INSERT; the constraint refuses one)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from consultations import services
from consultations.models import Consultation
from skincare.core.errors import DomainError

from .factories import dermatologist, slot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks and concurrent connections: PostgreSQL"),
]


def _race(people, slot_id) -> list:
    barrier = threading.Barrier(len(people))
    results: list = [None] * len(people)

    def book(i, person):
        try:
            barrier.wait(timeout=10)
            results[i] = services.consultation_book(user=person, slot_id=slot_id, reason="Same slot, same time")
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_people_booking_one_slot_at_once_get_one_booking(user, other_user, monkeypatch):
    derm = dermatologist()
    free = slot(derm)
    # Hold the lock a moment inside the claim so that the second booking really waits on it.
    original = services._check_person_calendar

    def slow_check(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "_check_person_calendar", slow_check)
    results = _race([user, other_user], free.pk)
    booked = [r for r in results if isinstance(r, Consultation)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert refused[0].code == "slot_taken" and refused[0].status_code == 409
    assert Consultation.objects.filter(slot=free, status="booked").count() == 1


def test_without_the_lock_the_constraint_still_refuses_the_second(user, other_user, monkeypatch):
    derm = dermatologist()
    free = slot(derm)
    from consultations.models import AvailabilitySlot

    # A code path that forgets the lock and the check: both transactions reach the INSERT.
    def unlocked_claim(slot_id, *, now):
        return AvailabilitySlot.objects.select_related("dermatologist").get(pk=slot_id)

    original = services._check_person_calendar

    def slow_check(**kwargs):
        time.sleep(0.3)  # both are past the (absent) check before either commits
        return original(**kwargs)

    monkeypatch.setattr(services, "_claim_slot", unlocked_claim)
    monkeypatch.setattr(services, "_check_person_calendar", slow_check)
    results = _race([user, other_user], free.pk)
    booked = [r for r in results if isinstance(r, Consultation)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 1 and [r.code for r in refused] == ["slot_taken"], results
    assert Consultation.objects.filter(slot=free).count() == 1
    assert connection.vendor == "postgresql"
