"""A dermatologist sees a person's photos only through privacy's serving path: for the consultation that shares
them, while sharing is open, and every serving is recorded for the person."""

from __future__ import annotations

import pytest
from django.test import Client

from consultations import services
from consultations.material import image_url, material_context
from consultations.selectors import shared_material
from privacy.models import MediaAccess
from progress.tests.factories import make_analysis

from .factories import dermatologist, slot

pytestmark = pytest.mark.django_db


def test_the_dermatologist_opens_the_shared_photo_and_the_person_sees_it_recorded(user):
    # Given a booking that shares one analysis, and another analysis that is not shared
    derm = dermatologist()
    shared = make_analysis(user)
    private = make_analysis(user)
    consultation = services.consultation_book(
        user=user, slot_id=slot(derm).pk, reason="Spots on my chin", share_analysis_id=shared.pk
    )
    # When the dermatologist opens the link their page gives them
    material = material_context(shared_material(consultation=consultation), consultation)
    url = material["analysis"]["image_url"]
    response = Client().get(url)
    # Then the photo is decrypted for them and the person sees who looked
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:3] == b"\xff\xd8\xff"
    record = MediaAccess.objects.get()
    assert record.viewer_kind == "dermatologist" and record.ref == str(consultation.pk)
    assert record.viewer_id == derm.user_id and record.viewer_name == "Dr Ana Costa"
    assert record.viewer_words == "Dr Ana Costa, dermatologist, for a consultation you booked"
    # A link under this consultation to a photo it does not share opens nothing
    assert Client().get(image_url(private.image.name, consultation)).status_code == 404
    # Another dermatologist cannot use this consultation
    other = dermatologist(name="Dr Bo Two")
    consultation.dermatologist = other
    assert Client().get(image_url(shared.image.name, consultation)).status_code == 404
    # Once the consultation is cancelled, the link that worked a second ago is refused
    services.Consultation.objects.filter(pk=consultation.pk).update(status="cancelled")
    assert Client().get(url).status_code == 404
    assert MediaAccess.objects.count() == 1
