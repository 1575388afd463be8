"""The canonical face frame, the face regions and the skin mask.

Every face is warped (a similarity transform: rotation, scale, shift) into a canonical crop in which
the eyes are level and the pupils are ``CANON_IPD`` pixels apart, so every measure works at the same
physical scale (63 mm / 200 px = 0.315 mm per pixel) whatever the photo's resolution. Region outlines
and lesion boxes are mapped back to image pixels with the inverse transform.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.types import REGION_KEYS
from ml.vision import landmarks as lm

CANON_IPD = 200.0  # pixels between the pupils in the canonical crop
CANON_W, CANON_H = 640, 800
CANON_EYES = (CANON_W / 2, 310.0)  # the midpoint between the pupils
MM_PER_CANON_PX = lm.PUPIL_DISTANCE_MM / CANON_IPD

REGIONS: tuple[str, ...] = REGION_KEYS  # the one list (domain.vocabulary, via ml.types)


@dataclass
class CanonicalFace:
    image: np.ndarray  # RGB uint8, CANON_H x CANON_W
    valid: np.ndarray  # bool: pixels that came from inside the photo
    points: np.ndarray  # landmarks in canonical pixels
    matrix: np.ndarray  # 2x3 image -> canonical
    inverse: np.ndarray  # 2x3 canonical -> image
    source_ipd: float  # pupil distance in the photo, pixels

    def to_image(self, pts: np.ndarray) -> np.ndarray:
        pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
        return pts @ self.inverse[:, :2].T + self.inverse[:, 2]


def align(image: np.ndarray, face: lm.FaceLandmarks) -> CanonicalFace:
    right, left = face.pupils()
    ipd = float(np.linalg.norm(left - right))
    angle = np.arctan2(left[1] - right[1], left[0] - right[0])
    scale = CANON_IPD / max(ipd, 1e-6)
    c, s = np.cos(-angle) * scale, np.sin(-angle) * scale
    mid = (right + left) / 2
    # canonical = R*S*(p - mid) + CANON_EYES
    m = np.array([[c, -s, 0.0], [s, c, 0.0]])
    m[:, 2] = np.array(CANON_EYES) - m[:, :2] @ mid
    inv = cv2.invertAffineTransform(m)
    # Only the part of the photo that lands in the canonical frame is needed: crop it first.
    frame = np.array([(0, 0), (CANON_W, 0), (0, CANON_H), (CANON_W, CANON_H)], dtype=np.float64)
    foot = frame @ inv[:, :2].T + inv[:, 2]
    H, W = image.shape[:2]
    x0, y0 = (int(max(np.floor(v) - 4, 0)) for v in foot.min(axis=0))
    x1, y1 = int(min(np.ceil(foot[:, 0].max()) + 4, W)), int(min(np.ceil(foot[:, 1].max()) + 4, H))
    src = image[y0:y1, x0:x1]
    m_src = m.copy().astype(np.float64)
    m_src[:, 2] = m[:, 2] + m[:, :2] @ np.array([x0, y0], dtype=np.float64)
    if scale < 0.5:  # shrink big photos with area averaging first (warpAffine would alias)
        pre = min(1.0, 2 * scale)
        src = cv2.resize(src, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA)
        m_src[:, :2] /= pre
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_LINEAR
    canon = cv2.warpAffine(src, m_src, (CANON_W, CANON_H), flags=interp, borderMode=cv2.BORDER_REPLICATE)
    valid = cv2.warpAffine(
        np.ones(src.shape[:2], np.uint8), m_src, (CANON_W, CANON_H), flags=cv2.INTER_NEAREST, borderValue=(0,)
    ).astype(bool)
    pts = face.points @ m[:, :2].T + m[:, 2]
    return CanonicalFace(image=canon, valid=valid, points=pts, matrix=m, inverse=inv, source_ipd=ipd)


def poly_mask(poly: np.ndarray, shape: tuple[int, int] = (CANON_H, CANON_W)) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], (1,))
    return mask.astype(bool)


def _hull_mask(pts: np.ndarray, dilate_px: int, shape: tuple[int, int] = (CANON_H, CANON_W)) -> np.ndarray:
    """Filled convex hull, grown by ``dilate_px`` (its outline drawn with a thick round-capped line)."""
    mask = np.zeros(shape, np.uint8)
    hull = cv2.convexHull(np.round(pts).astype(np.int32))
    cv2.fillConvexPoly(mask, hull, (1,))
    if dilate_px > 0:
        cv2.polylines(mask, [hull], True, (1,), thickness=2 * dilate_px + 1, lineType=cv2.LINE_8)
    return mask.astype(bool)


def _rect(x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], dtype=np.float64)


def region_polygons(p: np.ndarray) -> dict[str, np.ndarray]:
    """Region outlines (canonical pixels) built from landmark positions; eyes are level in this frame."""
    d = CANON_IPD
    polys: dict[str, np.ndarray] = {}
    for name, lower in (("right_under_eye", lm.RIGHT_EYE_LOWER), ("left_under_eye", lm.LEFT_EYE_LOWER)):
        lid = p[lower]
        top = lid + np.array([0.0, 0.07 * d])
        bottom = lid + np.array([0.0, 0.30 * d])
        polys[name] = np.vstack([top, bottom[::-1]])
    lid_low = max(float(p[lm.RIGHT_EYE_LOWER][:, 1].max()), float(p[lm.LEFT_EYE_LOWER][:, 1].max()))
    cheek_top = lid_low + 0.34 * d
    mouth_y = float((p[lm.RIGHT_MOUTH][1] + p[lm.LEFT_MOUTH][1]) / 2)
    cheek_bottom = max(mouth_y, cheek_top + 0.2 * d)
    r_edge, l_edge = float(p[lm.RIGHT_FACE_EDGE][0]), float(p[lm.LEFT_FACE_EDGE][0])
    r_alar, l_alar = float(p[lm.RIGHT_ALAR][0]), float(p[lm.LEFT_ALAR][0])
    polys["right_cheek"] = _rect(r_edge + 0.14 * d, r_alar - 0.10 * d, cheek_top, cheek_bottom)
    polys["left_cheek"] = _rect(l_alar + 0.10 * d, l_edge - 0.14 * d, cheek_top, cheek_bottom)
    bridge = p[lm.NOSE_BRIDGE]
    tip_y = float(p[lm.NOSE_TIP][1])
    nose_half = 0.14 * d
    polys["nose"] = np.array(
        [
            (bridge[0] - 0.09 * d, bridge[1]),
            (bridge[0] + 0.09 * d, bridge[1]),
            (l_alar - 0.04 * d, tip_y - 0.06 * d),
            (r_alar + 0.04 * d, tip_y - 0.06 * d),
        ]
    )
    lip_bottom = float(p[lm.LOWER_LIP_BOTTOM][1])
    chin_y = float(p[lm.CHIN][1])
    polys["chin"] = _rect(
        float(p[lm.RIGHT_MOUTH][0]) + 0.05 * d,
        float(p[lm.LEFT_MOUTH][0]) - 0.05 * d,
        lip_bottom + 0.07 * d,
        max(chin_y - 0.10 * d, lip_bottom + 0.12 * d),
    )
    brow_top = min(float(p[lm.RIGHT_BROW][:, 1].min()), float(p[lm.LEFT_BROW][:, 1].min()))
    fh_bottom = brow_top - 0.07 * d
    top_y = float(p[lm.FOREHEAD_TOP][1])
    fh_top = min(top_y + 0.45 * (fh_bottom - top_y), fh_bottom - 0.15 * d)
    fx0, fx1 = float(p[lm.RIGHT_BROW][:, 0].min()), float(p[lm.LEFT_BROW][:, 0].max())
    polys["forehead"] = _rect(fx0, fx1, fh_top, fh_bottom)
    cx = float(bridge[0])
    bar = 0.55 * d
    col = 0.12 * d
    polys["t_zone"] = np.array(
        [
            (cx - bar, fh_top),
            (cx + bar, fh_top),
            (cx + bar, fh_bottom),
            (cx + col, fh_bottom),
            (cx + col, tip_y - 0.06 * d),
            (cx - col, tip_y - 0.06 * d),
            (cx - col, fh_bottom),
            (cx - bar, fh_bottom),
        ]
    )
    del nose_half
    return {k: polys[k] for k in REGIONS}


@dataclass
class FaceMasks:
    skin: np.ndarray  # bool, canonical: face skin without eyes, brows, lips, nostrils, hair, background
    regions: dict[str, np.ndarray]  # region polygon AND skin
    eyes: np.ndarray  # bool: inside the eye outlines
    iris: np.ndarray  # bool: iris discs
    polygons: dict[str, np.ndarray]  # canonical region outlines


def geometric_masks(face: CanonicalFace) -> FaceMasks:
    """Masks from landmarks alone (before colour-based hair/background removal)."""
    p = face.points
    d = CANON_IPD
    oval = poly_mask(p[lm.FACE_OVAL])
    k = int(0.04 * d)
    oval = cv2.erode(oval.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    skin = oval.astype(bool) & face.valid
    eyes = _hull_mask(p[lm.RIGHT_EYE], 0) | _hull_mask(p[lm.LEFT_EYE], 0)
    exclude = _hull_mask(p[lm.RIGHT_EYE], int(0.08 * d)) | _hull_mask(p[lm.LEFT_EYE], int(0.08 * d))
    exclude |= _hull_mask(p[lm.RIGHT_BROW], int(0.05 * d)) | _hull_mask(p[lm.LEFT_BROW], int(0.05 * d))
    exclude |= _hull_mask(p[lm.LIPS], int(0.05 * d))
    exclude |= _hull_mask(p[NOSTRIL_HULL], int(0.03 * d))
    skin &= ~exclude
    iris = np.zeros((CANON_H, CANON_W), bool)
    if len(p) > lm.LEFT_IRIS_CENTER + 4:
        for c in (lm.RIGHT_IRIS_CENTER, lm.LEFT_IRIS_CENTER):
            radius = float(np.linalg.norm(p[c + 1 : c + 5] - p[c], axis=1).mean()) * 1.15
            m = np.zeros((CANON_H, CANON_W), np.uint8)
            cv2.circle(m, (int(round(p[c][0])), int(round(p[c][1]))), max(int(round(radius)), 1), (1,), -1)
            iris |= m.astype(bool)
    polys = region_polygons(p)
    regions = {name: poly_mask(poly) & skin for name, poly in polys.items()}
    return FaceMasks(skin=skin, regions=regions, eyes=eyes & face.valid, iris=iris, polygons=polys)


NOSTRIL_HULL = [64, 98, 97, 2, 326, 327, 294]
