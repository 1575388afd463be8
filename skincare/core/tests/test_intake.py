"""The one photo intake: the same limits and codes on every upload endpoint (skin analysis, progress
photos, label scans), and the service itself called with an UploadedFile, bytes or base64."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from analysis.tests import images
from domain import uploads
from skincare.core import intake
from skincare.core.errors import DomainError

pytestmark = pytest.mark.django_db

# endpoint, multipart field of the photo, extra form fields
ENDPOINTS = [
    ("/api/v1/analysis/upload", "file", {}),
    ("/api/v1/progress/log", "photo", {"consent": "true"}),
    ("/api/v1/ingredients/scan", "file", {}),
]


def _post(client, url, field, extra, data: bytes, name="photo.jpg"):
    return client.post(url, {field: SimpleUploadedFile(name, data), **extra}, format="multipart")


@pytest.mark.parametrize(("url", "field", "extra"), ENDPOINTS)
def test_every_upload_has_the_same_limits_and_codes(auth_client, settings, url, field, extra):
    # not a picture
    r = _post(auth_client, url, field, extra, b"plain text, not a photo")
    assert (r.status_code, r.json()["code"]) == (400, uploads.NOT_AN_IMAGE)
    # a picture of another format
    r = _post(auth_client, url, field, extra, images.encode(images.coffee(), "GIF"), "photo.gif")
    assert (r.status_code, r.json()["code"]) == (415, uploads.UNSUPPORTED_IMAGE_TYPE)
    # a decompression bomb: refused from its header
    r = _post(auth_client, url, field, extra, images.png_header_only(20_000, 20_000), "bomb.png")
    assert (r.status_code, r.json()["code"]) == (400, uploads.IMAGE_TOO_LARGE)
    # too many bytes: one limit, 413
    settings.ANALYSIS_MAX_UPLOAD_BYTES = 2_000
    r = _post(auth_client, url, field, extra, images.face_jpeg())
    assert (r.status_code, r.json()["code"]) == (413, uploads.FILE_TOO_LARGE)
    too_big = base64.b64encode(images.face_jpeg()).decode()
    r = auth_client.post(url, {"image_data": too_big, **extra}, format="json")
    assert (r.status_code, r.json()["code"]) == (413, uploads.FILE_TOO_LARGE)


@pytest.mark.parametrize("url", ["/api/v1/analysis/upload", "/api/v1/ingredients/scan"])
def test_a_missing_photo_has_one_code(auth_client, url):
    r = auth_client.post(url, {}, format="multipart")
    assert (r.status_code, r.json()["code"]) == (400, uploads.NO_IMAGE)
    assert r.json()["errors"]["file"]


def test_service_takes_an_uploaded_file_bytes_or_base64_and_gives_the_same_clean_image():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to display
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    data = images.encode(images.coffee(), "JPEG", exif=exif)
    h, w = images.coffee().shape[:2]
    from_file = intake.image_intake(upload=SimpleUploadedFile("p.jpg", data))
    from_bytes = intake.image_intake(data=data)
    from_text = intake.image_intake(image_data="data:image/jpeg;base64," + base64.b64encode(data).decode())
    assert from_file.content == from_bytes.content == from_text.content
    assert (from_file.width, from_file.height) == (min(h, 1920), min(w, 1920))  # upright: width and height swap
    clean = Image.open(__import__("io").BytesIO(from_file.content))
    assert not clean.getexif() and "exif" not in clean.info
    with pytest.raises(DomainError) as exc:
        intake.image_intake()
    assert exc.value.code == uploads.NO_IMAGE and exc.value.status_code == 400


def test_label_scans_keep_more_pixels_for_small_print():
    big = Image.new("RGB", (3000, 2000), "white")
    data = images.encode(big, "PNG")
    assert max(intake.image_clean(data).pil().size) == uploads.MAX_SIDE
    from ingredients import ocr

    assert max(ocr.decode(data).shape) == 3000  # under LABEL_MAX_SIDE: not downscaled
