"""The seed client's calls (SEED_CLIENT.md) against our services: the answers it reads, 401 without a token,
404 for another user's id on every seed path, 400 with a code."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import pytest
from django.urls import resolve
from django.utils import timezone

from accounts.api import views as account_views
from analysis.models import SkinAnalysis
from analysis.tests import images
from consultations.tests.factories import dermatologist, slot
from ingredients.tests.conftest import _kb_session, kb  # noqa: F401 - fixtures: the bundled knowledge base
from routines.tests.factories import small_catalog
from skincare.seed_api import views
from skincare.seed_api.replay import TRANSPARENT_PNG_B64

pytestmark = pytest.mark.django_db


def seed_paths(user_id: str, slot_id: str) -> list[tuple[str, str, dict | None]]:
    """Every seed call that names a user, with that user id in it."""
    return [
        ("get", f"/api/v1/users/{user_id}", None),
        ("put", f"/api/v1/users/{user_id}", {"skin_type": "dry"}),
        ("patch", f"/api/v1/users/{user_id}", {"skin_type": "dry"}),
        ("post", "/api/v1/analysis/analyze", {"image_data": TRANSPARENT_PNG_B64, "user_id": user_id}),
        ("post", "/api/v1/routine/create", {"user_id": user_id, "skin_type": "dry"}),
        ("get", f"/api/v1/routine/user/{user_id}", None),
        ("post", "/api/v1/progress/update", {"user_id": user_id, "metric": "skin_clarity", "value": 5}),
        ("get", f"/api/v1/progress/metrics?user_id={user_id}", None),
        ("post", "/api/v1/notifications/push", {"user_id": user_id, "title": "Hi", "body": "x", "type": "tip"}),
        ("get", f"/api/v1/notifications?user_id={user_id}", None),
        ("get", f"/api/v1/dermatologist/available?date=2031-01-01&user_id={user_id}", None),
        ("post", "/api/v1/dermatologist/book", {"user_id": user_id, "slot_id": slot_id, "reason": "Acne"}),
    ]


def call(client, method, path, body):
    return getattr(client, method)(path, body, format="json") if body is not None else getattr(client, method)(path)


def test_another_users_id_is_404_on_every_seed_path_and_nothing_is_written(auth_client, user, other_user):
    derm = dermatologist()
    free = slot(derm)
    for method, path, body in seed_paths(str(other_user.pk), str(free.pk)):
        response = call(auth_client, method, path, body)
        assert response.status_code == 404, (method, path, response.status_code, response.content[:200])
        assert response.json()["code"] == "user_not_found"
    assert not SkinAnalysis.objects.exists()
    assert not user.routines.exists() and not user.progress_metrics.exists() and not user.consultations.exists()
    assert not user.notifications.filter(kind__startswith="client.").exists()
    assert user.profile.skin_type is None
    # A malformed id is someone else's too
    assert auth_client.get("/api/v1/users/not-a-uuid").status_code == 404


def test_anonymous_is_401_on_every_seed_path(api_client):
    some = str(uuid.uuid4())
    for method, path, body in seed_paths(some, some):
        assert call(api_client, method, path, body).status_code == 401, (method, path)


def test_routes_shared_with_our_api_are_the_seed_subclasses_of_ours():
    for path, ours in [
        ("/api/v1/auth/login", account_views.LoginView),
        ("/api/v1/auth/register/", account_views.RegisterView),
        ("/api/v1/notifications", account_views.NotificationListView),
    ]:
        served = resolve(path).func.view_class
        assert served.__module__ == views.__name__ and issubclass(served, ours), path


# --- J1 ------------------------------------------------------------------------------------------------
def test_login_adds_the_seed_fields_to_ours(api_client, user, password):
    response = api_client.post("/api/v1/auth/login", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert {"user", "access", "refresh"} <= set(body)
    assert body["access_token"] == body["access"] and body["refresh_token"] == body["refresh"]
    assert body["user_id"] == str(user.pk) and isinstance(body["user_id"], str)
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["message"]
    me = api_client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.status_code == 200


def test_the_seed_message_and_errors_follow_the_request_language(api_client, auth_client, user, password):
    body = {"email": user.email, "password": password}
    spanish = api_client.post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["message"] == "Sesión iniciada."
    hindi = auth_client.get("/api/v1/users/not-me", HTTP_ACCEPT_LANGUAGE="hi")
    assert hindi.status_code == 404 and hindi.json() == {"detail": "ऐसा कोई उपयोगकर्ता नहीं है।", "code": "user_not_found"}


def test_login_errors_keep_our_envelope(api_client, user):
    wrong = api_client.post("/api/v1/auth/login", {"email": user.email, "password": "nope"}, format="json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials" and wrong.json()["detail"]
    missing = api_client.post("/api/v1/auth/login", {"email": user.email}, format="json")
    assert missing.status_code == 400 and "password" in missing.json()["errors"]


# --- J2, J11 -------------------------------------------------------------------------------------------
def test_profile_put_and_get(auth_client, user):
    url = f"/api/v1/users/{user.pk}"
    response = auth_client.put(
        url,
        {"skin_type": "Combination", "skin_concerns": ["acne", "dark spots"], "age": 28, "gender": "female"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["skin_type"] == "combination" and body["skin_concerns"] == ["acne", "pigmentation"]
    assert body["age"] == 28 and body["gender"] is None and body["ignored"] == ["gender"]
    user.profile.refresh_from_db()
    assert user.profile.concerns == ["acne", "pigmentation"] and user.profile.birth_year == dt.date.today().year - 28
    got = auth_client.get(url).json()
    assert got["skin_type"] == "combination" and got["profile"]["skin_type"] == "combination"


def test_preferences_alone_are_a_partial_update(auth_client, user):
    user.profile.skin_type = "dry"
    user.profile.save()
    response = auth_client.put(f"/api/v1/users/{user.pk}", {"preferences": {"reminder_time": "09:00"}}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["preferences"]["reminder_time"] == "09:00" and body["skin_type"] == "dry"
    user.profile.refresh_from_db()
    assert user.profile.reminder_times["am"] == "09:00" and user.profile.reminder_times["pm"]  # both, as ours needs


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"skin_type": "purple"}, "skin_type"),
        ({"skin_concerns": ["warts"]}, "concerns"),
        ({"age": 5}, "age"),
        ({"preferences": {"reminder_time": "25:99"}}, "reminder_times"),
        ({"preferences": "early"}, "preferences"),
    ],
)
def test_profile_bad_input_is_400_with_a_code(auth_client, user, body, field):
    response = auth_client.put(f"/api/v1/users/{user.pk}", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] and field in response.json()["errors"]


# --- J3 ------------------------------------------------------------------------------------------------
def test_a_photo_without_a_face_is_a_200_result_saying_so(auth_client, user):
    response = auth_client.post(
        "/api/v1/analysis/analyze", {"image_data": TRANSPARENT_PNG_B64, "user_id": str(user.pk)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["face_detected"] is False and body["skin_condition"] is None and body["severity"] is None
    assert body["code"] == "no_face_found" and body["advice"] and body["recommendations"] == [body["advice"]]
    assert not SkinAnalysis.objects.exists()  # the gate refused it: nothing stored


def test_not_a_photo_is_still_a_400(auth_client):
    response = auth_client.post(
        "/api/v1/analysis/analyze", {"image_data": base64.b64encode(b"hello").decode()}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_an_image"
    assert auth_client.post("/api/v1/analysis/analyze", {}, format="json").json()["code"] == "no_image"


def test_a_selfie_is_analysed_and_answered_in_the_seeds_fields(auth_client, user, monkeypatch):
    # The worker runs inline here (the live test uses a real worker process).
    from analysis.services import analysis_run

    async def run_now(analysis_id, timeout):
        from asgiref.sync import sync_to_async

        await sync_to_async(analysis_run)(analysis_id=analysis_id)
        return "done"

    monkeypatch.setattr(views, "wait_for_analysis", run_now)
    image = base64.b64encode(images.face_jpeg()).decode()
    response = auth_client.post(
        "/api/v1/analysis/analyze", {"image_data": image, "user_id": str(user.pk)}, format="json"
    )
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    analysis = SkinAnalysis.objects.get(user=user)
    assert body["analysis_id"] == str(analysis.pk) and body["status"] == "done" and body["face_detected"] is True
    worst = min(analysis.concerns, key=lambda c: c["score"])
    assert (body["skin_condition"], body["severity"]) == (worst["key"], worst["severity"])
    assert body["overall_skin_health_score"] == analysis.overall_score and body["skin_type"] == analysis.skin_type
    assert body["recommendations"] and all(isinstance(r, str) for r in body["recommendations"])
    assert set(body["zones"]) == {"forehead", "leftCheek", "rightCheek", "nose", "chin"}
    assert len(body["detections"]) == analysis.lesions.count()
    assert body["analysis"]["id"] == str(analysis.pk)  # ours, as GET /analysis/{id} gives it
    # an ordinary analysis: in the history
    assert auth_client.get("/api/v1/analysis/history").json()["count"] == 1


def test_a_slow_worker_gets_a_202_with_the_status_url(auth_client, user, settings):
    settings.SEED_ANALYZE_WAIT_SECONDS = 0.2  # the worker never runs in this test (no commit)
    image = base64.b64encode(images.face_jpeg()).decode()
    response = auth_client.post("/api/v1/analysis/analyze", {"image_data": image}, format="json")
    assert response.status_code == 202
    body = response.json()
    analysis = SkinAnalysis.objects.get(user=user)
    assert body["analysis_id"] == str(analysis.pk) and body["status"] == "queued"
    assert body["status_url"].endswith(f"/api/v1/analysis/{analysis.pk}") and response["Retry-After"] == "2"


# --- J4 ------------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("kb")
def test_scan_a_list_with_common_names(auth_client):
    body = {"product_name": "Bright serum", "ingredients": ["Water", "Vitamin C", "Hyaluronic Acid", "Fragrance"]}
    response = auth_client.post("/api/v1/ingredients/scan", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    names = [i["ingredient"]["inci_name"] if i["ingredient"] else None for i in data["ingredients"]]
    assert names == ["Aqua", "Ascorbic Acid", "Hyaluronic Acid", "Parfum"]  # Vitamin C through its synonym
    assert data["safety_rating"] == data["score"] and isinstance(data["benefits"], list) and "warnings" in data
    assert data["product_name"] == "Bright serum" and data["scan_id"]


def test_scan_without_a_photo_or_a_list_is_400(auth_client):
    response = auth_client.post("/api/v1/ingredients/scan", {"product_name": "x"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "no_image"


# --- J5 ------------------------------------------------------------------------------------------------
def test_routine_create_200_with_routine_id_and_steps(auth_client, user):
    small_catalog()
    response = auth_client.post(
        "/api/v1/routine/create",
        {"user_id": str(user.pk), "skin_type": "oily", "time_commitment": "quick"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["routine_id"] == body["routines"][0]["routine_id"] == body["routines"][0]["id"]
    assert [r["period"] for r in body["routines"]] == ["am", "pm"]
    assert 0 < len(body["steps"]) <= 3
    step = body["steps"][0]
    assert {"step_order", "product_name", "product_category", "instructions", "wait_time_seconds"} <= set(step)
    user.profile.refresh_from_db()
    assert user.profile.skin_type == "oily"
    listing = auth_client.get(f"/api/v1/routine/user/{user.pk}")
    assert listing.status_code == 200 and isinstance(listing.json(), list) and len(listing.json()) == 2


def test_routine_create_bad_time_commitment(auth_client):
    response = auth_client.post("/api/v1/routine/create", {"time_commitment": "forever"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_time_commitment"


def test_routine_list_without_n_plus_one(auth_client, user, django_assert_max_num_queries):
    from routines.tests.factories import RoutineFactory, RoutineStepFactory

    RoutineStepFactory(routine=RoutineFactory(user=user))
    with django_assert_max_num_queries(4):
        assert len(auth_client.get(f"/api/v1/routine/user/{user.pk}").json()) == 1
    for _ in range(19):
        RoutineStepFactory(routine=RoutineFactory(user=user))
    with django_assert_max_num_queries(4):
        assert len(auth_client.get(f"/api/v1/routine/user/{user.pk}").json()) == 20


# --- J6 ------------------------------------------------------------------------------------------------
def test_progress_update_and_metrics(auth_client, user):
    response = auth_client.post(
        "/api/v1/progress/update",
        {"user_id": str(user.pk), "metric": "Skin clarity", "value": 7, "notes": "Fewer spots"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["metric"] == "skin_clarity" and response.json()["success"] is True
    metrics = auth_client.get(f"/api/v1/progress/metrics?user_id={user.pk}").json()["metrics"]
    assert metrics[0]["metric"] == "skin_clarity" and metrics[0]["points"][0]["notes"] == "Fewer spots"
    bad = auth_client.post("/api/v1/progress/update", {"metric": "x", "value": "lots"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()["errors"]


# --- J7 ------------------------------------------------------------------------------------------------
def test_push_into_the_own_inbox(auth_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/api/v1/notifications/push",
            {"user_id": str(user.pk), "title": "Routine time", "body": "Evening", "type": "reminder"},
            format="json",
        )
    assert response.status_code == 200, response.content
    notification = user.notifications.get()
    assert notification.kind == "client.reminder" and notification.title == "Routine time"
    assert response.json()["notification_id"] == str(notification.pk)
    inbox = auth_client.get(f"/api/v1/notifications?user_id={user.pk}")
    assert inbox.status_code == 200 and inbox.json()["results"][0]["id"] == str(notification.pk)
    bad = auth_client.post("/api/v1/notifications/push", {"title": "x", "type": "no spaces!"}, format="json")
    assert bad.status_code == 400 and "type" in bad.json()["errors"]


# --- J8 ------------------------------------------------------------------------------------------------
def test_available_slots_and_booking(auth_client, user):
    derm = dermatologist(tz="UTC")
    free = slot(derm, hours_ahead=48)
    day = free.starts_at.date().isoformat()
    listing = auth_client.get(f"/api/v1/dermatologist/available?date={day}")
    assert listing.status_code == 200 and isinstance(listing.json(), list)
    (offered,) = listing.json()
    assert offered["slot_id"] == str(free.pk) and offered["dermatologist_name"] == derm.display_name
    assert offered["start_time"] == free.starts_at.strftime("%H:%M") and offered["duration_minutes"] == 30
    booked = auth_client.post(
        "/api/v1/dermatologist/book",
        {"user_id": str(user.pk), "slot_id": offered["slot_id"], "reason": "Redness"},
        format="json",
    )
    assert booked.status_code == 200, booked.content
    assert booked.json()["consultation_id"] == str(user.consultations.get().pk)
    assert auth_client.get(f"/api/v1/dermatologist/available?date={day}").json() == []  # taken now
    again = auth_client.post(
        "/api/v1/dermatologist/book", {"slot_id": offered["slot_id"], "reason": "Redness"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    assert auth_client.get("/api/v1/dermatologist/available").status_code == 400


def test_available_slots_without_n_plus_one(auth_client, django_assert_max_num_queries):
    derms = [dermatologist(name=f"Dr Q{i} Name", tz="UTC") for i in range(4)]
    now = timezone.now()  # the slots start at noon UTC in two days, so that none of them crosses midnight
    base = ((now + dt.timedelta(days=2)).replace(hour=12, minute=0, second=0, microsecond=0) - now).total_seconds()
    base /= 3600
    first = slot(derms[0], hours_ahead=base)
    day = first.starts_at.date().isoformat()
    with django_assert_max_num_queries(3):
        assert len(auth_client.get(f"/api/v1/dermatologist/available?date={day}").json()) == 1
    for i in range(19):
        slot(derms[i % 4], hours_ahead=base + (i // 4 + 1) * 0.5)
    with django_assert_max_num_queries(3):
        listing = auth_client.get(f"/api/v1/dermatologist/available?date={day}").json()
    from consultations.models import AvailabilitySlot

    on_day = [s for s in AvailabilitySlot.objects.all() if s.starts_at.date().isoformat() == day]
    assert len(listing) == len(on_day) >= 10  # (20 unless the test runs near midnight UTC)
