"""A signed-in person's limits (skincare.core.throttling): counted where the authenticator reads the person (on Redis
in the request's one round trip, `count_at_authentication`) and refused where DRF checks the throttles."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"
SCAN = "/api/v1/ingredients/scan"


def test_a_person_over_their_own_limit_is_refused_and_another_is_not(auth_client, other_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    assert [auth_client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    refused = auth_client.get(ME)
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert other_client.get(ME).status_code == 200  # their own window, on the same address


def test_a_scoped_limit_counts_the_person_when_signed_in(auth_client, other_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "upload", "2/min")

    def scan(client):
        junk = SimpleUploadedFile("label.png", io.BytesIO(b"not an image").getvalue(), content_type="image/png")
        return client.post(SCAN, {"file": junk}, format="multipart").status_code

    assert [scan(auth_client) for _ in range(3)] == [400, 400, 429]
    assert scan(other_client) == 400


def test_a_token_of_a_deactivated_person_is_refused_at_once(auth_client, user):
    assert auth_client.get(ME).status_code == 200  # the person is cached now
    user.is_active = False
    user.save()
    refused = auth_client.get(ME)
    assert refused.status_code == 401


def test_the_counting_script_is_loaded_again_after_redis_forgets_it(auth_client, monkeypatch):
    from skincare.core.throttling import _redis_client

    client = _redis_client("x")
    if client is None:
        pytest.skip("the cache is not Redis (REDIS_URL unset): no script")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/min")
    assert auth_client.get(ME).status_code == 200
    client.script_flush()  # as after a restart of Redis
    assert auth_client.get(ME).status_code == 200
    assert auth_client.get(ME).status_code == 429  # and both were counted
