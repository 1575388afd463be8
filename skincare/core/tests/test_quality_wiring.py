"""End to end: a threshold changed in the admin changes what the upload API accepts."""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from skincare.core import config
from skincare.core.roles import ADMIN

from .factories import staff_user
from .test_config import change_url, form_data

pytestmark = pytest.mark.django_db
UPLOAD = "/api/v1/analysis/upload"


def dark_face_jpeg() -> bytes:
    from skimage.data import astronaut

    out = io.BytesIO()
    Image.fromarray((astronaut() * 0.6).astype(np.uint8)).save(out, format="JPEG", quality=92)
    return out.getvalue()


def test_analysis_services_read_the_staff_config():
    from analysis import services

    config.config_update(min_sharpness=12.5, max_yaw_degrees=30)
    assert services.quality_thresholds() == config.quality_thresholds()
    assert services.quality_thresholds().min_sharpness == 12.5


def test_threshold_changed_in_admin_changes_what_the_upload_accepts(roles, client, auth_client):
    from analysis.models import SkinAnalysis

    # Given a darkened face photo the default gate accepts
    first = auth_client.post(UPLOAD, {"file": SimpleUploadedFile("a.jpg", dark_face_jpeg())}, format="multipart")
    assert first.status_code == 202, first.content
    brightness = SkinAnalysis.objects.get(pk=first.json()["id"]).quality["brightness"]
    assert brightness is not None

    # When staff raise the minimum brightness above it in the admin
    client.force_login(staff_user(ADMIN))
    assert client.post(change_url(), form_data(min_brightness=str(round(brightness + 5, 1)))).status_code == 302

    # Then the same photo is refused as too dark, with its advice
    second = auth_client.post(UPLOAD, {"file": SimpleUploadedFile("a.jpg", dark_face_jpeg())}, format="multipart")
    assert second.status_code == 400
    assert second.json()["code"] == "image_too_dark"
