"""GDPR: export holds the profile and the files; deletion leaves no row and no file of the user."""

from __future__ import annotations

import io
import json
import types
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from accounts import selectors
from accounts.models import Consent, Notification, OtpCode, User
from accounts.services import consent_record, notification_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_file(user, monkeypatch):
    """A photo of `user` in default storage, declared by a test app through the gdpr convention."""
    from privacy.storage import owned_name

    name = default_storage.save(owned_name(user, "test-gdpr", ".jpg"), ContentFile(b"\xff\xd8fake-jpeg-bytes"))
    fake = types.SimpleNamespace(
        export=lambda u: {"photos": [name] if u.pk == user.pk else []},
        files=lambda u: [name] if u.pk == user.pk else [],
    )
    real = selectors.gdpr_providers
    monkeypatch.setattr(selectors, "gdpr_providers", lambda: [*real(), ("testphotos", fake)])
    yield name
    if default_storage.exists(name):
        default_storage.delete(name)


@pytest.fixture
def rich_user(user):
    user.phone = "+33611112222"
    user.save()
    user.profile.timezone = "Europe/Berlin"
    user.profile.concerns = ["acne"]
    user.profile.save()
    notification_create(user=user, kind="welcome", title="Welcome aboard")
    consent_record(user=user, kind="photo_analysis", granted=True)
    OtpCode.objects.create(phone=user.phone, code_hash="x" * 64, expires_at=user.date_joined)
    return user


def test_export_json_holds_profile_notifications_consents_and_files(auth_client, rich_user, stored_file):
    response = auth_client.get("/api/v1/account/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    accounts = body["apps"]["accounts"]
    assert accounts["user"]["email"] == rich_user.email
    assert accounts["profile"]["timezone"] == "Europe/Berlin"
    assert accounts["profile"]["concerns"] == ["acne"]
    assert [n["title"] for n in accounts["notifications"]] == ["Welcome aboard"]
    assert {c["kind"] for c in accounts["consents"]} == {"photo_analysis"}
    assert body["apps"]["testphotos"] == {"photos": [stored_file]}
    (entry,) = body["files"]
    assert {k: entry[k] for k in ("app", "name", "size")} == {"app": "testphotos", "name": stored_file, "size": 17}
    # The signed link serves the bytes.
    assert auth_client.get(entry["url"]).getvalue() == b"\xff\xd8fake-jpeg-bytes"
    # Every project app that follows the convention is included.
    assert {label for label, _ in selectors.gdpr_providers()} <= set(body["apps"])


def test_export_zip_holds_the_file_bytes(auth_client, rich_user, stored_file):
    response = auth_client.get("/api/v1/account/export?format=zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read(f"files/testphotos/{stored_file}") == b"\xff\xd8fake-jpeg-bytes"
    data = json.loads(archive.read("export.json"))
    assert data["apps"]["accounts"]["profile"]["timezone"] == "Europe/Berlin"


def test_export_by_accept_header(auth_client, rich_user):
    response = auth_client.get("/api/v1/account/export", HTTP_ACCEPT="application/zip")
    assert response["Content-Type"] == "application/zip"


def test_export_anonymous_401_is_json_even_for_zip(api_client):
    response = api_client.get("/api/v1/account/export?format=zip")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_export_unknown_format_404(auth_client):
    response = auth_client.get("/api/v1/account/export?format=xml")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _rows_referencing(user_id) -> dict[str, int]:
    """Every row of every model whose foreign key / one-to-one points at this user id."""
    user_model = apps.get_model("accounts", "User")
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is user_model:
                count = model._base_manager.filter(**{field.attname: user_id}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_export_then_delete_leaves_no_row_and_no_file(
    api_client, rich_user, other_user, password, stored_file, django_capture_on_commit_callbacks
):
    # Given a signed-in user with a profile, consents, notifications, tokens and a stored photo
    pair = api_client.post("/api/v1/auth/login", {"email": rich_user.email, "password": password}, format="json").json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    notification_create(user=other_user, kind="x", title="not theirs")
    export = api_client.get("/api/v1/account/export").json()
    assert export["apps"]["accounts"]["profile"] is not None
    assert [f["name"] for f in export["files"]] == [stored_file]
    assert default_storage.exists(stored_file)
    user_id = rich_user.pk
    assert _rows_referencing(user_id)  # the check can see the user's rows

    # When they delete the account with their password
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete("/api/v1/account", {"password": password}, format="json")

    # Then no row references them, their file is gone, their tokens are dead, others are untouched
    assert response.status_code == 204
    assert not User.objects.filter(pk=user_id).exists()
    assert _rows_referencing(user_id) == {}
    assert not OtpCode.objects.filter(phone="+33611112222").exists()
    assert not default_storage.exists(stored_file)
    assert api_client.get("/api/v1/auth/me").status_code == 401
    api_client.credentials()
    refused = api_client.post("/api/v1/auth/refresh", {"refresh": pair["refresh"]}, format="json")
    assert refused.status_code == 401
    assert Notification.objects.filter(user=other_user).count() == 1
    assert User.objects.filter(pk=other_user.pk).exists()


def test_delete_wrong_password_400_keeps_everything(auth_client, user, stored_file):
    response = auth_client.delete("/api/v1/account", {"password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"
    assert User.objects.filter(pk=user.pk).exists()
    assert default_storage.exists(stored_file)


def test_delete_missing_password_400(auth_client):
    response = auth_client.delete("/api/v1/account", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_delete_anonymous_401(api_client):
    assert api_client.delete("/api/v1/account", {"password": "x"}, format="json").status_code == 401


def test_signup_consents_are_recorded_with_ip(api_client):
    api_client.post(
        "/api/v1/auth/register",
        {"email": "c@example.com", "password": "a-Long-pass-9"},
        format="json",
        REMOTE_ADDR="203.0.113.9",
    )
    consents = Consent.objects.filter(user__email="c@example.com")
    assert {(c.kind, c.ip_address) for c in consents} == {("terms", "203.0.113.9"), ("privacy", "203.0.113.9")}
