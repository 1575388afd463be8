"""The worker path on a real face photo (eager Celery): upload → done with measured scores, stored in one go."""

from __future__ import annotations

import io

import pytest
from asgiref.sync import async_to_sync
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from analysis import services, tasks
from analysis.models import Lesion, SkinAnalysis

from . import images
from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db
CONCERN_KEYS = {
    "acne",
    "redness",
    "oiliness",
    "pores",
    "texture",
    "wrinkles",
    "pigmentation",
    "dark_circles",
    "uneven_tone",
}


@pytest.fixture(autouse=True)
def _no_cached_model():
    services._predictors.clear()
    yield
    services._predictors.clear()


def upload_and_run(client, data: bytes, capture) -> dict:
    with capture(execute=True):
        r = client.post("/api/v1/analysis/upload", {"file": SimpleUploadedFile("a.jpg", data)}, format="multipart")
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "queued"  # the answer is given before the work
    return client.get(f"/api/v1/analysis/{r.json()['id']}").json()


def test_upload_runs_to_done_with_measured_scores(auth_client, django_capture_on_commit_callbacks):
    body = upload_and_run(auth_client, images.face_jpeg(), django_capture_on_commit_callbacks)
    assert body["status"] == "done", body["error"]
    assert body["error"] is None and body["completed_at"]
    assert {c["key"] for c in body["concerns"]} >= CONCERN_KEYS
    for c in body["concerns"]:
        assert isinstance(c["score"], int) and 0 <= c["score"] <= 100
        assert c["severity"] in {"none", "mild", "moderate", "severe"}
        assert 0 <= c["confidence"] <= 1 and c["explanation"]
    assert 0 <= body["overall_score"] <= 100
    x, y, w, h = body["face_box"]  # the astronaut's face is around x 180-270, y 70-180 in a 512 px photo
    assert 150 < x + w / 2 < 300 and 70 < y + h / 2 < 200 and 60 < w < 200
    assert body["skin_type"]["value"] in {"normal", "dry", "oily", "combination"}
    assert 0 < body["skin_type"]["confidence"] <= 1
    assert body["quality"]["ok"] is True
    assert body["overlay_url"] and body["image_url"]
    # No trained model installed: no invented numbers.
    assert body["skin_age"] is None and body["model_version"] is None and body["conditions"] is None
    assert body["processing_ms"] > 0 and "total" in body["timings"]
    a = SkinAnalysis.objects.get(pk=body["id"])
    assert len(a.landmarks) >= 468
    assert all(0 <= px <= a.image_width and 0 <= py <= a.image_height for px, py in a.landmarks)
    assert set(a.regions) >= {"forehead", "left_cheek", "right_cheek"}
    with default_storage.open(a.overlay.name, "rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).format == "PNG"
    assert a.lesions.count() == len(body["lesions"])
    # the face overlay: the face alone, big enough to read on a phone, with the crop box in photo pixels
    with default_storage.open(a.overlay_face.name, "rb") as fh:
        face_png = Image.open(io.BytesIO(fh.read()))
    assert face_png.format == "PNG" and max(face_png.size) >= 512
    fx, fy, fw, fh_ = body["overlay_face_box"]
    x, y, w, h = body["face_box"]
    assert fx <= x and fy <= y and fx + fw >= x + w and fy + fh_ >= y + h and body["overlay_face_url"]
    # what was measured, shown back: the skin tone with its swatch; per region how much could be seen
    tone = body["skin_tone"]
    assert tone["ita"] == body["skin_tone_ita"] and tone["category"] and tone["hex"].startswith("#")
    assert set(body["region_quality"]) >= {"forehead", "left_cheek", "right_cheek"}
    for q in body["region_quality"].values():
        assert 0 <= q["visible"] <= 1 and q["reason"] in (None, "occluded", "out_of_frame", "low_resolution")
    assert all(isinstance(c["reasons"], list) for c in body["concerns"])


def test_same_photo_twice_same_result(auth_client, django_capture_on_commit_callbacks):
    first = upload_and_run(auth_client, images.face_jpeg(), django_capture_on_commit_callbacks)
    second = upload_and_run(auth_client, images.face_jpeg(), django_capture_on_commit_callbacks)
    assert first["id"] != second["id"]
    assert [(c["key"], c["score"], c["raw"]) for c in first["concerns"]] == [
        (c["key"], c["score"], c["raw"]) for c in second["concerns"]
    ]
    assert first["lesions"] == second["lesions"] and first["overall_score"] == second["overall_score"]


def test_second_delivery_does_nothing(user):
    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))
    assert tasks.run_analysis.delay(str(a.pk)).get() == "done"
    a.refresh_from_db()
    completed, lesions = a.completed_at, Lesion.objects.filter(analysis=a).count()
    assert tasks.run_analysis.delay(str(a.pk)).get() is None  # already claimed: no second run
    a.refresh_from_db()
    assert a.completed_at == completed and Lesion.objects.filter(analysis=a).count() == lesions


