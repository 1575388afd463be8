"""Metamorphic copies for the evaluation: synthetic lesions coloured relative to the person's own skin,
and the re-encodings, rescales, exposures and rotations of the repeatability test.

Lesions are drawn in CIELAB as a shift of the colour of the skin where they land (not one fixed red),
with a soft edge, at the physical size asked for (1.5-5 mm; the photo's scale comes from the
inter-pupil distance, 63 mm): a papule is redder and a little darker than the skin around it, a dark
spot (lentigo, post-inflammatory mark) much darker and a little more yellow-brown. The shift is given
for skin at L* 65 and scaled by (L* + 16) / 81 of the skin where it lands, which is what the same change
of the skin's absorbance does to a darker skin or a dimmer photo (CIE L* is nearly a cube root of the
light: a change by a factor moves L* + 16 by a factor); on an underexposed face an unscaled L* −15 would
paint black. The disc is drawn at
4x and area-averaged down, so a spot smaller than a pixel is the faint smudge a camera would record.
Placement is random but only on visible skin: inside a face region, at least 3 mm from the eyes, brows,
lips and nostrils (landmark hulls), where the disc's colour is close to the face's median skin colour
and not textured (beard, hair, glasses, hands), and 8 mm apart.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ml.vision import color
from ml.vision import landmarks as lm

PLACE_REGIONS = ("forehead", "left_cheek", "right_cheek", "nose", "chin", "left_under_eye", "right_under_eye")
KINDS = ("inflamed", "dark_spot")


@dataclass
class Placed:
    centre: tuple[float, float]  # image pixels
    kind: str  # inflamed | dark_spot
    size_mm: float
    region: str
    delta_lab: tuple[float, float, float]


def _lab(img: np.ndarray) -> np.ndarray:
    return color.lab_from_linear(color.srgb_to_linear(img))


def _rgb_from_lab(lab: np.ndarray) -> np.ndarray:
    lin = cv2.cvtColor(lab.astype(np.float32), cv2.COLOR_Lab2LRGB)
    return np.clip(np.round(color.linear_to_srgb(lin) * 255.0), 0, 255).astype(np.uint8)


def _feature_mask(shape: tuple[int, int], points: np.ndarray, grow_px: int) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    for idx in (lm.RIGHT_EYE, lm.LEFT_EYE, lm.RIGHT_BROW, lm.LEFT_BROW, lm.LIPS, [64, 98, 97, 2, 326, 327, 294]):
        hull = cv2.convexHull(np.round(points[idx]).astype(np.int32))
        cv2.fillConvexPoly(mask, hull, (1,))
        cv2.polylines(mask, [hull], True, (1,), thickness=2 * grow_px + 1)
    return mask.astype(bool)


def add_lesions(
    image: np.ndarray,
    landmarks: list[tuple[float, float]],
    regions: dict[str, list[tuple[int, int]]],
    mm_per_px: float,
    rng: np.random.Generator,
    per_region: int = 1,
) -> tuple[np.ndarray, list[Placed]]:
    """A copy of ``image`` with ``per_region`` synthetic lesions in every face region where skin shows."""
    H, W = image.shape[:2]
    pts = np.asarray(landmarks, dtype=np.float64)
    lab = _lab(image)
    px_per_mm = 1.0 / max(mm_per_px, 1e-6)
    features = _feature_mask((H, W), pts, max(1, int(round(3 * px_per_mm))))
    oval = np.zeros((H, W), np.uint8)
    cv2.fillPoly(oval, [np.round(pts[lm.FACE_OVAL]).astype(np.int32)], (1,))
    skin_px = lab[(oval > 0) & ~features]
    if len(skin_px) < 50:
        return image.copy(), []
    med = np.median(skin_px, axis=0)
    # visible-skin test per pixel: colour near the face's median skin, low local texture
    de = np.linalg.norm(lab - med, axis=2)
    k = max(3, int(round(2 * px_per_mm)) | 1)
    L = lab[..., 0]
    mean = cv2.blur(L, (k, k))
    sd = np.sqrt(np.maximum(cv2.blur(L * L, (k, k)) - mean * mean, 0))
    ok_px = (de < 16) & (sd < 5.0) & (oval > 0) & ~features
    out = lab.copy()
    placed: list[Placed] = []
    min_gap = 8.0 * px_per_mm
    for name in PLACE_REGIONS:
        poly = regions.get(name)
        if not poly:
            continue
        rmask = np.zeros((H, W), np.uint8)
        cv2.fillPoly(rmask, [np.array(poly, np.int32)], (1,))
        for _ in range(per_region):
            size = float(rng.uniform(1.5, 5.0))
            r_px = size / 2 * px_per_mm
            # the whole disc (and a ring around it) must be visible skin
            ring = max(1, int(round(r_px + 1.5 * px_per_mm)))
            okd = cv2.erode(ok_px.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * ring + 1,) * 2))
            ys, xs = np.nonzero((okd > 0) & (rmask > 0))
            order = rng.permutation(len(ys))
            spot = None
            for i in order[:400]:
                cx, cy = float(xs[i]) + rng.uniform(-0.5, 0.5), float(ys[i]) + rng.uniform(-0.5, 0.5)
                if all(np.hypot(cx - p.centre[0], cy - p.centre[1]) >= min_gap for p in placed):
                    spot = (cx, cy)
                    break
            if spot is None:
                continue
            kind = KINDS[int(rng.integers(0, 2))]
            if kind == "inflamed":
                delta = (-float(rng.uniform(3, 8)), float(rng.uniform(8, 15)), float(rng.uniform(0, 4)))
            else:
                delta = (-float(rng.uniform(9, 16)), float(rng.uniform(0, 3)), float(rng.uniform(1, 5)))
            scale = (_local_lightness(lab, spot, r_px) + 16.0) / 81.0
            delta = (delta[0] * scale, delta[1] * scale, delta[2] * scale)
            _paint(out, spot, r_px, delta)
            placed.append(Placed(spot, kind, round(size, 2), name, tuple(round(d, 2) for d in delta)))  # type: ignore[arg-type]
    return _rgb_from_lab(out), placed


def _local_lightness(lab: np.ndarray, centre: tuple[float, float], r_px: float) -> float:
    """Median L* of the skin in a ring 1.5-3 radii around ``centre``."""
    H, W = lab.shape[:2]
    R = int(np.ceil(3 * r_px)) + 1
    x0, y0 = max(int(centre[0]) - R, 0), max(int(centre[1]) - R, 0)
    x1, y1 = min(int(centre[0]) + R + 1, W), min(int(centre[1]) + R + 1, H)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    d = np.hypot(xx - centre[0], yy - centre[1])
    ring = (d >= 1.5 * r_px) & (d <= 3 * r_px)
    vals = lab[y0:y1, x0:x1, 0][ring]
    return float(np.median(vals)) if vals.size else 65.0


def _paint(lab: np.ndarray, centre: tuple[float, float], r_px: float, delta: tuple[float, float, float]) -> None:
    """Shift the Lab colour by ``delta`` inside a soft disc (drawn at 4x, area-averaged)."""
    H, W = lab.shape[:2]
    pad = int(np.ceil(r_px * 1.6)) + 2
    x0, y0 = max(int(centre[0]) - pad, 0), max(int(centre[1]) - pad, 0)
    x1, y1 = min(int(centre[0]) + pad + 1, W), min(int(centre[1]) + pad + 1, H)
    s = 4
    yy, xx = np.mgrid[y0 * s : y1 * s, x0 * s : x1 * s].astype(np.float32)
    r = np.hypot((xx + 0.5) / s - centre[0], (yy + 0.5) / s - centre[1])
    # flat centre, soft shoulder: full strength to 0.7 r, falling to 0 at 1.3 r
    alpha = np.clip((1.3 * r_px - r) / max(0.6 * r_px, 0.3), 0, 1)
    alpha = cv2.resize(alpha, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)[..., None]
    lab[y0:y1, x0:x1] += alpha * np.array(delta, np.float32)


# --- repeatability copies ------------------------------------------------------------------------
def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def rescale(image: np.ndarray, factor: float) -> np.ndarray:
    h, w = image.shape[:2]
    return cv2.resize(image, (max(int(w * factor), 1), max(int(h * factor), 1)), interpolation=cv2.INTER_AREA)


def exposure(image: np.ndarray, gain: float) -> np.ndarray:
    lin = color.srgb_to_linear(image) * gain
    return np.clip(np.round(color.linear_to_srgb(lin) * 255.0), 0, 255).astype(np.uint8)


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


VARIANTS: tuple[tuple[str, object], ...] = (
    ("jpeg70", lambda im: jpeg(im, 70)),
    ("jpeg95", lambda im: jpeg(im, 95)),
    ("scale0.6", lambda im: rescale(im, 0.6)),
    ("scale0.8", lambda im: rescale(im, 0.8)),
    ("exposure+15%", lambda im: exposure(im, 1.15)),
    ("exposure-15%", lambda im: exposure(im, 0.85)),
    ("rotate+5", lambda im: rotate(im, 5.0)),
    ("rotate-5", lambda im: rotate(im, -5.0)),
)
