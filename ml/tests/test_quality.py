from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image
from skimage import data

from ml.types import QUALITY_CODES, QualityError, QualityReport, QualityThresholds
from ml.vision import ADVICE, check_quality, load_image
from ml.vision.landmarks import detect_faces, estimate_yaw

# The astronaut's face in skimage.data.astronaut() (512x512): roughly x 175-275, y 65-180.
ASTRONAUT_FACE = (175, 65, 100, 115)


def codes(report: QualityReport) -> list[str]:
    return [i.code for i in report.issues]


def test_every_code_has_one_sentence_of_advice() -> None:
    assert set(ADVICE) == set(QUALITY_CODES)
    for text in ADVICE.values():
        assert text.endswith(".") and text.count(". ") == 0 and len(text) > 20


def test_astronaut_passes_and_box_lands_on_face(astronaut: np.ndarray) -> None:
    report = check_quality(astronaut)
    assert report.ok, report.issues
    assert report.face_count == 1
    x, y, w, h = report.face_box or (0, 0, 0, 0)
    fx, fy, fw, fh = ASTRONAUT_FACE
    ix = max(0, min(x + w, fx + fw) - max(x, fx))
    iy = max(0, min(y + h, fy + fh) - max(y, fy))
    iou = ix * iy / (w * h + fw * fh - ix * iy)
    assert iou > 0.6
    assert report.yaw_degrees is not None and report.yaw_degrees < 15
    assert report.brightness is not None and 40 < report.brightness < 85


def test_blurred_copy_is_blurry(astronaut: np.ndarray) -> None:
    blurred = cv2.GaussianBlur(astronaut, (0, 0), 2.5)
    report = check_quality(blurred)
    assert "image_blurry" in codes(report)
    sharp = check_quality(astronaut).sharpness
    assert report.sharpness is not None and sharp is not None and report.sharpness < sharp


def test_darkened_copy_is_too_dark(astronaut: np.ndarray) -> None:
    dark = (astronaut.astype(np.float32) * 0.25).astype(np.uint8)
    assert "image_too_dark" in codes(check_quality(dark))


def test_brightened_copy_is_too_bright(astronaut: np.ndarray) -> None:
    bright = np.clip(astronaut.astype(np.float32) * 1.2 + 90, 0, 255).astype(np.uint8)
    assert "image_too_bright" in codes(check_quality(bright))


@pytest.mark.parametrize("name", ["coffee", "checkerboard"])
def test_no_face(name: str) -> None:
    img = getattr(data, name)()
    if img.ndim == 2:
        img = np.dstack([img] * 3)
    report = check_quality(img)
    assert codes(report) == ["no_face_found"] and not report.ok and report.face_count == 0


def test_small_face_in_big_canvas(astronaut: np.ndarray) -> None:
    canvas = np.full((1600, 1600, 3), 128, np.uint8)
    canvas[544:1056, 544:1056] = astronaut
    report = check_quality(canvas)
    assert "face_too_small" in codes(report)


def test_two_faces(astronaut: np.ndarray) -> None:
    face = astronaut[20:260, 120:330]
    canvas = np.concatenate([face, face], axis=1)
    report = check_quality(canvas)
    assert report.face_count == 2
    assert "multiple_faces" in codes(report)


def test_thresholds_are_passed_in(astronaut: np.ndarray) -> None:
    strict = QualityThresholds(min_face_fraction=0.5, max_yaw_degrees=0.1, min_sharpness=1e6)
    c = codes(check_quality(astronaut, strict))
    assert {"face_too_small", "face_not_frontal", "image_blurry"} <= set(c)
    assert c == sorted(c, key=QUALITY_CODES.index)


def test_yaw_of_rotated_landmarks(astronaut: np.ndarray) -> None:
    face = detect_faces(astronaut)[0]
    pts = np.column_stack([face.points, face.depth])
    centre = pts.mean(axis=0)
    for degrees in (20.0, 40.0):
        t = np.radians(degrees)
        rot = np.array([[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]])
        turned = (pts - centre) @ rot.T + centre
        assert abs(estimate_yaw(turned[:, :2], turned[:, 2]) - degrees) < 8


def test_quality_error_carries_first_code() -> None:
    report = check_quality(np.dstack([data.checkerboard()] * 3))
    err = QualityError(report)
    assert err.code == "no_face_found" and err.report is report


def test_load_image_applies_exif_orientation(astronaut: np.ndarray) -> None:
    img = Image.fromarray(astronaut[:, :300])  # 512 high, 300 wide
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    out = load_image(buf.getvalue())
    assert out.shape == (300, 512, 3) and out.dtype == np.uint8


def test_load_image_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        load_image(b"not an image")
    with pytest.raises(ValueError):
        load_image(b"")


def test_dark_skin_in_a_well_exposed_photo_is_not_too_dark(astronaut: np.ndarray) -> None:
    # Given the face's skin much darker (as dark skin is) while the rest of the photo keeps its light
    face = detect_faces(astronaut)[0]
    from ml.vision.quality import face_skin_mask

    mask = face_skin_mask(astronaut.shape, face)
    darker = astronaut.astype(np.float32)
    darker[mask] *= 0.3
    darker = np.clip(darker, 0, 255).astype(np.uint8)
    report = check_quality(darker)
    # then the skin is darker than the limit, but the eyes and teeth show the photo is well exposed
    assert report.brightness is not None and report.brightness < QualityThresholds().min_brightness
    assert report.highlight is not None and report.highlight >= 60
    assert "image_too_dark" not in codes(report)
    # while the whole photo darkened is still too dark
    assert "image_too_dark" in codes(check_quality((astronaut.astype(np.float32) * 0.25).astype(np.uint8)))
