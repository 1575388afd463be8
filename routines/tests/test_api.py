"""Routines and shelf API (API.md): success, 401 anonymous, 400 with a code, 404 for another user's object,
and list endpoints guarded against N+1."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from routines.models import Routine, RoutineStep, ShelfItem, StepCompletion

from .factories import RoutineFactory, RoutineStepFactory, ShelfItemFactory, small_catalog

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs=kw)


# --- create / list ------------------------------------------------------------------------------------------
def test_create_generates_both_routines(auth_client):
    small_catalog()
    response = auth_client.post("/api/v1/routine/create", {"budget": "low"}, format="json")
    assert response.status_code == 200, response.content
    routines = response.json()["routines"]
    assert [r["period"] for r in routines] == ["am", "pm"]
    am = routines[0]
    assert set(am) >= {"id", "name", "period", "is_active", "started_at", "steps", "warnings"}
    step = am["steps"][-1]
    assert step["category"] == "protect" and step["product"]["spf"] >= 30
    assert set(step) >= {"id", "order", "category", "product", "instructions", "wait_seconds", "days", "reason"}
    assert all(s["product"] is None or float(s["product"]["price"]) <= 20 for r in routines for s in r["steps"])


def test_create_one_period_with_trailing_slash(auth_client):
    response = auth_client.post("/api/v1/routine/create/", {"period": "pm", "max_steps": 3}, format="json")
    assert response.status_code == 200
    (pm,) = response.json()["routines"]
    assert pm["period"] == "pm" and len(pm["steps"]) <= 3


@pytest.mark.parametrize("body", [{"period": "noon"}, {"budget": "unlimited"}, {"max_steps": 0}, {"max_steps": "many"}])
def test_create_bad_input(auth_client, body):
    response = auth_client.post("/api/v1/routine/create", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and response.json()["errors"]


def test_anonymous_gets_401(api_client):
    some = uuid.uuid4()
    for method, path in [
        ("post", "/api/v1/routine/create"),
        ("get", "/api/v1/routine/my-routines"),
        ("get", f"/api/v1/routine/{some}"),
        ("patch", f"/api/v1/routine/{some}"),
        ("delete", f"/api/v1/routine/{some}"),
        ("post", f"/api/v1/routine/{some}/start"),
        ("post", f"/api/v1/routine/{some}/complete"),
        ("get", "/api/v1/shelf"),
        ("post", "/api/v1/shelf"),
        ("get", f"/api/v1/shelf/{some}"),
    ]:
        response = getattr(api_client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"


def test_my_routines_lists_only_mine_without_n_plus_one(auth_client, user, other_user, django_assert_max_num_queries):
    catalog = small_catalog()
    RoutineFactory(user=other_user)
    routine = RoutineFactory(user=user)
    RoutineStepFactory(routine=routine, product=catalog["cream"])
    with django_assert_max_num_queries(6):
        response = auth_client.get("/api/v1/routine/my-routines")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["id"] == str(routine.id)
    for _ in range(19):
        r = RoutineFactory(user=user)
        RoutineStepFactory(routine=r, product=catalog["cream"])
        RoutineStepFactory(routine=r, category="treat", product=catalog["retinol"])
    with django_assert_max_num_queries(6):
        response = auth_client.get("/api/v1/routine/my-routines?page_size=50")
    assert response.json()["count"] == 20 and len(response.json()["results"]) == 20


# --- detail / edit / delete ------------------------------------------------------------------------------------
def test_detail_with_adherence(auth_client, user):
    routine = RoutineFactory(user=user)
    RoutineStepFactory(routine=routine)
    response = auth_client.get(f"/api/v1/routine/{routine.id}")
    assert response.status_code == 200
    assert response.json()["adherence"]["rate"] is None  # not started: nothing scheduled


def test_other_users_routine_is_404(auth_client, other_user):
    routine = RoutineFactory(user=other_user)
    step = RoutineStepFactory(routine=routine)
    for method, path, body in [
        ("get", f"/api/v1/routine/{routine.id}", None),
        ("patch", f"/api/v1/routine/{routine.id}", {"name": "mine now"}),
        ("put", f"/api/v1/routine/{routine.id}", {"name": "mine now"}),
        ("delete", f"/api/v1/routine/{routine.id}", None),
        ("post", f"/api/v1/routine/{routine.id}/start", None),
        ("post", f"/api/v1/routine/{routine.id}/complete", {"step": str(step.id)}),
    ]:
        response = getattr(auth_client, method)(path, body, format="json")
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "routine_not_found"
    routine.refresh_from_db()
    assert routine.name != "mine now" and not routine.is_active
    assert not StepCompletion.objects.exists()


def test_patch_and_put_edit_the_routine(auth_client, user):
    catalog = small_catalog()
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine, category="cleanse")
    response = auth_client.patch(f"/api/v1/routine/{routine.id}", {"name": "Night"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Night"
    body = {
        "name": "Night v2",
        "steps": [
            {"id": str(step.id), "category": "cleanse", "days": [0, 2, 4]},
            {"category": "treat", "product": str(catalog["niacinamide"].id), "wait_seconds": 60},
        ],
    }
    response = auth_client.put(f"/api/v1/routine/{routine.id}", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["name"] == "Night v2"
    assert [(s["category"], s["days"]) for s in data["steps"]] == [
        ("cleanse", [0, 2, 4]),
        ("treat", [0, 1, 2, 3, 4, 5, 6]),
    ]
    assert data["steps"][1]["product"]["id"] == str(catalog["niacinamide"].id)
    assert data["steps"][1]["actives"] == ["niacinamide"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"steps": [{"category": "sing"}]}, "validation_error"),
        ({"steps": [{"category": "treat", "days": [9]}]}, "validation_error"),
        ({"steps": [{"category": "treat", "product": str(uuid.uuid4())}]}, "product_not_found"),
        ({"steps": [{"category": "protect"}]}, "protect_in_evening"),
        ({"steps": [{"id": str(uuid.uuid4()), "category": "treat"}]}, "step_not_found"),
        ({"name": ""}, "validation_error"),
    ],
)
def test_edit_bad_input(auth_client, user, body, code):
    routine = RoutineFactory(user=user, period="pm")
    response = auth_client.patch(f"/api/v1/routine/{routine.id}", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_delete(auth_client, user):
    routine = RoutineFactory(user=user)
    RoutineStepFactory(routine=routine)
    assert auth_client.delete(f"/api/v1/routine/{routine.id}/").status_code == 204
    assert not Routine.objects.exists() and not RoutineStep.objects.exists()
    assert auth_client.get(f"/api/v1/routine/{routine.id}").status_code == 404


# --- start / complete ------------------------------------------------------------------------------------
def test_start_schedules_reminders(auth_client, user):
    routine = RoutineFactory(user=user, period="am")
    response = auth_client.post(f"/api/v1/routine/{routine.id}/start")
    assert response.status_code == 200
    data = response.json()
    assert data["is_active"] is True and data["started_at"] and data["next_reminder_at"]


def test_complete_is_idempotent(auth_client, user):
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine)
    RoutineStepFactory(routine=routine, category="moisturize")
    for _ in range(2):
        response = auth_client.post(f"/api/v1/routine/{routine.id}/complete", {"step": str(step.id)}, format="json")
        assert response.status_code == 200
        assert response.json()["completed_steps"] == [str(step.id)]
        assert (response.json()["completed"], response.json()["total"], response.json()["done"]) == (1, 2, False)
    assert StepCompletion.objects.count() == 1


def test_complete_with_a_date(auth_client, user):
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = auth_client.post(
        f"/api/v1/routine/{routine.id}/complete", {"step": str(step.id), "date": yesterday}, format="json"
    )
    assert response.status_code == 200 and response.json()["date"] == yesterday


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "validation_error"),
        ({"step": "nope"}, 400, "validation_error"),
        ({"step": "STEP", "date": "2999-01-01"}, 400, "date_in_future"),
        ({"step": "STEP", "date": "yesterday"}, 400, "validation_error"),
        ({"step": str(uuid.uuid4())}, 404, "step_not_found"),
    ],
)
def test_complete_bad_input(auth_client, user, body, status, code):
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine)
    body = {k: (str(step.id) if v == "STEP" else v) for k, v in body.items()}
    response = auth_client.post(f"/api/v1/routine/{routine.id}/complete", body, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code


# --- shelf ---------------------------------------------------------------------------------------------
def test_shelf_create_and_list(auth_client, user, django_assert_max_num_queries):
    catalog = small_catalog()
    opened = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    response = auth_client.post(
        "/api/v1/shelf", {"product": str(catalog["cream"].id), "opened_on": opened, "pao_months": 1}, format="json"
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["product"]["id"] == str(catalog["cream"].id)
    assert item["status"] == "use_soon" and item["expires_on"] and item["days_left"] <= 11
    with django_assert_max_num_queries(5):
        listing = auth_client.get("/api/v1/shelf")
    assert listing.json()["count"] == 1
    for _ in range(19):
        ShelfItemFactory(user=user, product=catalog["spf50"])
    ShelfItemFactory()  # someone else's
    with django_assert_max_num_queries(5):
        listing = auth_client.get("/api/v1/shelf/")
    assert listing.json()["count"] == 20
    assert {r["status"] for r in listing.json()["results"]} >= {"fresh"}


def test_shelf_item_by_name_only_and_statuses(auth_client):
    today = dt.date.today()
    cases = [
        ({"name": "Old SPF", "best_before": (today - dt.timedelta(days=1)).isoformat()}, "expired"),
        ({"name": "New cream", "opened_on": today.isoformat(), "pao_months": 12}, "fresh"),
        ({"name": "Mystery"}, None),
    ]
    for body, status in cases:
        response = auth_client.post("/api/v1/shelf", body, format="json")
        assert response.status_code == 201
        assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "product_or_name_required"),
        ({"product": str(uuid.uuid4())}, "product_not_found"),
        ({"name": "x", "pao_months": 0}, "validation_error"),
        ({"name": "x", "opened_on": "last week"}, "validation_error"),
    ],
)
def test_shelf_bad_input(auth_client, body, code):
    response = auth_client.post("/api/v1/shelf", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_shelf_item_get_patch_delete(auth_client, user):
    item = ShelfItemFactory(user=user, opened_on=dt.date.today(), pao_months=12)
    assert auth_client.get(f"/api/v1/shelf/{item.id}").json()["status"] == "fresh"
    response = auth_client.patch(
        f"/api/v1/shelf/{item.id}", {"best_before": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "expired"
    assert auth_client.patch(f"/api/v1/shelf/{item.id}", {"pao_months": -1}, format="json").status_code == 400
    assert auth_client.delete(f"/api/v1/shelf/{item.id}").status_code == 204
    assert not ShelfItem.objects.exists()


def test_other_users_shelf_item_is_404(auth_client, other_user):
    item = ShelfItemFactory(user=other_user)
    for method in ("get", "patch", "delete"):
        response = getattr(auth_client, method)(f"/api/v1/shelf/{item.id}", {"name": "mine"}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "shelf_item_not_found"
    assert ShelfItem.objects.get().name != "mine"
