"""Files at rest are ciphertext, on local disk and in an S3 bucket (a local moto server); the signed, expiring
links still work, and decrypt only for a viewer who may see the file."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from privacy.media import Viewer, media_url
from privacy.models import DataKey, MediaAccess, StoredMedia
from privacy.storage import MediaOwnerMissing, media_storage, owned_name

pytestmark = pytest.mark.django_db

MAGICS = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF", b"GIF8")


def assert_ciphertext(raw: bytes, plaintext: bytes) -> None:
    assert raw[:4] == b"SKE1"
    assert not any(raw.startswith(m) for m in MAGICS)
    for marker in (b"Exif", b"JFIF", b"TestCamera", b"48.8566N", b"IHDR"):
        assert marker not in raw
    assert plaintext[64:128] not in raw  # no stretch of the photo survives


def stored_bytes(name: str) -> bytes:
    """What is on the disk (or in the bucket), read past the encryption layer."""
    with media_storage().inner.open(name, "rb") as fh:
        return fh.read()


def test_a_saved_photo_is_ciphertext_on_disk_and_opens_as_the_photo(user, face_jpeg_with_exif):
    name = default_storage.save(owned_name(user, "analyses"), ContentFile(face_jpeg_with_exif))
    with open(media_storage().inner.path(name), "rb") as fh:  # the file itself, as a backup would copy it
        raw = fh.read()
    assert_ciphertext(raw, face_jpeg_with_exif)
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == face_jpeg_with_exif
    row = StoredMedia.objects.get(name=name)
    assert row.kind == "photo" and row.size == len(face_jpeg_with_exif) and row.data_key.user_id == user.pk
    assert default_storage.size(name) == len(face_jpeg_with_exif)


def test_an_uploaded_selfie_and_everything_made_from_it_are_ciphertext(auth_client, face_jpeg_with_exif):
    r = auth_client.post(
        "/api/v1/analysis/upload", {"file": SimpleUploadedFile("me.jpg", face_jpeg_with_exif)}, format="multipart"
    )
    assert r.status_code == 202, r.content
    from analysis.models import SkinAnalysis

    a = SkinAnalysis.objects.get(pk=r.json()["id"])
    raw = stored_bytes(a.image.name)
    assert_ciphertext(raw, face_jpeg_with_exif)
    with default_storage.open(a.image.name) as fh:
        clean = fh.read()
    assert clean.startswith(b"\xff\xd8") and b"TestCamera" not in clean  # metadata stripped before storing


def test_every_person_has_one_data_key_and_each_file_its_own_key(user, other_user):
    names = [default_storage.save(owned_name(user, "analyses"), ContentFile(b"photo %d" % i)) for i in range(3)]
    default_storage.save(owned_name(other_user, "analyses"), ContentFile(b"someone else"))
    assert DataKey.objects.count() == 2
    wrapped = set(StoredMedia.objects.filter(name__in=names).values_list("wrapped_key", flat=True))
    assert len(wrapped) == 3


def test_a_file_without_an_owner_is_refused_and_no_plain_url_exists(user):
    with pytest.raises(MediaOwnerMissing):
        default_storage.save("t/photo.txt", ContentFile(b"private"))
    name = default_storage.save(owned_name(user, "t", ".txt"), ContentFile(b"private"))
    with pytest.raises(NotImplementedError):
        default_storage.url(name)
    with pytest.raises(NotImplementedError):
        default_storage.path(name)


def test_signed_link_serves_the_owner_expires_and_is_recorded(client, user, other_user, settings):
    name = default_storage.save(owned_name(user, "analyses"), ContentFile(b"\xff\xd8private"))
    url = media_url(name, viewer=Viewer.owner(user))
    assert url.startswith("/media/s/")
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"\xff\xd8private"
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("private")
    record = MediaAccess.objects.get(owner=user)
    assert (record.viewer_kind, record.viewer_id, record.media_name, record.via) == ("owner", user.pk, name, "link")

    # A link made for someone else than the owner opens nothing (and records nothing).
    assert client.get(media_url(name, viewer=Viewer.owner(other_user))).status_code == 404
    # Past SIGNED_URL_MAX_AGE the link is dead.
    with time_machine.travel(datetime.timedelta(seconds=settings.SIGNED_URL_MAX_AGE + 61)):
        assert client.get(url).status_code == 404
    # Forged or altered tokens are refused.
    assert client.get("/media/s/forged").status_code == 404
    assert client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB")).status_code == 404
    assert MediaAccess.objects.count() == 1


def test_links_made_within_a_minute_are_the_same_url_so_browsers_cache(user):
    name = default_storage.save(owned_name(user, "analyses"), ContentFile(b"x"))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, 5, tzinfo=datetime.UTC), tick=False):
        first = media_url(name, viewer=Viewer.owner(user))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, 50, tzinfo=datetime.UTC), tick=False):
        assert media_url(name, viewer=Viewer.owner(user)) == first


def test_a_wrong_master_key_reads_as_missing_never_as_garbage(user, settings):
    name = default_storage.save(owned_name(user, "analyses"), ContentFile(b"photo"))
    from privacy import crypto

    settings.MEDIA_MASTER_KEY = crypto.format_master_key(crypto.new_key())
    settings.MEDIA_MASTER_KEYS_PREVIOUS = []
    with pytest.raises(FileNotFoundError):
        default_storage.open(name).read()


def test_s3_storage_holds_ciphertext_and_serves_through_the_signed_link(s3_server, client, user, settings):
    """django-storages' S3 backend, as configured by the AWS_* settings, inside the encrypting storage."""
    import boto3

    boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    ).create_bucket(Bucket="skincare")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "privacy.storage.EncryptedStorage",
            "OPTIONS": {
                "inner": {
                    "BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {
                        "bucket_name": "skincare",
                        "endpoint_url": s3_server,
                        "access_key": "t",
                        "secret_key": "t",
                        "region_name": "us-east-1",
                        "querystring_auth": True,
                        "file_overwrite": False,
                        "default_acl": None,
                    },
                }
            },
        },
    }
    photo = b"\xff\xd8\xff\xe0" + b"JFIF-and-Exif-bytes " * 50
    name = default_storage.save(owned_name(user, "analyses"), ContentFile(photo))
    s3 = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    raw = s3.get_object(Bucket="skincare", Key=name)["Body"].read()  # what the bucket (and its backups) hold
    assert_ciphertext(raw, photo)
    response = client.get(media_url(name, viewer=Viewer.owner(user)))
    assert response.status_code == 200 and response.content == photo
    default_storage.delete(name)  # shreds and deletes
    assert not StoredMedia.objects.filter(name=name).exists() and not default_storage.exists(name)
