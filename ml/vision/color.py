"""Colour handling: sRGB <-> linear, white balance, exposure normalisation, CIELAB and ITA°.

Lighting normalisation (so that a warmer or dimmer copy of the same face measures alike):

1. Chromatic white balance (von Kries, per-channel gains in linear RGB). The reference is the sclera
   (the white of the eyes, found inside the eye outlines: bright, unsaturated pixels outside the iris)
   when enough of it is visible, mapped to the slightly warm colour of a healthy sclera
   (``SCLERA_LAB``: a* 2, b* 8); otherwise the "shades of grey" estimate (Minkowski p=6 mean) of the
   whole face crop, mapped to neutral. Gains are normalised so that green is unchanged: only the colour
   cast goes.
2. Exposure: one gain on all channels so that the median L* of the skin becomes ``TARGET_SKIN_L``.
   Concern measures use this image.

The skin tone (ITA°) needs absolute lightness and colour, which no single photo gives exactly. The eye
whites are too often shaded by the lids and brows, narrowed by a smile or closed to set either (seen on
real portraits: a smiling face read 55° "very light", the same man at a podium 15°), so ``skin_tone``
takes its reference from the brightest surfaces around the face instead: per channel, the 95th
percentile of the canonical face frame (face, hair, collar, background within ~10 cm) is taken as a
white surface at 90 % reflectance ("white patch" exposure and white balance, the colour gains limited
to 1.5x). The skin's colour is then the median L* and b* of the middle half (by L*) of the visible
cheek and forehead skin (occluders, shine and shadows left out).

Both steps are diagonal in linear RGB, exactly what a change of light colour or brightness is (up to
clipping), so they cancel such changes.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from skimage import color as skcolor

TARGET_SKIN_L = 65.0
SCLERA_LAB = (80.0, 2.0, 8.0)  # typical healthy sclera: a little warm, not pure white
MIN_SCLERA_PIXELS = 12


def _decode(x: np.ndarray) -> np.ndarray:
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4).astype(np.float32)


_LUT = _decode(np.arange(256, dtype=np.float32) / 255.0)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """uint8 or float (0-1) sRGB -> linear float32 (0-1)."""
    if rgb.dtype == np.uint8:
        return _LUT[rgb]
    return _decode(rgb.astype(np.float32))


def linear_to_srgb(lin: np.ndarray) -> np.ndarray:
    """linear float (0-1) -> sRGB float32 (0-1), clipped."""
    x = np.clip(lin, 0.0, 1.0)
    return np.where(x <= 0.0031308, x * 12.92, 1.055 * np.power(x, 1 / 2.4) - 0.055).astype(np.float32)


def to_lab(srgb01: np.ndarray) -> np.ndarray:
    """sRGB float (0-1) -> CIELAB (D65) float32: L* 0-100, a*, b* roughly -128..127."""
    return np.asarray(skcolor.rgb2lab(np.clip(srgb01, 0, 1)), dtype=np.float32)


def lab_from_linear(linear: np.ndarray) -> np.ndarray:
    """Linear RGB float (0-1, clipped) -> CIELAB (D65) float32, via OpenCV's linear-RGB path (fast)."""
    return cv2.cvtColor(np.clip(linear, 0.0, 1.0).astype(np.float32), cv2.COLOR_LRGB2Lab)


def white_gains(linear: np.ndarray, sclera: np.ndarray | None) -> tuple[np.ndarray, str]:
    """Per-channel gains (green = 1) that remove the colour cast, and which reference was used."""
    ref: np.ndarray | None = None
    source = "shades_of_grey"
    if sclera is not None and int(sclera.sum()) >= MIN_SCLERA_PIXELS:
        px = linear[sclera]
        ref = np.median(px, axis=0)
        source = "sclera"
        if float(ref.min()) <= 1e-3:
            ref = None
            source = "shades_of_grey"
    if ref is None:
        px = linear.reshape(-1, 3).astype(np.float64)
        ref = np.power(np.mean(np.power(px, 6.0), axis=0), 1 / 6.0)
    ref = np.maximum(np.asarray(ref, dtype=np.float64), 1e-4)
    target = _sclera_linear() if source == "sclera" else np.ones(3)
    gains = (target / target[1]) * (ref[1] / ref)
    # A real light source is not wildly coloured; never correct by more than a factor 2 per channel.
    return np.clip(gains, 0.5, 2.0).astype(np.float32), source


