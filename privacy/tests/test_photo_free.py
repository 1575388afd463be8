"""Photo-free analysis: measured by the real engine, then discarded in the same task; no image is stored."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analysis.models import SkinAnalysis
from analysis.tests import images
from privacy import services
from privacy.models import StoredMedia
from privacy.storage import media_storage

pytestmark = pytest.mark.django_db


def files_on_disk() -> list[str]:
    root = media_storage().inner.location
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def run_upload(client, capture, **extra) -> dict:
    with capture(execute=True):
        r = client.post(
            "/api/v1/analysis/upload",
            {"file": SimpleUploadedFile("a.jpg", images.face_jpeg()), **extra},
            format="multipart",
        )
    assert r.status_code == 202, r.content
    return client.get(f"/api/v1/analysis/{r.json()['id']}").json()


def test_photo_free_upload_keeps_only_measurements(auth_client, django_capture_on_commit_callbacks):
    before = set(files_on_disk())
    body = run_upload(auth_client, django_capture_on_commit_callbacks, photo_free="true")
    assert body["status"] == "done", body["error"]
    assert body["image_url"] is None and body["overlay_url"] is None
    assert body["photo"]["photo_free"] is True and body["photo"]["kept"] is False
    assert body["photo"]["deleted_reason"] == "photo_free" and body["overall_score"] is not None
    a = SkinAnalysis.objects.get(pk=body["id"])
    assert not a.image and not a.overlay and len(a.landmarks) >= 468 and a.regions and a.concerns
    assert not StoredMedia.objects.filter(data_key__user=auth_client.user).exists()
    assert set(files_on_disk()) == before  # nothing of this upload is left on the disk
    svg = auth_client.get(f"/api/v1/analysis/{a.pk}/face-map")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and b"data-region=" in svg.content and b"<image" not in svg.content


def test_photo_free_discards_a_photo_that_fails_the_gate_on_the_worker(auth_client, monkeypatch):
    from analysis import services as analysis_services

    a = SkinAnalysis.objects.create(user=auth_client.user, photo_free=True)
    a.image.save("a.jpg", SimpleUploadedFile("a.jpg", images.no_face_jpeg()), save=True)
    name = a.image.name
    analysis_services.analysis_run(analysis_id=a.pk)
    a.refresh_from_db()
    assert a.status == "failed" and a.error_code == "no_face_found"
    assert not a.image and not StoredMedia.objects.filter(name=name).exists()


def test_after_analysis_retention_discards_in_the_task_too(auth_client, django_capture_on_commit_callbacks):
    services.retention_set(user=auth_client.user, policy="after_analysis")
    body = run_upload(auth_client, django_capture_on_commit_callbacks)
    assert body["status"] == "done" and body["photo"]["kept"] is False
    assert body["photo"]["photo_free"] is False and body["photo"]["deleted_reason"] == "after_analysis"
    assert not StoredMedia.objects.filter(data_key__user=auth_client.user).exists()


def test_capture_page_offers_photo_free_and_sends_it(client, user, password, django_capture_on_commit_callbacks):
    from analysis.services import photo_consent_record

    photo_consent_record(user=user)
    client.login(email=user.email, password=password)
    page = client.get("/analysis/").content.decode()
    assert 'name="photo_free"' in page and "Photo-free" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/analysis/", {"file": SimpleUploadedFile("a.jpg", images.face_jpeg()), "photo_free": "on"})
    assert r.status_code == 302
    a = SkinAnalysis.objects.get(user=user)
    assert a.photo_free and a.status == "done" and not a.image
    html = client.get(r["Location"]).content.decode()
    assert "Photo-free analysis" in html and "<svg" in html and "/media/s/" not in html
