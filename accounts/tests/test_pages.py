"""Pages with the Django test client: sign up, sign in/out, profile, password reset, email, account."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import Consent, Profile, User
from accounts.tests.conftest import link_parts

pytestmark = pytest.mark.django_db


def signup_data(**extra):
    data = {
        "email": "page@example.com",
        "first_name": "Page",
        "last_name": "Person",
        "password1": "a-Long-pass-9",
        "password2": "a-Long-pass-9",
        "accept_terms": "on",
    }
    data.update(extra)
    return data


def profile_data(**extra):
    data = {
        "first_name": "Ann",
        "last_name": "Lee",
        "phone": "",
        "skin_type": "dry",
        "concerns": ["acne", "texture"],
        "allergies": "limonene, Lanolin",
        "birth_year": "1988",
        "budget": "high",
        "preferences": ["vegan"],
        "timezone": "Asia/Tokyo",
        "language": "en",
        "reminder_am": "06:30",
        "reminder_pm": "22:00",
        "max_steps": "",
        "photo_analysis_consent": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- sign up ------------------------------------------------------------------------------------------
def test_signup_page_renders_accessible_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("email", "password1", "password2", "accept_terms"):
        assert f'for="id_{field}"' in html
    assert 'aria-describedby="id_password1_helptext"' in html


def test_signup_creates_account_logs_in_and_records_consent(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get(email="page@example.com")
    assert set(Consent.objects.filter(user=user).values_list("kind", flat=True)) == {"terms", "privacy"}
    assert len(mail.outbox) == 1
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_without_terms_shows_the_error(client):
    response = client.post(reverse("accounts:signup"), signup_data(accept_terms=""))
    assert response.status_code == 400
    assert "Accept the terms" in response.content.decode()
    assert not User.objects.filter(email="page@example.com").exists()


def test_signup_errors_are_friendly(client, user):
    response = client.post(reverse("accounts:signup"), signup_data(email=user.email, password2="different-9A"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "already exists" in html or "differ" in html
    response = client.post(reverse("accounts:signup"), signup_data(password1="12345678", password2="12345678"))
    assert "too common" in response.content.decode() or "entirely numeric" in response.content.decode()


# --- sign in / out ---------------------------------------------------------------------------------------
def test_login_and_logout(client, user, password):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_wrong_password_message(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=2)
def test_login_page_shares_the_lockout(client, api_client, user, password):
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": password})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed attempts" in response.content.decode()
    # The API sees the same lock (same account and address).
    api = api_client.post("/api/v1/auth/login", {"email": user.email, "password": password}, format="json")
    assert api.json()["code"] == "account_locked"


# --- profile --------------------------------------------------------------------------------------------
def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_all_fields(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    for name in (
        "skin_type",
        "concerns_0",
        "allergies",
        "pregnant_or_nursing",
        "birth_year",
        "budget",
        "preferences_0",
        "timezone",
        "language",
        "reminder_am",
        "reminder_pm",
        "max_steps",
        "photo_analysis_consent",
    ):
        assert f'id="id_{name}"' in html, name


def test_profile_save(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.skin_type == "dry"
    assert profile.concerns == ["acne", "texture"]
    assert profile.allergies == ["limonene", "Lanolin"]
    assert profile.timezone == "Asia/Tokyo"
    assert profile.reminder_times == {"am": "06:30", "pm": "22:00"}
    assert profile.birth_year == 1988
    user.refresh_from_db()
    assert user.first_name == "Ann"
    assert Consent.objects.get(user=user, kind="photo_analysis").granted is True
    # Saving again without a change does not add another consent record.
    client.post(reverse("accounts:profile"), profile_data())
    assert Consent.objects.filter(user=user, kind="photo_analysis").count() == 1
    # Withdrawing is recorded.
    client.post(reverse("accounts:profile"), profile_data(photo_analysis_consent=None))
    assert Consent.objects.filter(user=user, kind="photo_analysis").first().granted is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "Select a valid choice"),
        ("birth_year", "1850", "birth year between"),
        ("phone", "12", "international format"),
        ("reminder_am", "7 in the morning", "Enter a valid time"),
        ("concerns", ["warts"], "Select a valid choice"),
    ],
)
def test_profile_validation_errors_are_shown(client, user, field, value, message):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), profile_data(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert Profile.objects.get(user=user).timezone == "UTC"


def test_profile_phone_of_another_account_gets_the_same_answer(client, user, other_user):
    """The page says nothing about whose number it is: it waits for its code, as any new number does."""
    other_user.phone = "+33612345678"
    other_user.save()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), profile_data(phone="+33612345678"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "used by another account" not in html and "Confirm +33612345678" in html
    user.refresh_from_db()
    assert (user.phone, user.phone_pending) == (None, "+33612345678")


# --- password reset pages ----------------------------------------------------------------------------------
def test_password_reset_pages_full_flow(client, user, django_capture_on_commit_callbacks):
    from rest_framework_simplejwt.tokens import RefreshToken

    refresh = str(RefreshToken.for_user(user))
    assert client.get(reverse("accounts:password-reset")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert client.get(response["Location"]).status_code == 200
    body = mail.outbox[0].body
    uid, token = link_parts(body)
    link = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    assert link in body

    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "brand-New-pass-42", "new_password2": "brand-New-pass-42"})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("brand-New-pass-42")
    from rest_framework.test import APIClient

    assert APIClient().post("/api/v1/auth/refresh", {"refresh": refresh}, format="json").status_code == 401


def test_password_reset_page_unknown_email_same_answer(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_password_reset_bad_link(client, user):
    from accounts.tokens import uid_encode

    url = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid_encode(user), "token": "bad-token"})
    assert "no longer works" in client.get(url).content.decode()


def test_password_change_page_revokes_tokens(client, user, password):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    refresh = str(RefreshToken.for_user(user))
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": "brand-New-pass-42", "new_password2": "brand-New-pass-42"},
    )
    assert response.status_code == 302
    assert APIClient().post("/api/v1/auth/refresh", {"refresh": refresh}, format="json").status_code == 401


# --- email verification ------------------------------------------------------------------------------------
def test_verify_email_landing(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verify-email-send"))
    uid, token = link_parts(mail.outbox[0].body)
    response = client.get(reverse("accounts:verify-email", kwargs={"uidb64": uid, "token": token}))
    assert response.status_code == 200
    assert "Your email is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified


def test_verify_email_bad_link(client, user):
    from accounts.tokens import uid_encode

    response = client.get(reverse("accounts:verify-email", kwargs={"uidb64": uid_encode(user), "token": "x-y"}))
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


# --- account export and delete pages -------------------------------------------------------------------------
def test_export_page_downloads_a_zip(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:account-export"))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "export.json" in archive.namelist()


def test_delete_page(client, user, password, django_capture_on_commit_callbacks):
    client.force_login(user)
    response = client.post(reverse("accounts:account-delete"), {"password": "wrong"})
    assert response.status_code == 400
    assert "not correct" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:account-delete"), {"password": password})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
