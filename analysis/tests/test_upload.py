"""Upload validation: by content, size, pixels, metadata stripping, orientation, downscale, quality gate."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from analysis.models import SkinAnalysis

from . import images

URL = "/api/v1/analysis/upload"
pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name: str = "photo.jpg", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)}, format="multipart", **extra)


def stored(analysis_id) -> tuple[bytes, Image.Image]:
    a = SkinAnalysis.objects.get(pk=analysis_id)
    with default_storage.open(a.image.name, "rb") as fh:
        raw = fh.read()
    return raw, Image.open(io.BytesIO(raw))


def test_face_upload_is_accepted_and_queued(auth_client):
    r = upload(auth_client, images.face_jpeg())
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["status"] == "queued"
    a = SkinAnalysis.objects.get(pk=body["id"])
    assert a.user == auth_client.user and a.status == "queued"
    assert a.quality["ok"] is True and a.quality["face_size"] > 0.15
    assert a.image.name.startswith("analyses/") and "photo" not in a.image.name
    assert r["Location"].endswith(f"/api/v1/analysis/{a.pk}")
    assert body["disclaimer"]


def test_upload_without_slash_and_with_slash(auth_client):
    assert upload(auth_client, images.face_jpeg()).status_code == 202
    r = auth_client.post(URL + "/", {"file": SimpleUploadedFile("a.jpg", images.face_jpeg())}, format="multipart")
    assert r.status_code == 202


def test_anonymous_gets_401(api_client):
    r = upload(api_client, images.face_jpeg())
    assert r.status_code == 401
    assert SkinAnalysis.objects.count() == 0


def test_no_file_is_400(auth_client):
    r = auth_client.post(URL, {}, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "no_image"


def test_not_an_image(auth_client):
    r = upload(auth_client, b"%PDF-1.4 definitely not a photo" * 20, name="photo.jpg")
    assert r.status_code == 400
    assert r.json()["code"] == "not_an_image"
    assert SkinAnalysis.objects.count() == 0


def test_truncated_jpeg_is_not_an_image(auth_client):
    r = upload(auth_client, images.face_jpeg()[:600])
    assert r.status_code == 400 and r.json()["code"] == "not_an_image"


def test_unsupported_format_is_415(auth_client):
    r = upload(auth_client, images.encode(images.astronaut(), "GIF"), name="x.gif")
    assert r.status_code == 415 and r.json()["code"] == "unsupported_image_type"


def test_too_big_is_413(auth_client, settings):
    data = images.face_jpeg()
    data = data + b"\0" * (settings.ANALYSIS_MAX_UPLOAD_BYTES + 1 - len(data))
    r = upload(auth_client, data)
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"


def test_too_big_base64_is_413(auth_client, settings):
    payload = "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)  # over the body limit itself
    r = auth_client.post(URL, {"image_data": payload}, format="json")
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    payload = "A" * (settings.ANALYSIS_MAX_UPLOAD_BYTES * 4 // 3 + 100)  # under the body limit, over 10 MB decoded
    r = auth_client.post(URL, {"image_data": payload}, format="json")
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"


def test_too_many_pixels_is_400(auth_client):
    data = images.encode(Image.new("L", (8000, 6500)), "PNG")  # 52 MP, a small file
    assert len(data) < 1_000_000
    r = upload(auth_client, data, name="big.png")
    assert r.status_code == 400 and r.json()["code"] == "image_too_large"


def test_decompression_bomb_refused_before_decoding(auth_client):
    data = images.png_header_only(30000, 30000)  # 900 MP claimed, a few bytes sent
    r = upload(auth_client, data, name="bomb.png")
    assert r.status_code == 400 and r.json()["code"] == "image_too_large"


def test_gps_exif_and_icc_are_stripped(auth_client):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    icc = b"\0" * 128  # any ICC payload; it must not survive
    data = images.encode(images.astronaut(), "JPEG", exif=exif, icc_profile=icc)
    src = Image.open(io.BytesIO(data))
    assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload really carries GPS
    r = upload(auth_client, data)
    assert r.status_code == 202, r.content
    raw, img = stored(r.json()["id"])
    assert not img.getexif()
    assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "icc_profile" not in img.info and "exif" not in img.info and "xmp" not in img.info
    assert b"Exif" not in raw and b"PhoneMaker" not in raw


def test_exif_orientation_is_applied(auth_client):
    upright = images.astronaut()[:, 40:440]  # 400 wide, 512 high, the face upright
    raw_pixels = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # stored sideways: 512 x 400
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    data = images.encode(raw_pixels, "JPEG", exif=exif)
    r = upload(auth_client, data)
    assert r.status_code == 202, r.content  # a sideways face would not pass the face check
    _, img = stored(r.json()["id"])
    assert img.size == (400, 512)
    diff = np.abs(np.asarray(img, dtype=np.int16) - upright.astype(np.int16)).mean()
    assert diff < 6


def test_large_photo_is_downscaled_to_1920(auth_client, settings):
    big = Image.fromarray(images.astronaut()).resize((2600, 2600), Image.Resampling.BICUBIC)
    r = upload(auth_client, images.encode(big, "JPEG", quality=80))
    assert r.status_code == 202, r.content
    _, img = stored(r.json()["id"])
    assert max(img.size) == settings.ANALYSIS_MAX_SIDE == 1920
    a = SkinAnalysis.objects.get(pk=r.json()["id"])
    assert (a.image_width, a.image_height) == img.size


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_accepted(auth_client, fmt):
    r = upload(auth_client, images.encode(images.astronaut(), fmt), name=f"x.{fmt.lower()}")
    assert r.status_code == 202, r.content
    _, img = stored(r.json()["id"])
    assert img.format == "JPEG"


def test_heic_accepted():
    pillow_heif = pytest.importorskip("pillow_heif")
    from analysis.services import prepare_image

    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.fromarray(images.astronaut())).save(out, quality=90)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"libheif here has no HEIC encoder to build a test file: {exc}")
    prepared = prepare_image(out.getvalue())
    assert prepared.source_format == "HEIF" and (prepared.width, prepared.height) == (512, 512)


@pytest.mark.parametrize("prefix", ["", "data:image/jpeg;base64,"])
def test_json_base64_upload(auth_client, prefix):
    payload = prefix + base64.b64encode(images.face_jpeg()).decode()
    r = auth_client.post(URL, {"image_data": payload}, format="json")
    assert r.status_code == 202, r.content
    assert SkinAnalysis.objects.filter(pk=r.json()["id"]).exists()


def test_json_garbage_is_not_an_image(auth_client):
    r = auth_client.post(URL, {"image_data": "bm90IGFuIGltYWdl"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "not_an_image"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (images.no_face_jpeg, "no_face_found"),
        (images.dark_face_jpeg, "image_too_dark"),
        (images.blurred_face_jpeg, "image_blurry"),
    ],
)
def test_quality_errors_are_400_with_code_and_advice(auth_client, make, code):
    r = upload(auth_client, make())
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == code
    assert len(body["detail"]) > 20  # a sentence of advice
    assert SkinAnalysis.objects.count() == 0


def test_idempotency_key_returns_the_same_analysis(auth_client):
    r1 = upload(auth_client, images.face_jpeg(), HTTP_IDEMPOTENCY_KEY="k-123")
    r2 = upload(auth_client, images.face_jpeg(), HTTP_IDEMPOTENCY_KEY="k-123")
    assert r1.status_code == r2.status_code == 202
    assert r1.json()["id"] == r2.json()["id"]
    assert SkinAnalysis.objects.count() == 1
    r3 = upload(auth_client, images.face_jpeg(), HTTP_IDEMPOTENCY_KEY="k-456")
    assert r3.json()["id"] != r1.json()["id"]


def test_idempotency_key_is_per_user(auth_client, other_client):
    r1 = upload(auth_client, images.face_jpeg(), HTTP_IDEMPOTENCY_KEY="same")
    r2 = upload(other_client, images.face_jpeg(), HTTP_IDEMPOTENCY_KEY="same")
    assert r1.json()["id"] != r2.json()["id"]


def test_upload_enqueues_the_task_on_commit(auth_client, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    from analysis import tasks

    monkeypatch.setattr(tasks.run_analysis, "delay", lambda *a: calls.append(a))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = upload(auth_client, images.face_jpeg())
    assert r.status_code == 202
    assert calls == []  # nothing before commit
    for cb in callbacks:
        cb()
    assert calls == [(r.json()["id"],)]


def test_upload_throttle_scope(auth_client, settings):
    from analysis.api.views import UploadView

    assert UploadView.throttle_scope == "upload"
    assert "upload" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


def test_api_upload_can_record_consent(auth_client):
    from accounts.models import Consent

    r = auth_client.post(
        URL, {"file": SimpleUploadedFile("a.jpg", images.face_jpeg()), "consent": "true"}, format="multipart"
    )
    assert r.status_code == 202
    assert Consent.objects.filter(user=auth_client.user, kind="photo_analysis", granted=True).count() == 1


def test_broker_outage_still_answers_202(auth_client, django_capture_on_commit_callbacks, monkeypatch):
    from analysis import tasks

    def down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.run_analysis, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(auth_client, images.face_jpeg())
    assert r.status_code == 202
    assert SkinAnalysis.objects.get(pk=r.json()["id"]).status == "queued"  # the sweep sends it later


def test_a_threshold_changed_by_staff_changes_the_upload_answer(auth_client, settings):
    """Given the default gate accepts the astronaut, when staff raise min_brightness above it, then the
    same upload answers image_too_dark."""
    from skimage import data as skdata

    from skincare.core.config import config_update

    buf = io.BytesIO()
    Image.fromarray(skdata.astronaut()).save(buf, "JPEG", quality=92)
    ok = auth_client.post(
        "/api/v1/analysis/upload", {"file": SimpleUploadedFile("a.jpg", buf.getvalue())}, format="multipart"
    )
    assert ok.status_code == 202, ok.json()

    config_update(min_brightness=75.0)  # the astronaut measures about 68 L*
    refused = auth_client.post(
        "/api/v1/analysis/upload", {"file": SimpleUploadedFile("b.jpg", buf.getvalue())}, format="multipart"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "image_too_dark"
