"""The overlay PNGs: a heat map of the worst concern on the skin, region outlines and lesion boxes (red:
inflamed, brown: dark spot), drawn over

* the whole photo, at most ``MAX_SIDE`` px (``overlay_png``), and
* the face alone (``overlay_face_png``): the face box grown by ``FACE_MARGIN`` on every side, drawn at
  ``FACE_MIN_SIDE``-``MAX_SIDE`` px, so that on a phone the regions and every box are where the person
  sees them and big enough to read (a portrait's face is a few dozen pixels of the whole-photo overlay).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import Lesion

MAX_SIDE = 768
FACE_MIN_SIDE = 512
FACE_MARGIN = 0.25  # of the face box's width/height, on every side
COLOURS = {"inflamed": (230, 40, 40), "dark_spot": (140, 80, 20)}
REGION_COLOUR = (60, 220, 90)


def face_window(face_box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """x, y, w, h of the face crop in image pixels (the face box grown by FACE_MARGIN, inside the photo)."""
    x, y, w, h = face_box
    H, W = shape[:2]
    mx, my = FACE_MARGIN * w, FACE_MARGIN * h
    x0, y0 = int(max(np.floor(x - mx), 0)), int(max(np.floor(y - my), 0))
    x1, y1 = int(min(np.ceil(x + w + mx), W)), int(min(np.ceil(y + h + my), H))
    return x0, y0, max(x1 - x0, 1), max(y1 - y0, 1)


def _draw(
    image: np.ndarray,
    window: tuple[int, int, int, int],
    scale: float,
    regions: dict[str, list[tuple[int, int]]],
    lesions: list[Lesion],
    heat_canon: np.ndarray | None,
    canon_to_image: np.ndarray,
    thick: int,
) -> bytes:
    x0, y0, ww, wh = window
    crop = image[y0 : y0 + wh, x0 : x0 + ww]
    size = (max(int(round(ww * scale)), 1), max(int(round(wh * scale)), 1))
    out = cv2.resize(crop, size, interpolation=cv2.INTER_AREA if scale <= 1 else cv2.INTER_CUBIC)
    oh, ow = out.shape[:2]
    shift = np.array([x0, y0], dtype=np.float64)
    if heat_canon is not None and float(heat_canon.max()) > 0:
        m = canon_to_image.copy()
        m[:, 2] -= shift
        m *= scale
        heat = cv2.warpAffine(heat_canon.astype(np.float32), m, (ow, oh), flags=cv2.INTER_LINEAR, borderValue=(0.0,))
        hi = float(np.percentile(heat[heat > 0], 98)) if (heat > 0).any() else 1.0
        norm = np.clip(heat / max(hi, 1e-6), 0, 1)
        norm = cv2.GaussianBlur(norm, (0, 0), max(1.0, 2.0 * min(scale, 1.0)))
        colour = cv2.applyColorMap((norm * 255).astype(np.uint8), cv2.COLORMAP_JET)[..., ::-1]
        alpha = (0.55 * np.clip(norm * 2.0, 0, 1))[..., None]
        out = (out * (1 - alpha) + colour * alpha).astype(np.uint8)
    for name, poly in regions.items():
        if name == "t_zone":
            continue
        pts = np.round((np.array(poly, dtype=np.float64) - shift) * scale).astype(np.int32)
        cv2.polylines(out, [pts], True, REGION_COLOUR, thick, cv2.LINE_AA)
    for les in lesions:
        bx, by, bw, bh = les.box
        p0 = np.round((np.array([bx, by]) - shift) * scale).astype(int)
        p1 = np.round((np.array([bx + bw, by + bh]) - shift) * scale).astype(int)
        pad = thick + 1
        cv2.rectangle(
            out, (int(p0[0]) - pad, int(p0[1]) - pad), (int(p1[0]) + pad, int(p1[1]) + pad),
            COLOURS.get(les.kind, (255, 255, 0)), thick,
        )  # fmt: skip
    ok, buf = cv2.imencode(".png", cv2.cvtColor(out, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()


def render(
    image: np.ndarray,
    regions: dict[str, list[tuple[int, int]]],
    lesions: list[Lesion],
    heat_canon: np.ndarray | None,
    canon_to_image: np.ndarray,
) -> bytes:
    """The whole photo (at most MAX_SIDE px) with the overlay."""
    h, w = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(h, w))
    thick = max(1, int(round(2 * scale * max(h, w) / 768)))
    return _draw(image, (0, 0, w, h), scale, regions, lesions, heat_canon, canon_to_image, thick)


def render_face(
    image: np.ndarray,
    face_box: tuple[int, int, int, int],
    regions: dict[str, list[tuple[int, int]]],
    lesions: list[Lesion],
    heat_canon: np.ndarray | None,
    canon_to_image: np.ndarray,
) -> tuple[bytes, tuple[int, int, int, int]]:
    """The face crop (FACE_MIN_SIDE-MAX_SIDE px on its longer side) with the overlay, and the crop box."""
    window = face_window(face_box, image.shape)
    side = max(window[2], window[3])
    scale = float(np.clip(side, FACE_MIN_SIDE, MAX_SIDE)) / side
    thick = 2
    return _draw(image, window, scale, regions, lesions, heat_canon, canon_to_image, thick), window