def _sclera_linear() -> np.ndarray:
    rgb = skcolor.lab2rgb(np.array([[SCLERA_LAB]], dtype=np.float64))[0, 0]
    return srgb_to_linear(np.asarray(rgb, dtype=np.float32)).astype(np.float64)


def sclera_mask(linear: np.ndarray, eye_mask: np.ndarray, iris_mask: np.ndarray) -> np.ndarray:
    """The brightest third of the eye pixels outside the iris, provided they are fairly unsaturated."""
    cand = eye_mask & ~iris_mask
    if int(cand.sum()) < MIN_SCLERA_PIXELS:
        return np.zeros_like(eye_mask)
    lum = linear.mean(axis=2)
    thr = float(np.quantile(lum[cand], 2 / 3))
    mask = cand & (lum >= thr)
    px = linear[mask]
    sat = (px.max(axis=1) - px.min(axis=1)) / np.maximum(px.max(axis=1), 1e-4)
    keep = np.zeros_like(mask)
    ys, xs = np.nonzero(mask)
    good = sat < 0.6
    keep[ys[good], xs[good]] = True
    return keep


WHITE_PATCH_PERCENTILE = 95.0
WHITE_PATCH_LEVEL = 0.9  # linear reflectance the white patch is taken to have
TONE_MIN_PIXELS = 150


def skin_tone(
    linear: np.ndarray, valid: np.ndarray, skin: np.ndarray
) -> tuple[float | None, tuple[float, float, float] | None]:
    """ITA° and the skin's CIELAB colour (L*, a*, b*) on the white-patch normalised image; (None, None)
    with fewer than ``TONE_MIN_PIXELS`` visible skin pixels."""
    if int(skin.sum()) < TONE_MIN_PIXELS or int(valid.sum()) < 100:
        return None, None
    frame = linear[valid][::7]  # a percentile needs no more than every 7th pixel
    ref = np.maximum(np.percentile(frame, WHITE_PATCH_PERCENTILE, axis=0).astype(np.float64), 1e-4)
    lum = float(np.percentile(frame @ np.array([0.2126, 0.7152, 0.0722]), WHITE_PATCH_PERCENTILE))
    gain = float(np.clip(WHITE_PATCH_LEVEL / max(lum, 1e-4), 0.5, 4.0))
    chroma = np.clip(ref[1] / ref, 1 / 1.5, 1.5)
    px = linear[skin]
    px = px[:: max(1, len(px) // 20000)]  # medians need no more than ~20 000 pixels
    px = lab_from_linear((px * (gain * chroma)).astype(np.float32).reshape(-1, 1, 3)).reshape(-1, 3)
    lo, hi = np.percentile(px[:, 0], [25, 75])
    mid = px[(px[:, 0] >= lo) & (px[:, 0] <= hi)]
    if len(mid) < 20:
        mid = px
    L, a, b = (float(np.median(mid[:, i])) for i in range(3))
    return round(math.degrees(math.atan2(L - 50.0, max(b, 1e-3))), 2), (round(L, 2), round(a, 2), round(b, 2))


def lab_to_hex(lab: tuple[float, float, float]) -> str:
    """``#rrggbb`` of a CIELAB (D65) colour (for the swatch that shows the person what was measured)."""
    rgb = np.clip(skcolor.lab2rgb(np.array([[lab]], dtype=np.float64))[0, 0], 0, 1)
    return "#" + "".join(f"{int(round(v * 255)):02x}" for v in rgb)


def ita_degrees(lab: np.ndarray, mask: np.ndarray) -> float | None:
    """Individual Typology Angle of the masked skin: atan((L* - 50) / b*) in degrees (median L*, b*).

    > 55 very light, 41-55 light, 28-41 intermediate, 10-28 tan, -30-10 brown, < -30 dark.
    """
    if int(mask.sum()) < 20:
        return None
    L = float(np.median(lab[..., 0][mask]))
    b = float(np.median(lab[..., 2][mask]))
    return round(math.degrees(math.atan2(L - 50.0, max(b, 1e-3))), 2)


ITA_LIMITS: tuple[tuple[float, str], ...] = (
    (55, "very_light"), (41, "light"), (28, "intermediate"), (10, "tan"), (-30, "brown"),
)  # fmt: skip


def ita_category(ita: float | None) -> str | None:
    """The ``ml.types.SKIN_TONES`` category of an ITA°: > 55 very light, 41-55 light, 28-41 intermediate,
    10-28 tan, −30-10 brown, < −30 dark."""
    if ita is None:
        return None
    for limit, name in ITA_LIMITS:
        if ita > limit:
            return name
    return "dark"
