"""Storage: signed local links expire; S3 storage works against a real (local, fake) S3 server."""

import urllib.request

import pytest
from django.core import signing
from django.core.files.base import ContentFile


@pytest.mark.django_db
def test_local_media_is_served_only_behind_a_fresh_signature(client, settings):
    from django.core.files.storage import default_storage

    name = default_storage.save("t/photo.txt", ContentFile(b"private"))
    url = default_storage.url(name)
    assert url.startswith("/media/s/")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"private"

    # A signature older than SIGNED_URL_MAX_AGE is refused.
    settings.SIGNED_URL_MAX_AGE = -1
    assert client.get(url).status_code == 404
    # A name that was never signed is refused.
    forged = signing.dumps(name, salt="other")
    assert client.get(f"/media/s/{forged}").status_code == 404


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_s3_storage_round_trip_against_a_local_s3_server(s3_server, monkeypatch):
    """django-storages' S3 backend, as configured by the AWS_* settings, against a local S3 server."""
    import boto3
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1").create_bucket(Bucket="skincare")
    storage = S3Storage(
        bucket_name="skincare",
        endpoint_url=s3_server,
        access_key="test",
        secret_key="test",
        region_name="us-east-1",
        querystring_auth=True,
        querystring_expire=600,
        file_overwrite=False,
        default_acl=None,
    )
    name = storage.save("analyses/photo.jpg", ContentFile(b"jpeg-bytes"))
    assert storage.exists(name)
    url = storage.url(name)
    assert "Signature=" in url or "X-Amz-Signature=" in url  # presigned, expiring link
    with urllib.request.urlopen(url) as resp:  # noqa: S310 - loopback fake server
        assert resp.read() == b"jpeg-bytes"
    storage.delete(name)
    assert not storage.exists(name)
