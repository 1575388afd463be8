"""Verified access tokens are remembered per process (accounts.authentication._verified): only their expiry is checked
again, and nothing that fails verification is remembered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts import authentication

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"


@pytest.fixture(autouse=True)
def _fresh():
    authentication._verified.cache_clear()
    yield
    authentication._verified.cache_clear()


def _client(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_second_request_does_not_verify_the_token_again(user):
    client = _client(AccessToken.for_user(user))
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200
    info = authentication._verified.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_a_remembered_token_is_refused_once_it_expires(user, monkeypatch):
    token = AccessToken.for_user(user)
    client = _client(token)
    assert client.get(ME).status_code == 200
    later = authentication.aware_utcnow() + token.lifetime + timedelta(seconds=1)
    monkeypatch.setattr(authentication, "aware_utcnow", lambda: later)
    monkeypatch.setattr("rest_framework_simplejwt.tokens.aware_utcnow", lambda: later)
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_forged_token_is_refused_every_time_and_not_remembered(user):
    good = str(AccessToken.for_user(user))
    header, payload, signature = good.split(".")
    forged = _client(f"{header}.{payload}.{signature[::-1]}")
    for _ in range(2):
        response = forged.get(ME)
        assert response.status_code == 401
        assert response.json()["code"] == "token_not_valid"
    assert authentication._verified.cache_info().currsize == 0


def test_changed_jwt_settings_forget_what_was_verified(user, settings):
    assert _client(AccessToken.for_user(user)).get(ME).status_code == 200
    assert authentication._verified.cache_info().currsize == 1
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "JTI_CLAIM": "jti"}
    assert authentication._verified.cache_info().currsize == 0
