"""Erasure is crypto-shredding: once a photo or an account is deleted, a copy of the ciphertext taken before
(a backup of the disk or bucket) can no longer be read, even with the master key and the database."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from analysis.models import SkinAnalysis
from privacy.models import DataKey, StoredMedia
from privacy.storage import media_storage, owned_name
from progress.tests.factories import make_analysis, synthetic_landmarks

pytestmark = pytest.mark.django_db


def backup_of(name: str) -> bytes:
    with media_storage().inner.open(name, "rb") as fh:
        return fh.read()


def restore(name: str, blob: bytes) -> None:
    """Put a backed-up copy back where it was (what restoring a disk or bucket backup does)."""
    inner = media_storage().inner
    if inner.exists(name):
        inner.delete(name)
    assert inner.save(name, ContentFile(blob)) == name


def test_delete_this_photo_shreds_its_key_keeps_the_results(auth_client, django_capture_on_commit_callbacks):
    a = make_analysis(auth_client.user, landmarks=synthetic_landmarks())
    overlay = default_storage.save(owned_name(auth_client.user, "overlays", ".png"), ContentFile(b"\x89PNG overlay"))
    SkinAnalysis.objects.filter(pk=a.pk).update(overlay=overlay)
    photo = a.image.name
    copies = {photo: backup_of(photo), overlay: backup_of(overlay)}

    with django_capture_on_commit_callbacks(execute=True):
        r = auth_client.delete(f"/api/v1/analysis/{a.pk}/photo")
    assert r.status_code == 204
    a.refresh_from_db()
    assert not a.image and a.overlay.name in (None, "") and a.photo_deleted_at and a.photo_deleted_reason == "person"
    assert a.concerns and a.overall_score == 60 and len(a.landmarks) == 478  # the numbers stay
    assert not StoredMedia.objects.filter(name__in=copies).exists()
    assert not default_storage.exists(photo) and not default_storage.exists(overlay)
    for name, blob in copies.items():
        restore(name, blob)
        with pytest.raises(FileNotFoundError):
            default_storage.open(name).read()
    assert DataKey.objects.filter(user=auth_client.user).exists()  # the person's other photos stay readable
    body = auth_client.get(f"/api/v1/analysis/{a.pk}").json()
    assert body["image_url"] is None and body["photo"]["kept"] is False and body["photo"]["deleted_at"]
    assert auth_client.delete(f"/api/v1/analysis/{a.pk}/photo").status_code == 204  # idempotent


def test_account_erasure_destroys_the_data_key_so_backups_are_unreadable(
    auth_client, password, django_capture_on_commit_callbacks
):
    user = auth_client.user
    a = make_analysis(user)
    b = make_analysis(user)
    copies = {n: backup_of(n) for n in (a.image.name, b.image.name)}
    with django_capture_on_commit_callbacks(execute=True):
        r = auth_client.delete("/api/v1/account", {"password": password}, format="json")
    assert r.status_code == 204
    assert not DataKey.objects.filter(user_id=user.pk).exists()
    assert not StoredMedia.objects.filter(name__in=copies).exists()
    for name, blob in copies.items():
        assert not default_storage.exists(name)
        restore(name, blob)  # the backup still has the bytes...
        with pytest.raises(FileNotFoundError):  # ...which no key opens any more
            default_storage.open(name).read()


def test_deleting_the_analysis_shreds_in_the_same_transaction(auth_client):
    a = make_analysis(auth_client.user)
    name = a.image.name
    assert auth_client.delete(f"/api/v1/analysis/{a.pk}").status_code == 204
    # The key is gone with the commit, before the file deletion that follows it.
    assert not StoredMedia.objects.filter(name=name).exists()
    with pytest.raises(FileNotFoundError):
        default_storage.open(name).read()


def test_photo_delete_endpoint_guards(auth_client, other_client, api_client):
    a = make_analysis(auth_client.user)
    assert api_client.delete(f"/api/v1/analysis/{a.pk}/photo").status_code == 401
    assert other_client.delete(f"/api/v1/analysis/{a.pk}/photo").status_code == 404
    queued = make_analysis(auth_client.user, status="queued")
    r = auth_client.delete(f"/api/v1/analysis/{queued.pk}/photo")
    assert r.status_code == 400 and r.json()["code"] == "analysis_in_progress"
