"""Consultations speak each side's language: the person's notifications and reminders in theirs, the dermatologist's
in theirs, whatever language the process that writes them runs in; API errors in the request's language with the
same `code`; access records of a dermatologist's views put in the reader's words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Notification, Profile
from consultations import services
from consultations.material import image_url, material_context
from consultations.reminders import consultation_reminders_dispatch
from consultations.selectors import shared_material
from privacy.models import MediaAccess
from progress.tests.factories import make_analysis

from .factories import dermatologist, slot

pytestmark = pytest.mark.django_db


def _speaks(user, language: str) -> None:
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save(update_fields=["language"])
    user.profile = profile


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("created_at").values_list("title", flat=True))


def test_each_side_is_told_in_its_own_language_whatever_the_process_speaks(user):
    derm = dermatologist(name="Dr Ana Costa")
    _speaks(user, "es")
    _speaks(derm.user, "de")
    with translation.override("fr"):  # the request that books, in a third language
        consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Manchas rojas")
    assert _titles(user) == ["Consulta reservada con Dr Ana Costa"]
    assert _titles(derm.user) == ["Neuer Termin gebucht"]
    booked = Notification.objects.get(user=user)
    assert "Te lo recordaremos" in booked.body and "(Europe/Lisbon)" not in booked.title
    with translation.override("en"):
        services.consultation_cancel(consultation=consultation, by="dermatologist", reason="")
    cancelled = Notification.objects.filter(user=user).latest("created_at")
    assert cancelled.title == "Dr Ana Costa ha cancelado tu consulta"
    assert cancelled.body.endswith("Reserva otra hora que te venga bien.")


def test_the_note_notification_names_what_changed_in_the_persons_language(user):
    derm = dermatologist(name="Dr Ana Costa")
    _speaks(user, "pt-br")
    consultation = services.consultation_book(user=user, slot_id=slot(derm).pk, reason="Acne")
    services.consultation_update_by_dermatologist(
        consultation=consultation, note="Ácido azelaico à noite.", meeting_link="https://meet.example.com/x"
    )
    assert _titles(user)[-1] == "Dr Ana Costa escreveu uma nota para você e definiu o link da videochamada"


def test_a_reminder_is_written_in_the_persons_language_with_localised_day_names(user, settings):
    settings.CONSULTATION_REMINDER_MINUTES = [1440]
    derm = dermatologist(name="Dr Ana Costa")
    _speaks(user, "fr")
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=72).pk, reason="Acné")
    Notification.objects.all().delete()
    consultation_reminders_dispatch(now=consultation.starts_at - dt.timedelta(hours=23), enqueue=False)
    reminder = Notification.objects.get(user=user, kind="reminder")
    assert reminder.title == "Votre consultation avec Dr Ana Costa a lieu demain"
    french_days = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
    assert reminder.body.startswith(french_days) and "Rejoindre : https://meet.example.com/room" in reminder.body


def test_api_errors_follow_the_request_language_and_keep_their_code(auth_client):
    body = {"slot": str(slot(dermatologist()).pk), "reason": "x"}
    spanish = auth_client.post("/api/v1/consultations", body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    english = auth_client.post("/api/v1/consultations", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert spanish.status_code == english.status_code == 400
    assert spanish.json()["code"] == english.json()["code"] == "reason_required"
    assert spanish.json()["detail"] == "Di en pocas palabras por qué quieres ver a un dermatólogo."
    assert english.json()["detail"] == "Say in a few words why you want to see a dermatologist."


def test_the_person_reads_who_saw_their_photo_in_their_language_of_the_day(user):
    derm = dermatologist(name="Dr Ana Costa")
    analysis = make_analysis(user)
    consultation = services.consultation_book(
        user=user, slot_id=slot(derm).pk, reason="Spots", share_analysis_id=analysis.pk
    )
    material = material_context(shared_material(consultation=consultation), consultation)
    assert Client().get(material["analysis"]["image_url"]).status_code == 200
    record = MediaAccess.objects.get()
    assert record.viewer_name == "Dr Ana Costa"  # the name only: the same in every language
    page = Client(HTTP_ACCEPT_LANGUAGE="de")
    page.force_login(user)
    html = page.get("/privacy/").content.decode()
    assert "Dr Ana Costa, Hautarzt, für einen Termin, den du gebucht hast" in html
    _speaks(user, "hi")
    html = page.get("/privacy/").content.decode()
    assert "Dr Ana Costa, त्वचा विशेषज्ञ, आपके बुक किए गए परामर्श के लिए" in html
    assert image_url(None, consultation) is None
