"""API per API.md: success, 401, 400 with a code, 404 for someone else's objects, bounded queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from progress.models import Milestone, ProgressEntry, ShareLink, ShareReport

from .factories import MilestoneFactory, ProgressEntryFactory, ShareLinkFactory, astronaut, jpeg, make_analysis

pytestmark = pytest.mark.django_db

PRIVATE = [
    ("post", "/api/v1/progress/log"),
    ("get", "/api/v1/progress/timeline"),
    ("get", "/api/v1/progress/stats"),
    ("get", "/api/v1/progress/compare"),
    ("get", "/api/v1/progress/milestone"),
    ("post", "/api/v1/progress/milestone"),
    ("get", "/api/v1/share"),
    ("post", "/api/v1/share"),
    ("delete", "/api/v1/share/8a7f5e0c-7d4b-4a57-9b1e-3f3a1c1e2d00"),
]


@pytest.mark.parametrize(("method", "path"), PRIVATE)
def test_anonymous_gets_401(api_client, method, path):
    response = getattr(api_client, method)(path)
    assert response.status_code == 401
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}


def test_log_an_entry(auth_client, user):
    analysis = make_analysis(user)
    today = timezone.now().date()
    r = auth_client.post("/api/v1/progress/log", {"analysis": str(analysis.pk), "rating": 4, "notes": "calm"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["date"] == today.isoformat() and body["rating"] == 4 and body["analysis"] == str(analysis.pk)
    assert body["scores"]["overall_score"] == 60 and body["scores"]["source"] == "entry"
    # trailing slash answers too, without redirect
    r2 = auth_client.post("/api/v1/progress/log/", {"date": (today - timedelta(days=1)).isoformat()})
    assert r2.status_code == 201
    assert ProgressEntry.objects.filter(user=user).count() == 2


def test_log_bad_input(auth_client, user):
    r = auth_client.post("/api/v1/progress/log", {"rating": 9})
    assert r.status_code == 400 and r.json()["code"] == "validation_error" and "rating" in r.json()["errors"]
    future = (timezone.now().date() + timedelta(days=3)).isoformat()
    r = auth_client.post("/api/v1/progress/log", {"date": future})
    assert r.status_code == 400 and r.json()["code"] == "date_in_future"
    r = auth_client.post("/api/v1/progress/log", {"analysis": "not-a-uuid"})
    assert r.status_code == 400 and r.json()["code"] == "validation_error"


def test_log_with_someone_elses_analysis_is_404(auth_client, other_user):
    theirs = make_analysis(other_user)
    r = auth_client.post("/api/v1/progress/log", {"analysis": str(theirs.pk)})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not ProgressEntry.objects.exists()


def test_log_with_a_photo_creates_an_analysis(auth_client, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("me.jpg", jpeg(astronaut()), content_type="image/jpeg")
    r = auth_client.post("/api/v1/progress/log", {"photo": photo, "rating": "3"}, format="multipart")
    assert r.status_code == 201, r.json()
    entry = ProgressEntry.objects.get(pk=r.json()["id"])
    assert entry.analysis is not None and entry.analysis.user == user
    assert r.json()["analysis_status"] in {"queued", "processing", "done"}


def test_log_with_a_non_image_is_400(auth_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bogus = SimpleUploadedFile("me.jpg", b"not an image at all", content_type="image/jpeg")
    r = auth_client.post("/api/v1/progress/log", {"photo": bogus}, format="multipart")
    assert r.status_code == 400 and r.json()["code"]
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize("n", [1, 20])
def test_timeline_pages_with_bounded_queries(auth_client, user, other_user, n, django_assert_max_num_queries):
    today = timezone.now().date()
    same_day = make_analysis(user, overall=71)  # today's analysis gives the day's scores to plain entries
    for i in range(n):
        ProgressEntryFactory(
            user=user, date=today - timedelta(days=i), analysis=make_analysis(user, days_ago=i) if i % 2 else None
        )
    ProgressEntryFactory(user=other_user)
    with django_assert_max_num_queries(5):
        r = auth_client.get("/api/v1/progress/timeline")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == n and len(body["results"]) == n
    first = body["results"][0]
    assert first["date"] == today.isoformat()
    assert first["scores"] == {
        "analysis": str(same_day.pk),
        "source": "day",
        "overall_score": 71,
        "concerns": {k: 60 for k in ["acne", "redness", "pores", "texture", "wrinkles"]},
    }


def test_stats(auth_client, user):
    today = timezone.now().date()
    for i, score in enumerate([40, 46, 52, 60]):
        make_analysis(user, scores={"acne": score, "redness": 70}, overall=50 + i, days_ago=21 - 7 * i)
    for i in range(3):
        ProgressEntryFactory(user=user, date=today - timedelta(days=i), rating=3 + (i % 2))
    r = auth_client.get("/api/v1/progress/stats")
    assert r.status_code == 200
    body = r.json()
    trends = {t["key"]: t for t in body["trends"]}
    # acne rose 20 points over 21 days: ≈ 6.5 points a week by least squares
    assert trends["acne"]["verdict"] == "improving"
    assert trends["acne"]["slope_per_week"] == pytest.approx(6.5, abs=0.2)
    assert trends["redness"]["verdict"] == "stable" and trends["redness"]["slope_per_week"] == 0
    assert body["streaks"]["logging"]["current"] == 3
    assert body["adherence"]["rate"] is None and body["adherence"]["reason"]
    assert body["analyses"] == 4 and body["entries"] == 3
    assert auth_client.get("/api/v1/progress/stats?days=0").json()["code"] == "validation_error"


def test_compare(auth_client, user, other_user):
    before = make_analysis(user, scores={"acne": 40, "redness": 70}, overall=55, days_ago=14)
    after = make_analysis(user, scores={"acne": 58, "redness": 64}, overall=62)
    r = auth_client.get(f"/api/v1/progress/compare?before={before.pk}&after={after.pk}")
    assert r.status_code == 200, r.json()
    body = r.json()
    deltas = {d["key"]: d["delta"] for d in body["concerns"]}
    assert deltas == {"acne": 18, "redness": -6}
    assert body["overall"]["delta"] == 7 and body["overall"]["verdict"] == "improving"
    assert body["before"]["image_url"].startswith("http://testserver/media/s/")
    assert body["after"]["image_url"] and body["disclaimer"]
    # no landmarks on these: no aligned photo, and it says why
    assert body["aligned_image_url"] is None and body["alignment"]["reason"]
    theirs = make_analysis(other_user)
    assert auth_client.get(f"/api/v1/progress/compare?before={before.pk}&after={theirs.pk}").status_code == 404
    missing = auth_client.get(f"/api/v1/progress/compare?before={before.pk}")
    assert missing.status_code == 400 and "after" in missing.json()["errors"]
    same = auth_client.get(f"/api/v1/progress/compare?before={before.pk}&after={before.pk}")
    assert same.status_code == 400 and same.json()["code"] == "same_analysis"
    queued = make_analysis(user, status="queued")
    r = auth_client.get(f"/api/v1/progress/compare?before={before.pk}&after={queued.pk}")
    assert r.status_code == 400 and r.json()["code"] == "analysis_not_done"


def test_compare_serves_the_aligned_photo(auth_client, user):
    from .test_services import _aligned_pair

    before, after = _aligned_pair(user)
    body = auth_client.get(f"/api/v1/progress/compare?before={before.pk}&after={after.pk}").json()
    assert body["alignment"]["ok"] and body["alignment"]["residual_px"] < 3
    image = auth_client.get(body["aligned_image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("n", [1, 20])
def test_milestones_list(auth_client, user, other_user, n, django_assert_max_num_queries):
    MilestoneFactory.create_batch(n, user=user)
    MilestoneFactory(user=other_user)
    with django_assert_max_num_queries(3):
        r = auth_client.get("/api/v1/progress/milestone")
    assert r.status_code == 200 and r.json()["count"] == n


def test_record_a_milestone_once(auth_client, user):
    r = auth_client.post("/api/v1/progress/milestone", {"title": "First month without a breakout"})
    assert r.status_code == 201 and r.json()["kind"] == "custom"
    again = auth_client.post("/api/v1/progress/milestone", {"title": "First month without a breakout"})
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert Milestone.objects.filter(user=user).count() == 1
    bad = auth_client.post("/api/v1/progress/milestone", {})
    assert bad.status_code == 400 and "title" in bad.json()["errors"]


def test_share_an_analysis_and_revoke(auth_client, api_client, user):
    analysis = make_analysis(user)
    r = auth_client.post("/api/v1/share", {"analysis": str(analysis.pk)})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["url"].startswith("http://testserver/progress/s/") and body["expires_at"] and body["id"]
    path = body["url"].removeprefix("http://testserver")
    assert api_client.get(path).status_code == 200
    assert auth_client.delete(f"/api/v1/share/{body['id']}").status_code == 204
    assert api_client.get(path).status_code == 404
    assert ShareLink.objects.get(pk=body["id"]).revoked_at is not None


def test_share_a_comparison(auth_client, user):
    before = make_analysis(user, days_ago=10)
    after = make_analysis(user)
    r = auth_client.post(
        "/api/v1/share", {"compare": {"before": str(before.pk), "after": str(after.pk)}, "expires_in_days": 3}
    )
    assert r.status_code == 201 and r.json()["kind"] == "compare"
    share = ShareLink.objects.get(pk=r.json()["id"])
    assert (share.expires_at - share.created_at).days == 2  # 3 days minus a few microseconds


def test_share_errors(auth_client, other_client, user, other_user):
    r = auth_client.post("/api/v1/share", {})
    assert r.status_code == 400 and r.json()["code"] == "share_target_missing"
    theirs = make_analysis(other_user)
    assert auth_client.post("/api/v1/share", {"analysis": str(theirs.pk)}).status_code == 404
    r = auth_client.post("/api/v1/share", {"analysis": str(make_analysis(user).pk), "expires_in_days": 400})
    assert r.status_code == 400 and "expires_in_days" in r.json()["errors"]
    queued = make_analysis(user, status="queued")
    r = auth_client.post("/api/v1/share", {"analysis": str(queued.pk)})
    assert r.status_code == 400 and r.json()["code"] == "analysis_not_done"
    mine = ShareLinkFactory(user=user, analysis=make_analysis(user))
    assert other_client.delete(f"/api/v1/share/{mine.pk}").status_code == 404
    assert other_client.get(f"/api/v1/share/{mine.pk}").status_code == 404
    assert ShareLink.objects.get(pk=mine.pk).revoked_at is None


@pytest.mark.parametrize("n", [1, 20])
def test_share_list(auth_client, user, other_user, n, django_assert_max_num_queries):
    analysis = make_analysis(user)
    ShareLinkFactory.create_batch(n, user=user, analysis=analysis)
    ShareLinkFactory(user=other_user, analysis=make_analysis(other_user))
    with django_assert_max_num_queries(3):
        r = auth_client.get("/api/v1/share")
    assert r.status_code == 200 and r.json()["count"] == n
    assert {row["state"] for row in r.json()["results"]} == {"live"}


def test_public_report_is_open_and_throttled(api_client, user):
    share = ShareLinkFactory(user=user, analysis=make_analysis(user))
    r = api_client.post("/api/v1/share/report", {"token": share.token, "reason": "not_me", "details": "That's me"})
    assert r.status_code == 201 and r.json()["status"] == "open"
    assert ShareReport.objects.get().share == share
    bad = api_client.post("/api/v1/share/report", {"token": share.token, "reason": "boring"})
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    unknown = api_client.post("/api/v1/share/report", {"token": "nope", "reason": "spam"})
    assert unknown.status_code == 404
    for _ in range(10):
        last = api_client.post("/api/v1/share/report", {"token": share.token, "reason": "spam"})
    assert last.status_code == 429 and last.json()["code"] == "throttled" and last["Retry-After"]


def test_schema_describes_the_endpoints(api_client):
    r = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    text = r.content.decode()
    for path in ["/api/v1/progress/log", "/api/v1/progress/compare", "/api/v1/share/report", "/api/v1/share/{id}"]:
        assert path in text


def test_stats_trends_use_the_entries_own_dates(auth_client, user):
    # Given three photos uploaded seconds apart today, each logged in the diary for another day a week apart
    today = timezone.now().date()
    for i, score in enumerate([40, 50, 60]):
        a = make_analysis(user, scores={"acne": score}, overall=50 + i, days_ago=0)
        ProgressEntryFactory(user=user, date=today - timedelta(days=14 - 7 * i), analysis=a)
    body = auth_client.get("/api/v1/progress/stats").json()
    acne = {t["key"]: t for t in body["trends"]}["acne"]
    # then the trend runs over the diary's 14 days (+10 points a week), not over a few seconds
    assert acne["verdict"] == "improving"
    assert acne["slope_per_week"] == pytest.approx(10.0, abs=0.1)
    assert [p["date"] for p in acne["series"]] == [(today - timedelta(days=d)).isoformat() for d in (14, 7, 0)]


def test_stats_without_enough_analyses_has_no_slope(auth_client, user):
    make_analysis(user, scores={"acne": 80}, overall=60, days_ago=0)
    make_analysis(user, scores={"acne": 50}, overall=55, days_ago=0)
    acne = {t["key"]: t for t in auth_client.get("/api/v1/progress/stats").json()["trends"]}["acne"]
    assert acne["slope_per_week"] is None and acne["verdict"] is None and acne["reason"]
