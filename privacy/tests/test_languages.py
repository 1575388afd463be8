"""Privacy speaks the reader's language: the support request reaches the person in theirs (not the staff member's),
retention words and access records follow the request's language on the page and in the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Notification, Profile
from privacy import services
from privacy.media import MediaInfo, Viewer, access_record
from skincare.core.tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_the_support_request_is_written_in_the_persons_language(user):
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = "es"
    profile.save(update_fields=["language"])
    user.profile = profile
    support = staff_user(email="help@example.com")
    with translation.override("en"):  # the staff member's admin page, in English
        services.grant_request(staff=support, user=user, reason="Comprobar una puntuación", hours=2)
    told = Notification.objects.get(user=user, kind="support_grant")
    assert told.title == "El equipo de soporte pide ver tus fotos"
    assert told.body == (
        "help@example.com pide ver tus fotos durante 2 horas: Comprobar una puntuación. "
        "No se muestra nada si no lo apruebas."
    )


def test_the_api_says_who_and_how_long_in_the_request_language(auth_client):
    info = MediaInfo(name="x.jpg", owner_id=auth_client.user.pk, kind="photo", created_at=None)
    access_record(media=info, viewer=Viewer(kind="operator", ref="export_feedback"))
    auth_client.put("/api/v1/privacy", {"photo_retention": "days", "retention_days": 1}, format="json")
    french = auth_client.get("/api/v1/privacy/access", HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]
    assert french["viewer"] == "Les exploitants du serveur (export_feedback)" and french["viewer_kind"] == "operator"
    policy = auth_client.get("/api/v1/privacy", HTTP_ACCEPT_LANGUAGE="de").json()["effective"]
    assert policy["label"] == "Fotos werden 1 Tag nach der Aufnahme gelöscht" and policy["policy"] == "days"


def test_deleting_every_photo_is_confirmed_in_the_page_language(user):
    page = Client(HTTP_ACCEPT_LANGUAGE="pt-br")
    page.force_login(user)
    html = page.post("/privacy/photos/delete/", follow=True).content.decode()
    assert "0 foto excluída definitivamente." in html  # pt-BR: zero takes the singular


def test_a_kind_registered_with_a_lazy_text_is_worded_when_read(user):
    from django.utils.translation import gettext_lazy

    from privacy import media

    media.register_viewer_check(
        "partner_clinic", lambda viewer, m: True, label=gettext_lazy("Someone with your share link")
    )
    try:
        info = MediaInfo(name="x.jpg", owner_id=user.pk, kind="photo", created_at=None)
        record = access_record(media=info, viewer=Viewer(kind="partner_clinic", ref="p-1"))
        assert record.viewer_name == ""
        with translation.override("fr"):
            assert record.viewer_words == "Quelqu’un qui a votre lien de partage"
    finally:
        media._CHECKS.pop("partner_clinic", None)
