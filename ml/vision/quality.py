"""The quality gate: is there exactly one face, big, frontal, sharp and well lit enough to measure?"""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import QUALITY_CODES, QualityIssue, QualityReport, QualityThresholds
from ml.vision.landmarks import EYE_AND_FEATURE_HULLS, FACE_OVAL, FaceLandmarks, find_faces, haar_faces

ADVICE: dict[str, str] = {
    "no_face_found": "We could not find a face: face the camera with your whole face inside the frame.",
    "multiple_faces": "More than one face is in the photo: take the selfie with only your face in the frame.",
    "face_too_small": "Your face is too small in the photo: move closer so that it fills most of the frame.",
    "face_not_frontal": "Your head is turned to the side: look straight into the camera.",
    "image_blurry": "The photo is blurry: hold the phone still, tap your face to focus and wipe the lens.",
    "image_too_dark": "The photo is too dark: face a window or a lamp so that your face is evenly lit.",
    "image_too_bright": "The photo is too bright: step out of direct sunlight or turn the flash off.",
    "face_occluded": "Too much of your face is covered: move your hands and hair away from your face and take off "
    "glasses or a hat.",
}
# A face whose skin is darker than ``min_brightness`` is still well exposed when the brightest parts of the
# face box (eye whites, teeth, shine) reach ``min_brightness`` + this many L* (60 with the default 25):
# dark skin is not a dark photo. (Relative, so a stricter threshold set by staff still bites.)
WELL_EXPOSED_MARGIN = 35.0
SHARPNESS_WIDTH = 256  # the face crop is resized to this width before the Laplacian


def face_skin_mask(shape: tuple[int, ...], face: FaceLandmarks) -> np.ndarray:
    """Boolean mask of the face oval without eyes, brows and lips (coarse; used by the gate)."""
    mask = np.zeros(shape[:2], dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(face.points[FACE_OVAL]).astype(np.int32)], (1,))
    for idx in EYE_AND_FEATURE_HULLS:
        hull = cv2.convexHull(np.round(face.points[idx]).astype(np.int32))
        cv2.fillConvexPoly(mask, hull, (0,))
    return mask.astype(bool)


def mean_lightness(image: np.ndarray, mask: np.ndarray) -> float | None:
    """Mean CIE L* (0-100) of the masked pixels of an RGB uint8 image."""
    if not mask.any():
        return None
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)  # uint8: L scaled to 0-255
    return float(lab[..., 0][mask].mean() * 100.0 / 255.0)


def highlight_lightness(image: np.ndarray) -> float | None:
    """99th percentile L* (0-100) of an RGB uint8 crop: how bright its brightest parts are."""
    if image.size == 0:
        return None
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    return float(np.percentile(lab[..., 0], 99) * 100.0 / 255.0)


def face_sharpness(image: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Variance of the Laplacian on the inner face crop, resized to ``SHARPNESS_WIDTH`` px wide.

    Resizing to a fixed width makes the number comparable between small and large faces.
    """
    x, y, w, h = box
    mx, my = int(w * 0.15), int(h * 0.15)
    H, W = image.shape[:2]
    x0, y0 = max(x + mx, 0), max(y + my, 0)
    x1, y1 = min(x + w - mx, W), min(y + h - my, H)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return 0.0
    crop = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    scale = SHARPNESS_WIDTH / crop.shape[1]
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(crop, (SHARPNESS_WIDTH, max(int(round(crop.shape[0] * scale)), 8)), interpolation=interp)
    return float(cv2.Laplacian(crop.astype(np.float32), cv2.CV_32F, ksize=3).var())


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0, min(ay1, by1) - max(a[1], b[1]))
    return iw * ih / max(min(a[2] * a[3], b[2] * b[3]), 1)


def count_faces(image: np.ndarray, faces: list[FaceLandmarks]) -> int:
    """Faces found by FaceMesh, raised when the Haar cascade sees another face of similar size elsewhere."""
    if not faces:
        return 0
    if len(faces) >= 2:  # FaceMesh already sees two: no need for the cascade
        return len(faces)
    main = faces[0].box
    others = [
        b
        for b in haar_faces(image, min_width=int(0.6 * main[2]))
        if _overlap(b, main) < 0.2 and b[2] >= 0.6 * main[2] and all(_overlap(b, f.box) < 0.2 for f in faces)
    ]
    return len(faces) + len(others)


def evaluate(
    image: np.ndarray, faces: list[FaceLandmarks], thresholds: QualityThresholds | None = None
) -> QualityReport:
    """Build the quality report from already detected faces (biggest first)."""
    t = thresholds or QualityThresholds()
    if not faces:
        return QualityReport(
            brightness=None,
            sharpness=None,
            face_size=None,
            yaw_degrees=None,
            face_count=0,
            ok=False,
            issues=[QualityIssue("no_face_found", ADVICE["no_face_found"])],
            face_box=None,
        )
    face = faces[0]
    box = face.box
    short = min(image.shape[:2])
    face_size = box[2] / short
    yaw = face.yaw_degrees()
    sharp = face_sharpness(image, box)
    bx, by = max(box[0], 0), max(box[1], 0)
    crop = image[by : box[1] + box[3], bx : box[0] + box[2]]
    shifted = FaceLandmarks(points=face.points - np.array([bx, by], dtype=np.float64), depth=face.depth)
    bright = mean_lightness(crop, face_skin_mask(crop.shape, shifted))
    highlight = highlight_lightness(crop)
    count = count_faces(image, faces)
    codes: list[str] = []
    if count > 1:
        codes.append("multiple_faces")
    if face_size < t.min_face_fraction:
        codes.append("face_too_small")
    if yaw > t.max_yaw_degrees:
        codes.append("face_not_frontal")
    if sharp < t.min_sharpness:
        codes.append("image_blurry")
    well_exposed = highlight is not None and highlight >= t.min_brightness + WELL_EXPOSED_MARGIN
    if bright is not None and bright < t.min_brightness and not well_exposed:
        codes.append("image_too_dark")
    if bright is not None and bright > t.max_brightness:
        codes.append("image_too_bright")
    codes.sort(key=QUALITY_CODES.index)
    return QualityReport(
        brightness=None if bright is None else round(bright, 2),
        sharpness=round(sharp, 2),
        face_size=round(face_size, 4),
        yaw_degrees=round(yaw, 2),
        face_count=count,
        ok=not codes,
        issues=[QualityIssue(c, ADVICE[c]) for c in codes],
        face_box=box,
        highlight=None if highlight is None else round(highlight, 2),
    )


def check_quality(image: np.ndarray, thresholds: QualityThresholds | None = None) -> QualityReport:
    """Run the quality gate on an RGB uint8 image. Never raises for a readable image."""
    return evaluate(image, find_faces(image), thresholds)
