"""Auth and account API: success, anonymous 401, bad input 400 with a code, for every endpoint."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import Consent, Profile, User
from accounts.tests.conftest import link_parts

pytestmark = pytest.mark.django_db


def login(client, email, password, **extra):
    return client.post("/api/v1/auth/login", {"email": email, "password": password}, format="json", **extra)


# --- register ------------------------------------------------------------------------------------------
def test_register_creates_user_profile_consents_and_sends_verification(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/auth/register",
            {"email": "New.Person@Example.com", "password": "a-Long-pass-9", "first_name": "Ada"},
            format="json",
        )
    assert response.status_code == 201
    body = response.json()
    # ours, plus the original mobile client's fields (SEED_CLIENT.md; skincare/seed_api)
    seed = {"access_token", "refresh_token", "token_type", "expires_in", "user_id", "message"}
    assert set(body) == {"user", "access", "refresh"} | seed
    assert body["user"]["email"] == "new.person@example.com"
    assert body["user"]["first_name"] == "Ada"
    assert body["user"]["profile"]["timezone"] == "UTC"
    user = User.objects.get(email="new.person@example.com")
    assert Profile.objects.filter(user=user).exists()
    assert set(Consent.objects.filter(user=user, granted=True).values_list("kind", flat=True)) == {"terms", "privacy"}
    assert len(mail.outbox) == 1 and "Confirm your email" in mail.outbox[0].subject
    # The tokens work.
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert me.get("/api/v1/auth/me").json()["id"] == str(user.id)


def test_register_duplicate_email_400(api_client, user):
    response = api_client.post(
        "/api/v1/auth/register", {"email": user.email.upper(), "password": "a-Long-pass-9"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"


def test_register_weak_password_400(api_client):
    response = api_client.post("/api/v1/auth/register", {"email": "x@example.com", "password": "12345678"})
    assert response.status_code == 400
    assert response.json()["code"] == "weak_password"
    assert "password" in response.json()["errors"]


def test_register_missing_fields_400(api_client):
    response = api_client.post("/api/v1/auth/register", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["errors"]) == {"email", "password"}


def test_register_refusing_terms_400(api_client):
    response = api_client.post(
        "/api/v1/auth/register",
        {"email": "x@example.com", "password": "a-Long-pass-9", "accept_terms": False},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "terms_not_accepted"
    assert not User.objects.filter(email="x@example.com").exists()


# --- login, lockout, throttling ----------------------------------------------------------------------------
def test_login_success(api_client, user, password):
    response = login(api_client, user.email, password)
    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(user.id)
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_wrong_password_401(api_client, user):
    response = login(api_client, user.email, "wrong-password")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_login_unknown_email_401_same_code(api_client):
    response = login(api_client, "nobody@example.com", "whatever-123")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_login_missing_password_400(api_client, user):
    response = api_client.post("/api/v1/auth/login", {"email": user.email}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_SECONDS=600)
def test_lockout_after_failed_logins_answers_429_with_retry_after(api_client, user, password):
    with time_machine.travel("2026-01-01 10:00:00+00:00", tick=False) as traveller:
        for _ in range(3):
            assert login(api_client, user.email, "wrong").status_code == 401
        # Locked now: even the right password is refused.
        response = login(api_client, user.email, password)
        assert response.status_code == 429
        assert response.json()["code"] == "account_locked"
        assert 0 < int(response["Retry-After"]) <= 600

        # Another address is not locked out (account + IP).
        assert login(api_client, user.email, password, REMOTE_ADDR="10.9.8.7").status_code == 200

        traveller.shift(601)
        assert login(api_client, user.email, password).status_code == 200


def test_successful_login_resets_the_failure_count(api_client, user, password, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(2):
        login(api_client, user.email, "wrong")
    assert login(api_client, user.email, password).status_code == 200
    for _ in range(2):
        login(api_client, user.email, "wrong")
    assert login(api_client, user.email, password).status_code == 200


def test_login_throttle_answers_429_with_retry_after(api_client, settings):
    from rest_framework.throttling import SimpleRateThrottle

    limit = int(SimpleRateThrottle.THROTTLE_RATES["login"].split("/")[0])
    codes = [login(api_client, f"p{i}@example.com", "x").status_code for i in range(limit + 1)]
    assert codes[:limit] == [401] * limit
    response = login(api_client, "last@example.com", "x")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


# --- refresh and logout ------------------------------------------------------------------------------------
def _pair(api_client, user, password):
    return login(api_client, user.email, password).json()


def test_refresh_rotates_and_refuses_the_old_token(api_client, user, password):
    pair = _pair(api_client, user, password)
    response = api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 200
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != pair["refresh"]

    again = api_client.post("/api/v1/auth/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.json()["code"] == "token_not_valid"
    # The rotated one works once.
    assert api_client.post("/api/v1/auth/refresh", {"refresh": new["refresh"]}, format="json").status_code == 200


def test_refresh_garbage_401_and_missing_400(api_client):
    assert api_client.post("/api/v1/auth/refresh", {"refresh": "garbage"}, format="json").status_code == 401
    response = api_client.post("/api/v1/auth/refresh", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_refresh_with_an_expired_access_header_still_works(api_client, user, password):
    pair = _pair(api_client, user, password)
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")
    assert api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json").status_code == 200


def test_logout_kills_the_refresh_token(api_client, user, password):
    pair = _pair(api_client, user, password)
    response = api_client.post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204
    refused = api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json")
    assert refused.status_code == 401


def test_logout_bad_token_400_and_missing_400(api_client):
    response = api_client.post("/api/v1/auth/logout", {"refresh": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "token_not_valid"
    assert api_client.post("/api/v1/auth/logout", {}, format="json").json()["code"] == "validation_error"


# --- me, profile ---------------------------------------------------------------------------------------
def test_me(auth_client, user):
    response = auth_client.get("/api/v1/auth/me")
    assert response.status_code == 200
    body = response.json()
    assert {"id", "email", "first_name", "last_name", "date_joined", "profile"} <= set(body)
    assert set(body["profile"]) >= {
        "skin_type",
        "concerns",
        "allergies",
        "pregnant_or_nursing",
        "birth_year",
        "budget",
        "preferences",
        "timezone",
        "language",
        "reminder_times",
    }


def test_me_anonymous_401(api_client):
    response = api_client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_creates_a_missing_profile(api_client):
    bare = User.objects.create_user(email="bare@example.com", password="a-Long-pass-9")
    api_client.force_authenticate(bare)
    assert api_client.get("/api/v1/auth/me").json()["profile"]["budget"] == "medium"


def test_me_patch_names_and_phone(auth_client, user):
    """Names change at once; a number waits for its code (accounts/tests/test_phone_verification.py)."""
    response = auth_client.patch("/api/v1/auth/me", {"first_name": "Zoé", "phone": "+33 6 12 34 56 78"}, format="json")
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["phone_pending"]) == (None, "+33612345678")
    user.refresh_from_db()
    assert user.first_name == "Zoé"


def test_me_patch_bad_phone_400(auth_client):
    response = auth_client.patch("/api/v1/auth/me", {"phone": "12"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"


def test_me_patch_with_another_accounts_phone_answers_as_for_a_free_one(auth_client, other_user):
    """No `phone_taken`: it told anyone whether a number belongs to an account."""
    other_user.phone = "+33612345678"
    other_user.save()
    response = auth_client.patch("/api/v1/auth/me", {"phone": "+33612345678"}, format="json")
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["phone_pending"]) == (None, "+33612345678")


def test_profile_patch(auth_client, user):
    payload = {
        "skin_type": "combination",
        "concerns": ["acne", "redness", "acne"],
        "allergies": ["Limonene", " lanolin "],
        "birth_year": 1990,
        "budget": "low",
        "preferences": ["vegan"],
        "timezone": "Europe/Paris",
        "reminder_times": {"am": "06:45", "pm": "22:10"},
    }
    response = auth_client.patch("/api/v1/auth/profile", payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["concerns"] == ["acne", "redness"]
    assert body["allergies"] == ["Limonene", "lanolin"]
    profile = Profile.objects.get(user=user)
    assert profile.timezone == "Europe/Paris"
    assert profile.reminder_times == {"am": "06:45", "pm": "22:10"}


def test_profile_put_replaces(auth_client, user):
    response = auth_client.put(
        "/api/v1/auth/profile/", {"skin_type": None, "budget": "high", "timezone": "America/New_York"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["budget"] == "high"


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "invalid_timezone", "timezone"),
        ({"concerns": ["acne", "warts"]}, "invalid_concern", "concerns"),
        ({"preferences": ["cheap"]}, "invalid_preference", "preferences"),
        ({"reminder_times": {"am": "7h", "pm": "21:30"}}, "invalid_reminder_times", "reminder_times"),
        ({"reminder_times": {"am": "07:00"}}, "invalid_reminder_times", "reminder_times"),
        ({"reminder_times": {"am": "25:00", "pm": "21:30"}}, "invalid_reminder_times", "reminder_times"),
        ({"birth_year": 1800}, "invalid_birth_year", "birth_year"),
        ({"birth_year": 2030}, "invalid_birth_year", "birth_year"),
        ({"budget": "unlimited"}, "validation_error", "budget"),
        ({"skin_type": "scaly"}, "validation_error", "skin_type"),
        ({"language": "e1"}, "invalid_language", "language"),
        ({"max_steps": 50}, "validation_error", "max_steps"),
        ({"quiet_hours": {"start": "22:00"}}, "invalid_quiet_hours", "quiet_hours"),
    ],
)
def test_profile_bad_input_400(auth_client, payload, code, field):
    response = auth_client.patch("/api/v1/auth/profile", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert field in body["errors"]


def test_profile_anonymous_401(api_client):
    assert api_client.patch("/api/v1/auth/profile", {"budget": "low"}, format="json").status_code == 401
    assert api_client.get("/api/v1/auth/profile").status_code == 401


# --- password reset, change ---------------------------------------------------------------------------------
def _refresh_ok(client, token) -> bool:
    return client.post("/api/v1/auth/refresh", {"refresh": token}, format="json").status_code == 200


def test_password_reset_is_202_for_known_and_unknown_emails(api_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = api_client.post("/api/v1/auth/password/reset", {"email": user.email}, format="json")
        unknown = api_client.post("/api/v1/auth/password/reset", {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_password_reset_bad_email_400(api_client):
    response = api_client.post("/api/v1/auth/password/reset", {"email": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_password_reset_confirm_kills_all_refresh_tokens(
    api_client, user, password, django_capture_on_commit_callbacks, relaxed_throttles
):
    phone_pair = _pair(api_client, user, password)
    laptop_pair = _pair(api_client, user, password)
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post("/api/v1/auth/password/reset", {"email": user.email}, format="json")
    uid, token = link_parts(mail.outbox[0].body)

    response = api_client.post(
        "/api/v1/auth/password/confirm",
        {"uid": uid, "token": token, "new_password": "brand-New-pass-42"},
        format="json",
    )
    assert response.status_code == 200
    assert not _refresh_ok(api_client, phone_pair["refresh"])
    assert not _refresh_ok(api_client, laptop_pair["refresh"])
    assert login(api_client, user.email, "brand-New-pass-42").status_code == 200
    # The link works once.
    again = api_client.post(
        "/api/v1/auth/password/confirm",
        {"uid": uid, "token": token, "new_password": "other-New-pass-43"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"


def test_password_confirm_bad_token_400(api_client, user):
    from accounts.tokens import uid_encode

    response = api_client.post(
        "/api/v1/auth/password/confirm",
        {"uid": uid_encode(user), "token": "abc-def", "new_password": "brand-New-pass-42"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    garbage = api_client.post(
        "/api/v1/auth/password/confirm", {"uid": "!!", "token": "x", "new_password": "brand-New-pass-42"}, format="json"
    )
    assert garbage.json()["code"] == "invalid_token"


def test_password_confirm_weak_password_400(api_client, user):
    from accounts.tokens import password_reset_token, uid_encode

    response = api_client.post(
        "/api/v1/auth/password/confirm",
        {"uid": uid_encode(user), "token": password_reset_token.make_token(user), "new_password": "123"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "weak_password"


def test_password_reset_throttle_429(api_client):
    from rest_framework.throttling import SimpleRateThrottle

    limit = int(SimpleRateThrottle.THROTTLE_RATES["password_reset"].split("/")[0])
    for i in range(limit):
        api_client.post("/api/v1/auth/password/reset", {"email": f"a{i}@example.com"}, format="json")
    response = api_client.post("/api/v1/auth/password/reset", {"email": "z@example.com"}, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_password_change_kills_all_refresh_tokens(api_client, user, password):
    old_pair = _pair(api_client, user, password)
    other_device = _pair(api_client, user, password)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {old_pair['access']}")
    response = api_client.post(
        "/api/v1/auth/password/change", {"old_password": password, "new_password": "brand-New-pass-42"}, format="json"
    )
    assert response.status_code == 200
    fresh = response.json()
    api_client.credentials()
    assert not _refresh_ok(api_client, old_pair["refresh"])
    assert not _refresh_ok(api_client, other_device["refresh"])
    assert _refresh_ok(api_client, fresh["refresh"])
    assert OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count() == 1


def test_password_change_wrong_old_password_400(auth_client):
    response = auth_client.post(
        "/api/v1/auth/password/change", {"old_password": "nope", "new_password": "brand-New-pass-42"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"


def test_password_change_anonymous_401(api_client):
    response = api_client.post("/api/v1/auth/password/change", {"old_password": "a", "new_password": "b"})
    assert response.status_code == 401


# --- email verification -----------------------------------------------------------------------------------
def test_email_verification_send_and_confirm(auth_client, api_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/api/v1/auth/email/verify")
    assert response.status_code == 202
    uid, token = link_parts(mail.outbox[0].body)
    assert "/verify-email/" in mail.outbox[0].body

    confirmed = api_client.post("/api/v1/auth/email/confirm", {"uid": uid, "token": token}, format="json")
    assert confirmed.status_code == 200
    user.refresh_from_db()
    assert user.email_verified is True


def test_email_verification_bad_token_400(api_client, user):
    from accounts.tokens import uid_encode

    response = api_client.post("/api/v1/auth/email/confirm", {"uid": uid_encode(user), "token": "x-y"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    assert api_client.post("/api/v1/auth/email/confirm", {}, format="json").json()["code"] == "validation_error"


def test_email_verification_send_anonymous_401(api_client):
    assert api_client.post("/api/v1/auth/email/verify").status_code == 401


# --- consents ----------------------------------------------------------------------------------------------
def test_consents_record_and_read(auth_client, user):
    response = auth_client.post("/api/v1/account/consents", {"kind": "photo_analysis", "granted": True}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "photo_analysis"
    state = {c["kind"]: c["granted"] for c in auth_client.get("/api/v1/account/consents").json()}
    assert state["photo_analysis"] is True
    auth_client.post("/api/v1/account/consents", {"kind": "photo_analysis", "granted": False}, format="json")
    state = {c["kind"]: c["granted"] for c in auth_client.get("/api/v1/account/consents").json()}
    assert state["photo_analysis"] is False
    assert Consent.objects.filter(user=user, kind="photo_analysis").count() == 2  # the history is kept


def test_consents_bad_kind_400(auth_client):
    response = auth_client.post("/api/v1/account/consents", {"kind": "selling_data", "granted": True}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_consents_anonymous_401(api_client):
    assert api_client.get("/api/v1/account/consents").status_code == 401


def test_refresh_for_a_user_deleted_elsewhere_is_401_not_500(api_client, user, password):
    pair = _pair(api_client, user, password)
    User.objects.filter(pk=user.pk).delete()  # e.g. by staff in the admin, tokens not blacklisted
    response = api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401


def test_refresh_for_a_deactivated_user_is_401(api_client, user, password):
    pair = _pair(api_client, user, password)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401
