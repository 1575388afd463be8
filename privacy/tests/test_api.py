"""The privacy API: settings, who saw my photos, grants, delete all photos (401 / 404 / 400, no N+1)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from privacy import services
from privacy.media import MediaInfo, Viewer, access_record
from progress.tests.factories import make_analysis
from skincare.core.tests.factories import staff_user

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/privacy"),
    ("put", "/api/v1/privacy"),
    ("get", "/api/v1/privacy/access"),
    ("get", "/api/v1/privacy/grants"),
    ("post", "/api/v1/privacy/photos/delete"),
    ("post", "/api/v1/privacy/grants/00000000-0000-0000-0000-000000000000/approve"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_401(api_client, method, path):
    assert getattr(api_client, method)(path).status_code == 401


def test_settings_read_and_choose(auth_client):
    body = auth_client.get("/api/v1/privacy").json()
    assert body["photo_retention"] == "" and body["effective"]["source"] == "site"
    assert body["site_default"]["policy"] == "keep" and "AES-256-GCM" in body["storage"]["encryption"]
    r = auth_client.put("/api/v1/privacy", {"photo_retention": "days", "retention_days": 30}, format="json")
    assert r.status_code == 200
    assert r.json()["effective"] == {
        "policy": "days",
        "days": 30,
        "source": "you",
        "label": "Photos are deleted 30 days after they were taken",
    }
    assert (
        auth_client.patch("/api/v1/privacy", {"photo_retention": ""}, format="json").json()["effective"]["source"]
        == "site"
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"photo_retention": "forever"}, "validation_error"),
        ({"photo_retention": "days"}, "invalid_retention_days"),
        ({"photo_retention": "days", "retention_days": 0}, "validation_error"),
        ({}, "validation_error"),
    ],
)
def test_settings_bad_input_400(auth_client, body, code):
    r = auth_client.put("/api/v1/privacy", body, format="json")
    assert r.status_code == 400 and r.json()["code"] == code


@pytest.mark.parametrize("n", [1, 20])
def test_access_list_has_no_n_plus_one(auth_client, django_assert_max_num_queries, n):
    a = make_analysis(auth_client.user)
    info = MediaInfo(name=a.image.name, owner_id=auth_client.user.pk, kind="photo", created_at=a.created_at)
    for _ in range(n):
        access_record(media=info, viewer=Viewer.owner(auth_client.user))
    with django_assert_max_num_queries(3):  # user, count, page
        r = auth_client.get("/api/v1/privacy/access")
    assert r.status_code == 200 and r.json()["count"] == n
    assert r.json()["results"][0]["viewer"] == "You" and r.json()["results"][0]["media_kind"] == "photo"


@pytest.mark.parametrize("n", [1, 20])
def test_grant_list_has_no_n_plus_one(auth_client, django_assert_max_num_queries, n):
    support = staff_user()
    for _ in range(n):
        services.grant_request(staff=support, user=auth_client.user, reason="ticket", hours=1)
    with django_assert_max_num_queries(3):
        r = auth_client.get("/api/v1/privacy/grants")
    assert r.json()["count"] == n and r.json()["results"][0]["state"] == "pending"


def test_grant_decisions_404_for_someone_else_400_for_nonsense(auth_client, other_client):
    grant = services.grant_request(staff=staff_user(), user=auth_client.user, reason="ticket", hours=1)
    assert other_client.post(f"/api/v1/privacy/grants/{grant.pk}/approve").status_code == 404
    r = auth_client.post(f"/api/v1/privacy/grants/{grant.pk}/explode")
    assert r.status_code == 400 and r.json()["code"] == "invalid_grant_decision"
    assert auth_client.post(f"/api/v1/privacy/grants/{grant.pk}/deny").json()["state"] == "denied"
    r = auth_client.post(f"/api/v1/privacy/grants/{grant.pk}/approve")
    assert r.status_code == 400 and r.json()["code"] == "invalid_grant_decision"


def test_delete_all_photos_keeps_results(auth_client, other_user, django_capture_on_commit_callbacks):
    mine = [make_analysis(auth_client.user) for _ in range(2)]
    theirs = make_analysis(other_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = auth_client.post("/api/v1/privacy/photos/delete")
    assert r.status_code == 200 and r.json() == {"deleted": 2}
    for a in mine:
        a.refresh_from_db()
        assert not a.has_photo and a.overall_score == 60
    assert default_storage.exists(theirs.image.name)
    assert auth_client.post("/api/v1/privacy/photos/delete").json() == {"deleted": 0}


def test_face_map_endpoint_guards(auth_client, other_client):
    from progress.tests.factories import synthetic_landmarks

    a = make_analysis(auth_client.user, landmarks=synthetic_landmarks())
    assert auth_client.get(f"/api/v1/analysis/{a.pk}/face-map").status_code == 200
    assert other_client.get(f"/api/v1/analysis/{a.pk}/face-map").status_code == 404
    queued = make_analysis(auth_client.user, status="queued")
    r = auth_client.get(f"/api/v1/analysis/{queued.pk}/face-map")
    assert r.status_code == 404 and r.json()["code"] == "face_map_unavailable"
