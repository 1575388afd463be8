"""The overlay PNG: the photo (at most ``MAX_SIDE`` px), a heat map of the worst concern on the skin,
region outlines and lesion boxes (red: inflamed, brown: dark spot)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.types import Lesion

MAX_SIDE = 768
COLOURS = {"inflamed": (230, 40, 40), "dark_spot": (140, 80, 20)}
REGION_COLOUR = (60, 220, 90)


def render(
    image: np.ndarray,
    regions: dict[str, list[tuple[int, int]]],
    lesions: list[Lesion],
    heat_canon: np.ndarray | None,
    canon_to_image: np.ndarray,
) -> bytes:
    h, w = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(h, w))
    out = cv2.resize(image, (max(int(w * scale), 1), max(int(h * scale), 1)), interpolation=cv2.INTER_AREA)
    oh, ow = out.shape[:2]
    if heat_canon is not None and float(heat_canon.max()) > 0:
        m = canon_to_image.copy() * scale
        heat = cv2.warpAffine(heat_canon.astype(np.float32), m, (ow, oh), flags=cv2.INTER_LINEAR, borderValue=(0.0,))
        hi = float(np.percentile(heat[heat > 0], 98)) if (heat > 0).any() else 1.0
        norm = np.clip(heat / max(hi, 1e-6), 0, 1)
        norm = cv2.GaussianBlur(norm, (0, 0), max(1.0, 2.0 * scale))
        colour = cv2.applyColorMap((norm * 255).astype(np.uint8), cv2.COLORMAP_JET)[..., ::-1]
        alpha = (0.55 * np.clip(norm * 2.0, 0, 1))[..., None]
        out = (out * (1 - alpha) + colour * alpha).astype(np.uint8)
    thick = max(1, int(round(2 * scale * max(h, w) / 768)))
    for name, poly in regions.items():
        if name == "t_zone":
            continue
        pts = np.round(np.array(poly, dtype=np.float64) * scale).astype(np.int32)
        cv2.polylines(out, [pts], True, REGION_COLOUR, thick, cv2.LINE_AA)
    for les in lesions:
        x, y, bw, bh = (int(round(v * scale)) for v in les.box)
        cv2.rectangle(out, (x - 1, y - 1), (x + bw + 1, y + bh + 1), COLOURS.get(les.kind, (255, 255, 0)), thick)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(out, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()
