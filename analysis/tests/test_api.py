"""Detail, history, delete and feedback endpoints: success, 401, 400 with a code, another user's 404."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage

from analysis.models import Feedback, SkinAnalysis

from .factories import LesionFactory, ModelVersionFactory, SkinAnalysisFactory

pytestmark = pytest.mark.django_db

API_FIELDS = {
    "id",
    "status",
    "created_at",
    "completed_at",
    "error",
    "image_url",
    "overlay_url",
    "quality",
    "face_box",
    "skin_type",
    "skin_age",
    "overall_score",
    "concerns",
    "lesions",
    "model_version",
    "processing_ms",
    "disclaimer",
}


def detail_url(pk) -> str:
    return f"/api/v1/analysis/{pk}"


def test_detail_has_the_api_md_representation(auth_client):
    version = ModelVersionFactory(name="effnet-v1")
    a = SkinAnalysisFactory(user=auth_client.user, done=True, model_version=version, skin_age=31.6, processing_ms=900)
    LesionFactory(analysis=a, x=10, y=20, w=5, h=6, kind="dark_spot", confidence=0.7)
    r = auth_client.get(detail_url(a.pk))
    assert r.status_code == 200
    body = r.json()
    assert API_FIELDS <= set(body)
    assert body["id"] == str(a.pk) and body["status"] == "done"
    assert body["error"] is None
    assert body["quality"] == {"brightness": 60.0, "sharpness": 100.0, "face_size": 0.6, "ok": True, "issues": []}
    assert body["face_box"] == [4, 4, 20, 20]
    assert body["skin_type"]["value"] == "normal" and body["skin_type"]["confidence"] == 0.6
    assert body["skin_age"] == 32  # integer years
    assert body["model_version"] == "effnet-v1"
    assert len(body["concerns"]) == 9
    assert {"key", "score", "severity", "confidence", "regions"} <= set(body["concerns"][0])
    assert body["lesions"] == [{"box": [10, 20, 5, 6], "kind": "dark_spot", "confidence": 0.7, "region": "left_cheek"}]
    assert body["image_url"].startswith("http://testserver/media/")
    assert body["overlay_url"] is None
    assert "not a medical diagnosis" in body["disclaimer"]


def test_signed_image_url_serves_the_photo_and_expires(auth_client, client, settings):
    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    url = auth_client.get(detail_url(a.pk)).json()["image_url"]
    r = client.get(url.replace("http://testserver", ""))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    settings.SIGNED_URL_MAX_AGE = -1
    assert client.get(url.replace("http://testserver", "")).status_code == 404


def test_failed_analysis_shows_its_error(auth_client):
    a = SkinAnalysisFactory(
        user=auth_client.user, status="failed", error_code="image_blurry", error_detail="Hold the phone still."
    )
    body = auth_client.get(detail_url(a.pk)).json()
    assert body["status"] == "failed"
    # the detail is rendered by its code in the reader's language (the stored English is for staff)
    advice = "The photo is blurry: hold the phone still, tap your face to focus and wipe the lens."
    assert body["error"] == {"code": "image_blurry", "detail": advice}
    assert body["skin_age"] is None and body["overall_score"] is None


def test_detail_401_and_404(api_client, auth_client, other_client):
    a = SkinAnalysisFactory(user=auth_client.user)
    assert api_client.get(detail_url(a.pk)).status_code == 401
    r = other_client.get(detail_url(a.pk))
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert auth_client.get(detail_url(uuid.uuid4())).status_code == 404


def test_history_newest_first_and_only_mine(auth_client, other_user):
    mine = [SkinAnalysisFactory(user=auth_client.user, done=True) for _ in range(3)]
    SkinAnalysisFactory(user=other_user)
    r = auth_client.get("/api/v1/analysis/history")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert [x["id"] for x in body["results"]] == [str(a.pk) for a in reversed(mine)]
    assert "lesion_count" in body["results"][0]


def test_history_paginates(auth_client):
    for _ in range(5):
        SkinAnalysisFactory(user=auth_client.user)
    body = auth_client.get("/api/v1/analysis/history?page_size=2&page=2").json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"] and body["previous"]


@pytest.mark.parametrize("n", [1, 20])
def test_history_has_no_n_plus_one(auth_client, django_assert_max_num_queries, n):
    version = ModelVersionFactory()
    for _ in range(n):
        a = SkinAnalysisFactory(user=auth_client.user, done=True, model_version=version)
        LesionFactory(analysis=a)
    from skincare.core.config import get_config

    get_config()  # the site's configuration is read from the cache, as in production
    # user by token is in the JWT; count + page; the person's retention choice once (photo.delete_on)
    with django_assert_max_num_queries(4):
        r = auth_client.get("/api/v1/analysis/history")
    assert r.status_code == 200 and len(r.json()["results"]) == n
    assert all(x["lesion_count"] == 1 and x["model_version"] == version.name for x in r.json()["results"])


def test_history_401(api_client):
    assert api_client.get("/api/v1/analysis/history").status_code == 401


def test_delete_removes_row_lesions_and_files(auth_client, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    a.overlay.save("o.png", ContentFile(b"\x89PNG fake"), save=True)
    a.overlay_face.save("f.png", ContentFile(b"\x89PNG fake"), save=True)
    LesionFactory(analysis=a)
    names = [a.image.name, a.overlay.name, a.overlay_face.name]
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        r = auth_client.delete(detail_url(a.pk))
    assert r.status_code == 204
    assert not SkinAnalysis.objects.filter(pk=a.pk).exists()
    assert not any(default_storage.exists(n) for n in names)


def test_delete_someone_elses_is_404(auth_client, other_client):
    a = SkinAnalysisFactory(user=auth_client.user)
    assert other_client.delete(detail_url(a.pk)).status_code == 404
    assert SkinAnalysis.objects.filter(pk=a.pk).exists()


def test_feedback_created_with_corrections(auth_client):
    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    r = auth_client.post(
        detail_url(a.pk) + "/feedback",
        {"rating": 4, "comment": "Pretty close", "corrections": {"skin_type": "oily", "age": 34}},
        format="json",
    )
    assert r.status_code == 201, r.content
    fb = Feedback.objects.get()
    assert (fb.rating, fb.comment, fb.corrected_skin_type, fb.corrected_age) == (4, "Pretty close", "oily", 34)
    assert fb.user == auth_client.user
    assert r.json()["corrections"] == {"skin_type": "oily", "age": 34}


def test_feedback_rating_only(auth_client):
    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    assert auth_client.post(detail_url(a.pk) + "/feedback/", {"rating": 1}, format="json").status_code == 201


@pytest.mark.parametrize(
    "payload",
    [{}, {"rating": 0}, {"rating": 6}, {"rating": 3, "corrections": {"skin_type": "purple"}}, {"rating": "x"}],
)
def test_feedback_bad_input_400(auth_client, payload):
    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    r = auth_client.post(detail_url(a.pk) + "/feedback", payload, format="json")
    assert r.status_code == 400 and r.json()["code"]
    assert Feedback.objects.count() == 0


def test_feedback_401_404(api_client, auth_client, other_client):
    a = SkinAnalysisFactory(user=auth_client.user, done=True)
    assert api_client.post(detail_url(a.pk) + "/feedback", {"rating": 3}, format="json").status_code == 401
    assert other_client.post(detail_url(a.pk) + "/feedback", {"rating": 3}, format="json").status_code == 404


def test_owned_by(user, other_user):
    from django.contrib.auth.models import AnonymousUser

    a = SkinAnalysisFactory(user=user)
    assert list(SkinAnalysis.objects.owned_by(user)) == [a]
    assert not SkinAnalysis.objects.owned_by(other_user).exists()
    assert not SkinAnalysis.objects.owned_by(AnonymousUser()).exists()


def test_gdpr_export_and_files(user):
    from analysis import gdpr

    a = SkinAnalysisFactory(user=user, done=True)
    LesionFactory(analysis=a)
    Feedback.objects.create(analysis=a, user=user, rating=5, corrected_age=30)
    data = gdpr.export(user)
    import json

    json.dumps(data)
    assert data["analyses"][0]["id"] == str(a.pk) and len(data["analyses"][0]["lesions"]) == 1
    assert data["feedback"][0]["corrected_age"] == 30
    assert gdpr.files(user) == [a.image.name]


def test_user_deletion_cascades(user):
    a = SkinAnalysisFactory(user=user, done=True)
    Feedback.objects.create(analysis=a, user=user, rating=5)
    user.delete()
    assert not SkinAnalysis.objects.exists() and not Feedback.objects.exists()
