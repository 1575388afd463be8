"""Consultations API: free slots by date, booking, detail with the note, cancel, reschedule. 401 anonymous, 404 for
another person's consultation, 400 with a code, lists without N+1."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from consultations import services

from .factories import dermatologist, done_analysis, slot

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(api_client):
    some = uuid.uuid4()
    for method, path in [
        ("get", "/api/v1/consultations"),
        ("post", "/api/v1/consultations"),
        ("get", "/api/v1/consultations/dermatologists"),
        ("get", "/api/v1/consultations/slots?date=2030-01-01"),
        ("get", f"/api/v1/consultations/{some}"),
        ("post", f"/api/v1/consultations/{some}/cancel"),
        ("post", f"/api/v1/consultations/{some}/reschedule"),
    ]:
        response = getattr(api_client, method)(path, {}, format="json") if method == "post" else api_client.get(path)
        assert response.status_code == 401, (method, path)


def test_free_slots_in_the_persons_timezone(auth_client, user, django_assert_max_num_queries):
    user.profile.timezone = "America/Sao_Paulo"
    user.profile.save()
    derm = dermatologist(tz="Europe/Lisbon")
    day = dt.date.today() + dt.timedelta(days=6)
    services.slots_publish(
        dermatologist=derm,
        start_date=day,
        end_date=day,
        weekdays=[day.weekday()],
        day_start=dt.time(9),
        day_end=dt.time(19),
        minutes=30,
    )
    with django_assert_max_num_queries(4):
        response = auth_client.get(f"/api/v1/consultations/slots?date={day.isoformat()}&page_size=1")
    assert response.json()["count"] == 20 and len(response.json()["results"]) == 1
    with django_assert_max_num_queries(4):
        response = auth_client.get(f"/api/v1/consultations/slots?date={day.isoformat()}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 20
    first = body["results"][0]
    assert first["dermatologist"]["display_name"] == derm.display_name
    assert first["duration_minutes"] == 30
    assert first["local_starts_at"].startswith(f"{day.isoformat()}T0")  # 09:00 Lisbon is early morning in São Paulo
    assert first["local_starts_at"].endswith("-03:00")
    # with ?tz= the same slots are shown on the day asked for in that timezone
    assert auth_client.get(f"/api/v1/consultations/slots?date={day.isoformat()}&tz=Europe/Lisbon").json()["count"] == 20


def test_free_slots_bad_input(auth_client):
    for query, field in [("", "date"), ("date=tomorrow", "date"), ("date=2030-01-01&tz=Mars/Base", "tz")]:
        response = auth_client.get(f"/api/v1/consultations/slots?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"] and field in response.json()["errors"]


def test_book_read_and_cancel(auth_client, user, other_client):
    derm = dermatologist()
    free = slot(derm, hours_ahead=60)
    analysis = done_analysis(user)
    response = auth_client.post(
        "/api/v1/consultations",
        {"slot": str(free.pk), "reason": "Redness on both cheeks", "share_analysis": str(analysis.pk)},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "booked" and body["shared_analysis"] == str(analysis.pk) and body["has_shared_material"]
    assert body["can_cancel"] is True and body["meeting_link"]
    url = f"/api/v1/consultations/{body['id']}"
    # Another person: 404 for reading, cancelling and moving it
    assert other_client.get(url).status_code == 404
    assert other_client.post(url + "/cancel", {}, format="json").status_code == 404
    assert other_client.post(url + "/reschedule", {"slot": str(slot(derm).pk)}, format="json").status_code == 404
    # The note the dermatologist writes is read in the app
    services.consultation_update_by_dermatologist(
        consultation=services.Consultation.objects.get(pk=body["id"]), note="Try azelaic acid."
    )
    assert auth_client.get(url).json()["note"] == "Try azelaic acid."
    cancelled = auth_client.post(url + "/cancel", {"reason": "Feeling better"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = auth_client.post(url + "/cancel", {}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "consultation_not_booked"


def test_book_errors_have_codes(auth_client, other_user):
    derm = dermatologist()
    free = slot(derm)
    services.consultation_book(user=other_user, slot_id=free.pk, reason="Acne")
    taken = auth_client.post("/api/v1/consultations", {"slot": str(free.pk), "reason": "Acne"}, format="json")
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"
    missing = auth_client.post("/api/v1/consultations", {"slot": str(uuid.uuid4()), "reason": "Acne"}, format="json")
    assert missing.status_code == 404 and missing.json()["code"] == "slot_not_found"
    invalid = auth_client.post("/api/v1/consultations", {"slot": "x"}, format="json")
    assert invalid.status_code == 400 and set(invalid.json()["errors"]) == {"slot", "reason"}
    theirs = done_analysis(other_user)
    response = auth_client.post(
        "/api/v1/consultations",
        {"slot": str(slot(derm, hours_ahead=90).pk), "reason": "Acne", "share_analysis": str(theirs.pk)},
        format="json",
    )
    assert response.status_code == 404  # someone else's analysis is not yours to share


def test_reschedule(auth_client, user):
    derm = dermatologist()
    consultation = services.consultation_book(user=user, slot_id=slot(derm, hours_ahead=48).pk, reason="Acne")
    target = slot(derm, hours_ahead=100)
    response = auth_client.post(
        f"/api/v1/consultations/{consultation.pk}/reschedule", {"slot": str(target.pk)}, format="json"
    )
    assert response.status_code == 200 and response.json()["slot"] == str(target.pk)
    assert response.json()["reschedule_count"] == 1


def test_lists_without_n_plus_one(auth_client, user, django_assert_max_num_queries):
    derms = [dermatologist(name=f"Dr N{i} Name") for i in range(3)]
    services.consultation_book(user=user, slot_id=slot(derms[0]).pk, reason="Acne")
    with django_assert_max_num_queries(4):
        assert auth_client.get("/api/v1/consultations").json()["count"] == 1
    with django_assert_max_num_queries(4):
        assert auth_client.get("/api/v1/consultations/dermatologists").json()["count"] == 3
    for i in range(19):
        consultation = services.consultation_book(
            user=user, slot_id=slot(derms[i % 3], hours_ahead=30 + 2 * i).pk, reason="Acne"
        )
        services.consultation_cancel(consultation=consultation, by="staff")
    with django_assert_max_num_queries(4):
        assert auth_client.get("/api/v1/consultations").json()["count"] == 20


# --- the dermatologist's side --------------------------------------------------------------------------------
@pytest.fixture
def derm_client(db):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from skincare.core.roles import roles_create

    roles_create()
    derm = dermatologist(tz="Europe/Lisbon")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(derm.user).access_token}")
    client.derm = derm
    return client


def test_schedule_needs_the_role(auth_client, api_client):
    assert api_client.get("/api/v1/consultations/schedule").status_code == 401
    for method, path in [
        ("get", "/api/v1/consultations/schedule"),
        ("post", "/api/v1/consultations/schedule/slots"),
        ("get", f"/api/v1/consultations/schedule/{uuid.uuid4()}"),
    ]:
        response = getattr(auth_client, method)(path)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied", path


def test_the_dermatologist_publishes_reads_the_shared_material_and_writes_a_note(derm_client, user):
    derm = derm_client.derm
    day = dt.date.today() + dt.timedelta(days=8)
    published = derm_client.post(
        "/api/v1/consultations/schedule/slots",
        {
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "weekdays": [day.weekday()],
            "day_start": "09:00",
            "day_end": "10:00",
            "minutes": 20,
        },
        format="json",
    )
    assert published.status_code == 201 and published.json()["created"] == 3
    bad = derm_client.post("/api/v1/consultations/schedule/slots", {"minutes": 5}, format="json")
    assert bad.status_code == 400 and "minutes" in bad.json()["errors"]

    analysis = done_analysis(user, image="analyses/shared.jpg")
    slot_id = services.AvailabilitySlot.objects.filter(dermatologist=derm).order_by("starts_at").first().pk
    consultation = services.consultation_book(user=user, slot_id=slot_id, reason="Spots", share_analysis_id=analysis.pk)
    listing = derm_client.get("/api/v1/consultations/schedule").json()
    assert listing["count"] == 1 and listing["results"][0]["person"]["first_name"] == user.first_name
    assert "email" not in listing["results"][0]["person"]
    assert listing["results"][0]["local_starts_at"].startswith(f"{day.isoformat()}T09:00")
    url = f"/api/v1/consultations/schedule/{consultation.pk}"
    detail = derm_client.get(url).json()
    assert detail["sharing_open"] is True and detail["shared"]["analysis"]["overall_score"] == 70
    assert "/media/s/" in detail["shared"]["analysis"]["image_url"]
    noted = derm_client.post(url, {"note": "Niacinamide 5% twice a day."}, format="json")
    assert noted.status_code == 200 and noted.json()["note"] == "Niacinamide 5% twice a day."
    # Once held, the shared material is closed
    services.Consultation.objects.filter(pk=consultation.pk).update(status="completed")
    closed = derm_client.get(url).json()
    assert closed["shared"] is None and closed["sharing_open"] is False
    # Another dermatologist's booking: 404
    other = dermatologist(name="Dr B Two")
    theirs = services.consultation_book(user=user, slot_id=slot(other, hours_ahead=300).pk, reason="Acne")
    assert derm_client.get(f"/api/v1/consultations/schedule/{theirs.pk}").status_code == 404
    assert (
        derm_client.post(f"/api/v1/consultations/schedule/{theirs.pk}", {"note": "x"}, format="json").status_code == 404
    )
