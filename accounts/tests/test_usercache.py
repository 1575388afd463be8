"""The JWT user from the cache (accounts.usercache): no query for it, and every change seen at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import password_reset_confirm
from accounts.tokens import password_reset_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on(settings):
    settings.AUTH_USER_CACHE_SECONDS = 60
    settings.READ_CACHE_SECONDS = 0  # measure the authentication alone


def _user_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/notifications").status_code == 200
    return sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def test_the_second_request_does_not_read_the_user(auth_client):
    assert _user_queries(auth_client) == 1
    assert _user_queries(auth_client) == 0


def test_deactivation_stops_the_next_request(auth_client, user):
    auth_client.get("/api/v1/auth/me")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert auth_client.get("/api/v1/auth/me").status_code == 401


def test_deletion_stops_the_next_request(auth_client, user):
    auth_client.get("/api/v1/auth/me")
    User.objects.filter(pk=user.pk).delete()
    assert auth_client.get("/api/v1/auth/me").status_code == 401


def test_a_profile_change_is_seen_at_once(auth_client, user):
    auth_client.get("/api/v1/auth/me")
    user.profile.language = "es"
    user.profile.save()
    assert auth_client.get("/api/v1/auth/me")["Content-Language"] == "es"


def test_an_update_that_bypasses_signals_forgets_the_copy(auth_client, user, settings):
    from django.utils.http import urlsafe_base64_encode

    user.email_verified = False
    user.save()
    assert auth_client.get("/api/v1/auth/me").json()["email_verified"] is False
    uid = urlsafe_base64_encode(str(user.pk).encode())
    password_reset_confirm(uidb64=uid, token=password_reset_token.make_token(user), new_password="An0ther-Pass-2026!")
    assert auth_client.get("/api/v1/auth/me").json()["email_verified"] is True
