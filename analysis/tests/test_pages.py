"""Pages (session auth): capture with consent, live processing page, result, history, delete, feedback."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Consent
from analysis.models import Feedback, SkinAnalysis

from . import images
from .factories import LesionFactory, ModelVersionFactory, SkinAnalysisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(client, user):
    client.force_login(user)
    client.user = user
    return client


def test_capture_requires_login(client):
    r = client.get(reverse("analysis:capture"))
    assert r.status_code == 302 and "login" in r["Location"]


def test_capture_page_has_camera_input_and_consent(page_client):
    r = page_client.get(reverse("analysis:capture"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'accept="image/*"' in html and 'capture="user"' in html
    assert 'name="consent"' in html
    assert "capture.js" in html


def test_first_upload_needs_consent(page_client):
    r = page_client.post(reverse("analysis:capture"), {"file": SimpleUploadedFile("a.jpg", images.face_jpeg())})
    assert r.status_code == 400 and b"consent_required" in r.content
    assert not SkinAnalysis.objects.exists()


def test_upload_with_consent_records_it_and_redirects(page_client):
    r = page_client.post(
        reverse("analysis:capture"),
        {"file": SimpleUploadedFile("a.jpg", images.face_jpeg()), "consent": "on"},
    )
    a = SkinAnalysis.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("analysis:detail", args=[a.pk])
    assert Consent.objects.filter(user=page_client.user, kind="photo_analysis", granted=True).count() == 1
    # Second time: no consent box, no second consent row.
    assert b'name="consent"' not in page_client.get(reverse("analysis:capture")).content


def test_page_upload_quality_error_is_shown(page_client):
    Consent.objects.create(user=page_client.user, kind="photo_analysis")
    r = page_client.post(reverse("analysis:capture"), {"file": SimpleUploadedFile("c.jpg", images.no_face_jpeg())})
    assert r.status_code == 400 and b'data-code="no_face_found"' in r.content


def test_processing_page_follows_websocket(page_client):
    a = SkinAnalysisFactory(user=page_client.user)
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    assert f"/ws/analysis/{a.pk}/" in html and "processing.js" in html
    assert reverse("analysis:status_json", args=[a.pk]) in html
    r = page_client.get(reverse("analysis:status_json", args=[a.pk]))
    assert r.status_code == 200 and r.json()["status"] == "queued"


def test_result_page_without_model(page_client):
    a = SkinAnalysisFactory(user=page_client.user, done=True)
    LesionFactory(analysis=a)
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    assert "Acne" in html and "acne measured" in html
    assert "no age model is installed" in html
    assert 'id="lesion-count">1' in html
    assert "not a medical diagnosis" in html
    assert "processing.js" not in html


def test_result_page_with_model(page_client):
    v = ModelVersionFactory(name="tiny-v1")
    a = SkinAnalysisFactory(
        user=page_client.user,
        done=True,
        skin_age=29.4,
        model_version=v,
        conditions=[{"label": "acne", "confidence": 0.8}],
    )
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    assert "29 years" in html and "tiny-v1" in html


def test_failed_page_shows_error(page_client):
    a = SkinAnalysisFactory(
        user=page_client.user, status="failed", error_code="image_blurry", error_detail="Hold still."
    )
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    # rendered by its code, in the reader's language (the stored English is for staff)
    assert "The photo is blurry: hold the phone still" in html and "Hold still." not in html
    old = SkinAnalysisFactory(
        user=page_client.user, status="failed", error_code="gpu_on_fire", error_detail="Something odd happened."
    )
    html = page_client.get(reverse("analysis:detail", args=[old.pk])).content.decode()
    assert "Something odd happened." in html  # a code without a sentence of ours: the stored text as it is


def test_other_users_pages_are_404(page_client, other_user):
    a = SkinAnalysisFactory(user=other_user)
    assert page_client.get(reverse("analysis:detail", args=[a.pk])).status_code == 404
    assert page_client.get(reverse("analysis:status_json", args=[a.pk])).status_code == 404
    assert page_client.post(reverse("analysis:delete", args=[a.pk])).status_code == 404


def test_history_page(page_client):
    for _ in range(3):
        SkinAnalysisFactory(user=page_client.user, done=True)
    r = page_client.get(reverse("analysis:history"))
    assert r.status_code == 200 and r.content.decode().count("history-item") == 3


def test_delete_and_feedback_from_pages(page_client):
    a = SkinAnalysisFactory(user=page_client.user, done=True)
    r = page_client.post(
        reverse("analysis:feedback", args=[a.pk]), {"rating": "2", "corrected_skin_type": "dry", "corrected_age": "40"}
    )
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert (fb.rating, fb.corrected_skin_type, fb.corrected_age) == (2, "dry", 40)
    r = page_client.post(reverse("analysis:delete", args=[a.pk]))
    assert r.status_code == 302 and not SkinAnalysis.objects.exists()


def test_result_page_mentions_sensitive_profile(page_client):
    profile = page_client.user.profile
    profile.skin_type = "sensitive"
    profile.save()
    a = SkinAnalysisFactory(user=page_client.user, done=True)
    assert "your skin is sensitive" in page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()


def test_result_page_shows_face_overlay_with_whole_photo_toggle_tone_swatch_and_what_was_not_measured(page_client):
    from django.core.files.base import ContentFile

    a = SkinAnalysisFactory(
        user=page_client.user,
        done=True,
        skin_tone_ita=12.0,
        skin_tone_category="tan",
        skin_tone_hex="#8d5a3c",
        region_quality={
            "forehead": {"visible": 0.2, "confidence": 0.2, "reason": "occluded"},
            "left_cheek": {"visible": 1.0, "confidence": 1.0, "reason": None},
        },
    )
    a.concerns[0]["regions"] = {"forehead": None, "left_cheek": 90}
    a.concerns[0]["reasons"] = ["occluded:forehead", "low_resolution"]
    a.save(update_fields=["concerns"])
    a.overlay.save("o.png", ContentFile(b"\x89PNG whole"), save=False)
    a.overlay_face.save("f.png", ContentFile(b"\x89PNG face"), save=True)
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    # the face crop first, the whole photo one tap away (radio toggle, no script needed)
    assert 'id="overlay-face"' in html and 'id="overlay-photo"' in html
    assert 'id="view-face" value="face" checked' in html and 'id="view-photo"' in html
    # the measured tone, shown as a swatch, with the way to correct it in the profile
    assert 'class="swatch" style="background: #8d5a3c"' in html and "Tan" in html
    assert reverse("accounts:profile") + "#skin-tone" in html
    # honest uncertainty: the covered region is named, its score left out, the reason said
    assert 'data-region="forehead" data-reason="occluded"' in html
    assert "Not measured on the forehead: covered" in html and "not measured (covered" in html
    assert "fine detail (spots, pores, texture) is less certain" in html


def test_result_page_says_when_the_profile_tone_differs(page_client):
    from accounts.services import profile_update

    profile_update(user=page_client.user, data={"skin_tone": "brown"})
    a = SkinAnalysisFactory(user=page_client.user, done=True, skin_tone_ita=45.0, skin_tone_category="light")
    html = page_client.get(reverse("analysis:detail", args=[a.pk])).content.decode()
    assert "Your profile says <strong>Brown</strong>" in html
