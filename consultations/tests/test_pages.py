"""Pages: a person books and manages a consultation; a dermatologist publishes slots in their timezone, sees the
booking and the shared photo through a signed link, writes a note; the admin; GDPR export and erasure."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import services as account_services
from consultations import services
from consultations.models import AvailabilitySlot, Consultation
from skincare.core.roles import DERMATOLOGIST, roles_create

from .factories import dermatologist, done_analysis, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client, user):
    client.force_login(user)
    return client


def test_booking_from_the_page(person, user):
    derm = dermatologist()
    free = slot(derm, hours_ahead=60)
    analysis = done_analysis(user)
    day = free.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).date()
    page = person.get(reverse("consultations:book"), {"date": day.isoformat()})
    assert page.status_code == 200 and str(free.pk) in page.content.decode()
    response = person.post(
        reverse("consultations:book") + f"?date={day.isoformat()}",
        {"slot": str(free.pk), "reason": "Dry patches", "share_analysis": str(analysis.pk)},
    )
    consultation = Consultation.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == reverse(
        "consultations:detail", args=[consultation.pk]
    )
    detail = person.get(response["Location"]).content.decode()
    assert "Dry patches" in detail and "Cancel the consultation" in detail
    assert "you shared" in detail.lower()
    listing = person.get(reverse("consultations:list")).content.decode()
    assert derm.display_name in listing


def test_cancel_and_reschedule_from_the_page(person, user):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=48).pk, reason="Acne")
    target = slot(derm, hours_ahead=100)
    day = target.starts_at.date()
    page = person.get(reverse("consultations:detail", args=[consultation.pk]), {"date": day.isoformat()})
    assert str(target.pk) in page.content.decode()
    person.post(reverse("consultations:reschedule", args=[consultation.pk]), {"slot": str(target.pk)})
    consultation.refresh_from_db()
    assert consultation.slot_id == target.pk
    person.post(reverse("consultations:cancel", args=[consultation.pk]), {"reason": "Better"})
    consultation.refresh_from_db()
    assert consultation.status == "cancelled"


def test_someone_elses_consultation_is_404_on_every_page(client, other_user, user):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    client.force_login(other_user)
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 404
    assert client.post(reverse("consultations:cancel", args=[consultation.pk])).status_code == 404
    assert client.post(reverse("consultations:reschedule", args=[consultation.pk])).status_code == 404
    consultation.refresh_from_db()
    assert consultation.status == "booked"


def test_dermatologist_pages_need_the_role(person):
    assert person.get(reverse("consultations:dermatologist")).status_code == 403


def test_the_dermatologist_publishes_sees_the_booking_and_the_shared_photo_and_writes_a_note(client, user):
    roles_create()
    derm = dermatologist(tz="Asia/Tokyo")
    client.force_login(derm.user)
    day = dt.date.today() + dt.timedelta(days=4)
    response = client.post(
        reverse("consultations:dermatologist"),
        {
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "weekdays": [str(day.weekday())],
            "day_start": "10:00",
            "day_end": "11:00",
            "minutes": "30",
        },
    )
    assert response.status_code == 302
    slots = list(AvailabilitySlot.objects.filter(dermatologist=derm).order_by("starts_at"))
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert [s.starts_at.astimezone(tokyo).strftime("%H:%M") for s in slots] == ["10:00", "10:30"]
    home = client.get(reverse("consultations:dermatologist")).content.decode()
    assert home.count('data-testid="slot"') == 2 and "Asia/Tokyo" in home

    analysis = done_analysis(user, image="analyses/shared.jpg")
    consultation = services.consultation_book(
        user=user, slot_id=slots[0].pk, reason="Dark spots", share_analysis_id=analysis.pk
    )
    home = client.get(reverse("consultations:dermatologist")).content.decode()
    assert "Dark spots" in home
    detail = client.get(reverse("consultations:dermatologist-detail", args=[consultation.pk])).content.decode()
    assert 'data-testid="shared-photo"' in detail and "/media/s/" in detail  # the signed, expiring link
    client.post(
        reverse("consultations:dermatologist-detail", args=[consultation.pk]),
        {"note": "Vitamin C in the morning, SPF 50.", "meeting_link": "https://meet.example.com/new"},
    )
    consultation.refresh_from_db()
    assert consultation.note == "Vitamin C in the morning, SPF 50."
    assert consultation.meeting_link == "https://meet.example.com/new"
    # Another dermatologist cannot open it
    other = dermatologist(name="Dr B Two")
    client.force_login(other.user)
    assert client.get(reverse("consultations:dermatologist-detail", args=[consultation.pk])).status_code == 404


def test_shared_photo_is_gone_once_the_consultation_is_held(client, user):
    roles_create()
    derm = dermatologist()
    consultation = services.consultation_book(
        user=user, slot_id=slot(derm, hours_ahead=2).pk, reason="Acne", share_analysis_id=done_analysis(user).pk
    )
    Consultation.objects.filter(pk=consultation.pk).update(status="completed")
    client.force_login(derm.user)
    detail = client.get(reverse("consultations:dermatologist-detail", args=[consultation.pk])).content.decode()
    assert 'data-testid="sharing-ended"' in detail and "/media/s/" not in detail


# --- admin -------------------------------------------------------------------------------------------------
def test_admin_adds_a_slot_in_the_dermatologists_timezone_and_shows_only_their_own(client):
    roles_create()
    derm = dermatologist(tz="America/New_York")
    other = dermatologist(name="Dr B Two", tz="UTC")
    slot(other)
    client.force_login(derm.user)
    day = dt.date.today() + dt.timedelta(days=9)
    response = client.post(
        reverse("admin:consultations_availabilityslot_add"),
        {"dermatologist": str(derm.pk), "local_date": day.isoformat(), "local_start": "14:00", "minutes": "45"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = AvailabilitySlot.objects.get(dermatologist=derm)
    local = created.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date(), local.strftime("%H:%M"), created.duration_minutes) == (day, "14:00", 45)
    listing = client.get(reverse("admin:consultations_availabilityslot_changelist")).content.decode()
    assert "America/New_York" in listing and "(UTC)" not in listing  # the other dermatologist's slot is not listed


def test_admin_note_goes_through_the_service(client, user):
    roles_create()
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    client.force_login(derm.user)
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "See you soon.", "meeting_link": "https://meet.example.com/z"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.note == "See you soon." and consultation.note_updated_at is not None
    assert user.notifications.filter(kind="consultation.updated").exists()


def test_dermatologist_profile_added_in_the_admin_gets_the_role(admin_client):
    roles_create()
    from accounts.tests.factories import UserFactory

    person = UserFactory()
    response = admin_client.post(
        reverse("admin:consultations_dermatologistprofile_add"),
        {"user": str(person.pk), "display_name": "Dr New", "timezone": "Europe/Paris", "is_accepting": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=DERMATOLOGIST).exists()
    assert Group.objects.get(name=DERMATOLOGIST).permissions.filter(codename="change_consultation").exists()


# --- GDPR --------------------------------------------------------------------------------------------------
def test_export_and_erasure(user, password):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne since May")
    services.consultation_update_by_dermatologist(consultation=consultation, note="A note")
    exported = account_services.account_export(user=user)["apps"]["consultations"]
    assert exported["consultations"][0]["reason"] == "Acne since May"
    assert exported["consultations"][0]["note"] == "A note"
    derm_export = account_services.account_export(user=derm.user)["apps"]["consultations"]
    assert derm_export["dermatologist_profile"]["display_name"] == derm.display_name
    assert len(derm_export["availability_slots"]) == 1
    account_services.account_delete(user=user, password=password)
    assert not Consultation.objects.filter(pk=consultation.pk).exists()


def test_erasing_a_dermatologist_keeps_the_peoples_records(user, password):
    derm = dermatologist(password=password)
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    account_services.account_delete(user=derm.user, password=password)
    consultation.refresh_from_db()
    assert consultation.dermatologist_id is None and consultation.slot_id is None
    assert consultation.dermatologist_name == "Dr Ana Costa"
