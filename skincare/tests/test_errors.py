"""Every error on an API path is the JSON envelope {"detail", "code"}: 400/401/404/405/413/415/429."""

from __future__ import annotations

import json
import uuid

import pytest
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "code", "errors"}
    return body


def test_404_unknown_api_path(client):
    assert_envelope(client.get("/api/v1/no/such/thing"), 404, "not_found")
    assert_envelope(client.post("/api/nothing-here", data="{}", content_type="application/json"), 404, "not_found")


def test_404_unknown_object(auth_client):
    assert_envelope(auth_client.post(f"/api/v1/notifications/{uuid.uuid4()}/read"), 404, "not_found")


def test_404_malformed_id_is_not_a_500(auth_client):
    assert_envelope(auth_client.post("/api/v1/notifications/not-a-uuid/read"), 404, "not_found")


def test_405_wrong_method(client, auth_client):
    assert_envelope(client.get("/api/v1/auth/login"), 405, "method_not_allowed")
    response = auth_client.delete("/api/v1/auth/me")
    assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_415_unsupported_media_type(client):
    response = client.post("/api/v1/auth/login", data="<login/>", content_type="application/xml")
    assert_envelope(response, 415, "unsupported_media_type")


def test_413_body_too_large(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    big = json.dumps({"email": "a" * 4000 + "@example.com", "password": "x"})
    assert_envelope(
        client.post("/api/v1/auth/login", data=big, content_type="application/json"), 413, "payload_too_large"
    )
    form = "email=" + "a" * 4000
    response = client.post("/api/v1/auth/login", data=form, content_type="application/x-www-form-urlencoded")
    assert_envelope(response, 413, "payload_too_large")


def test_429_throttled_with_retry_after(client):
    limit = int(SimpleRateThrottle.THROTTLE_RATES["login"].split("/")[0])
    for i in range(limit):  # different accounts, so the lockout does not answer first
        payload = json.dumps({"email": f"nobody{i}@example.com", "password": "x"})
        client.post("/api/v1/auth/login", data=payload, content_type="application/json", REMOTE_ADDR="198.51.100.7")
    response = client.post(
        "/api/v1/auth/login", data=payload, content_type="application/json", REMOTE_ADDR="198.51.100.7"
    )
    assert_envelope(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_429_lockout_with_retry_after(client, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    payload = json.dumps({"email": "someone@example.com", "password": "x"})
    for _ in range(2):
        client.post("/api/v1/auth/login", data=payload, content_type="application/json")
    response = client.post("/api/v1/auth/login", data=payload, content_type="application/json")
    assert_envelope(response, 429, "account_locked")
    assert int(response["Retry-After"]) > 0


def test_400_malformed_json_and_validation(client):
    response = client.post("/api/v1/auth/login", data="{oops", content_type="application/json")
    assert_envelope(response, 400, "parse_error")
    body = assert_envelope(
        client.post("/api/v1/auth/register", data="{}", content_type="application/json"), 400, "validation_error"
    )
    assert set(body["errors"]) == {"email", "password"}


def test_401_without_token(client):
    assert_envelope(client.get("/api/v1/auth/me"), 401, "not_authenticated")


def test_page_404_stays_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