def test_rerun_replaces_results(user, django_capture_on_commit_callbacks):
    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))
    tasks.run_analysis.delay(str(a.pk))
    a.refresh_from_db()
    lesions, overlay, face = a.lesions.count(), a.overlay.name, a.overlay_face.name
    with django_capture_on_commit_callbacks(execute=True):
        services.analysis_rerun(analysis=a)
    a.refresh_from_db()
    assert a.status == "done" and a.lesions.count() == lesions
    assert a.overlay.name != overlay and not default_storage.exists(overlay)
    assert a.overlay_face.name != face and not default_storage.exists(face)


@pytest.mark.parametrize(
    ("data", "code"), [(images.no_face_jpeg, "no_face_found"), (lambda: b"garbage" * 50, "not_an_image")]
)
def test_worker_failures_end_as_failed_with_code(user, data, code):
    a = SkinAnalysisFactory(user=user, image=ContentFile(data(), name="a.jpg"))
    assert tasks.run_analysis.delay(str(a.pk)).get() == "failed"
    a.refresh_from_db()
    assert a.status == "failed" and a.error_code == code and a.error_detail and a.completed_at


def test_missing_photo_fails_cleanly(user):
    a = SkinAnalysisFactory(user=user)
    default_storage.delete(a.image.name)
    assert tasks.run_analysis.delay(str(a.pk)).get() == "failed"
    a.refresh_from_db()
    assert a.status == "failed" and a.error_code == "image_missing"


def test_status_events_are_pushed(user, django_capture_on_commit_callbacks):
    from channels.layers import get_channel_layer

    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))
    layer = get_channel_layer()

    async def join():
        channel = await layer.new_channel()
        await layer.group_add(services.analysis_group(a.pk), channel)
        return channel

    channel = async_to_sync(join)()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.run_analysis.delay(str(a.pk))

    async def drain():
        return [await layer.receive(channel), await layer.receive(channel)]

    events = async_to_sync(drain)()
    assert [e["status"] for e in events] == ["processing", "done"]
    assert events[1]["overall_score"] == SkinAnalysis.objects.get(pk=a.pk).overall_score


def test_requeue_stale_analyses(user, monkeypatch):
    from django.utils import timezone

    calls = []
    monkeypatch.setattr(tasks.run_analysis, "delay", lambda *a: calls.append(a))
    old = timezone.now() - timezone.timedelta(hours=1)
    lost = SkinAnalysisFactory(user=user)
    SkinAnalysis.objects.filter(pk=lost.pk).update(created_at=old)
    dead = SkinAnalysisFactory(user=user, status="processing", started_at=old)
    SkinAnalysisFactory(user=user)  # fresh: left alone
    SkinAnalysisFactory(user=user, status="processing", started_at=timezone.now())  # running: left alone
    SkinAnalysisFactory(user=user, done=True)
    assert tasks.requeue_stale_analyses() == 2
    assert sorted(calls) == sorted([(str(lost.pk),), (str(dead.pk),)])
    # A dead worker's row can be claimed again; a running one cannot.
    assert services.analysis_claim(dead.pk)


def test_transient_error_releases_the_row_and_retries(user, monkeypatch):
    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))
    real = services.analysis_run
    attempts = []

    def flaky(*, analysis_id, attempt):
        row = SkinAnalysis.objects.get(pk=analysis_id)
        attempts.append((row.status, row.attempt == attempt))
        if len(attempts) < 3:
            raise ConnectionError("storage blip")
        return real(analysis_id=analysis_id, attempt=attempt)

    monkeypatch.setattr(services, "analysis_run", flaky)
    monkeypatch.setattr(tasks.run_analysis, "default_retry_delay", 0)
    # Eager retries re-run inside apply() when eager exceptions do not propagate.
    conf = tasks.run_analysis.app.conf
    old = conf.task_eager_propagates
    conf.task_eager_propagates = False
    try:
        result = tasks.run_analysis.apply(args=[str(a.pk)])
    finally:
        conf.task_eager_propagates = old
    # Each delivery claimed the row for a new attempt of its own: the failed ones gave it back before retrying.
    assert attempts == [("processing", True)] * 3
    assert not SkinAnalysis.objects.filter(pk=a.pk, status="queued").exists()
    a.refresh_from_db()
    assert a.status == "done" and result.get() == "done"


def test_unexpected_error_marks_failed_not_stuck(user, monkeypatch):
    a = SkinAnalysisFactory(user=user, image=ContentFile(images.face_jpeg(), name="a.jpg"))

    def boom(*, analysis_id, attempt):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "analysis_run", boom)
    with pytest.raises(RuntimeError):
        tasks.run_analysis.apply(args=[str(a.pk)]).get()
    a.refresh_from_db()
    assert a.status == "failed" and a.error_code == "internal_error"
