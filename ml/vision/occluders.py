"""What covers the face: hands, hair, beard and stubble, glasses, hats — found and masked out of the skin.

Three detectors, all on the canonical face (0.315 mm per pixel) after exposure normalisation:

* **hands**: MediaPipe Hands (its palm detector and landmark model ship inside the mediapipe wheel) on the
  photo; each hand becomes its palm hull plus its fingers drawn as thick strokes as wide as a finger (the
  knuckle spacing), grown by 3 mm for landmark error and the fingers' shadows.
* **texture**: hair, beard, stubble, lashes, brows and frames are fine, high-contrast structure; skin is
  smooth at that scale. Roughness = local median (over 1.5 mm) of |band-pass L*| (Gaussian 0.4 mm minus
  Gaussian 1.6 mm); above ``ROUGH_LIMIT`` L* (and 2.2x the face's own median grain) it is not skin, except
  around shine highlights (10 L* above the skin) and red blemishes, whose rims are sharp too. Patches under
  ``ROUGH_MIN_MM2`` are kept (a spot's own edge is rough too).
* **colour**: large patches (at least a 6 mm disc) that are not the person's skin: more than 35 L* darker than
  its median; 20 L* darker and also rough, of another hue or with a chroma out of proportion to the lightness
  (a shadow on skin keeps hue, smoothness and chroma / (L* + 16); hair does not); grey (chroma / (L* + 16)
  under 40 % of the skin's, unless bright: shine stays); or of another hue (more than 45° from the skin's
  median hue in a*/b*, with some chroma: backgrounds, hats, make-up). Pixels redder than the skin (a* 5 above
  its median, hue turned towards red) never count: that is what blemishes, flushing and rashes look like.

The skin's own statistics (median L*, chroma ratio, hue) come from the landmark-only mask with hands and rough
pixels left out, so they are the person's own skin, whatever its tone. Which share of every region is still
visible gives the region's confidence; a region mostly covered is not scored (``occluded``).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ml.vision.geometry import CANON_H, CANON_W, MM_PER_CANON_PX, FaceMasks

MM = 1.0 / MM_PER_CANON_PX
ROUGH_LIMIT = 2.2  # median |0.4-1.6 mm band| of L* over 1.5 mm: smooth skin ~0.5-1.3, stubble and hair 3-7
ROUGH_RELATIVE = 2.2  # ... and above 2.2x the face's median roughness (its own grain)
ROUGH_MIN_MM2 = 100.0  # about an 11 mm disc: a spot (at most 12 mm) with its own rough rim stays
COLOUR_MIN_MM2 = float(np.pi * 6.0**2)  # a 6 mm radius disc
HUE_LIMIT_DEG = 45.0
HAND_PALM = [0, 1, 2, 5, 9, 13, 17]
HAND_FINGERS = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]]


@dataclass
class Occluders:
    hands: np.ndarray  # bool, canonical
    rough: np.ndarray  # hair, beard, stubble, frames (texture)
    colour: np.ndarray  # not skin-coloured (hair, background, hats, glasses)

    @property
    def any(self) -> np.ndarray:
        return self.hands | self.rough | self.colour


def plausible_hands(hands_canon: list[np.ndarray], face_oval: np.ndarray) -> list[np.ndarray]:
    """Hands that reach the face from outside it. A real hand on the face comes with its wrist and part
    of its palm or fingers beyond the face outline; a "hand" found wholly inside the face is the palm
    detector mistaking the face's own features for one (seen on a real portrait), and is dropped."""
    oval = face_oval.astype(np.float32).reshape(-1, 1, 2)
    out = []
    for pts in hands_canon:
        outside = sum(cv2.pointPolygonTest(oval, (float(x), float(y)), False) < 0 for x, y in pts)
        if len(pts) >= 21 and outside >= 4:
            out.append(pts)
    return out


def hand_mask(hands_canon: list[np.ndarray], shape: tuple[int, int] = (CANON_H, CANON_W)) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    for pts in hands_canon:
        if len(pts) < 21:
            continue
        knuckle = float(np.mean([np.linalg.norm(pts[i] - pts[j]) for i, j in ((5, 9), (9, 13), (13, 17))]))
        width = max(int(round(1.2 * knuckle)), 3)
        cv2.fillConvexPoly(mask, cv2.convexHull(np.round(pts[HAND_PALM]).astype(np.int32)), (1,))
        for chain in HAND_FINGERS:
            cv2.polylines(mask, [np.round(pts[chain]).astype(np.int32)], False, (1,), thickness=width)
    if not mask.any():
        return mask.astype(bool)
    k = int(2 * round(3.0 * MM) + 1)
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))).astype(bool)


def _gauss(x: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(x, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)


def roughness(L: np.ndarray, within: np.ndarray, source_px: float = 0.0) -> np.ndarray:
    """Local median (over ~1.5 mm) of |the 0.4-1.6 mm band of L*|.

    A median, not a mean: hair and stubble make most pixels of a neighbourhood rough, a single spot only
    its own rim, so a spot is not taken for stubble. ``source_px``: one pixel of the photo in canonical
    pixels; on a low-resolution photo the band moves up to 0.7-2.8 photo pixels (what it can still show).
    """
    fine = max(0.4 * MM, 0.7 * source_px)
    band = np.abs(_gauss(L, fine) - _gauss(L, 4.0 * fine))
    band = np.where(within, band, 0.0)
    u8 = np.clip(band * 20.0, 0, 255).astype(np.uint8)  # 0.05 L* steps, up to 12.75 L*
    k = int(2 * round(max(1.5 * MM, 2.0 * fine)) + 1)
    return cv2.medianBlur(u8, min(k, 255)).astype(np.float32) / 20.0


def _reddish(lab: np.ndarray, skin: np.ndarray, rim_mm: float = 1.5) -> np.ndarray:
    """Redder than the skin of ``skin`` (a* 5 above its median, hue turned towards red), grown by ``rim_mm``:
    what blemishes, flushing and rashes look like, with their rims. Skin to measure, never an occluder."""
    if int(skin.sum()) < 50:
        return np.zeros(lab.shape[:2], bool)
    a, b = lab[..., 1], lab[..., 2]
    a_med, b_med = float(np.median(a[skin])), float(np.median(b[skin]))
    h_med = np.degrees(np.arctan2(b_med, a_med))
    turn = (np.degrees(np.arctan2(b, a)) - h_med + 180.0) % 360.0 - 180.0
    return _grow((a > a_med + 5.0) & (turn < 0), rim_mm)


def _grow(mask: np.ndarray, mm: float) -> np.ndarray:
    k = int(2 * round(mm * MM) + 1)
    return cv2.dilate(mask.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))).astype(bool)


def _big(mask: np.ndarray, min_area_px: float) -> np.ndarray:
    u8 = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(u8, connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area_px
    return keep[labels]


def find(
    masks: FaceMasks, lab: np.ndarray, hands_canon: list[np.ndarray], face_oval: np.ndarray, source_px: float = 0.0
) -> Occluders:
    """Occluders inside the landmark-only skin mask of ``masks`` (``face_oval``: the outline's points)."""
    geo = masks.skin
    hands = hand_mask(plausible_hands(hands_canon, face_oval)) & geo
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    rough_map = roughness(L, geo, source_px)
    # relative to the face's own grain too (JPEG noise, film grain, a low-resolution crop)
    limit = max(ROUGH_LIMIT, ROUGH_RELATIVE * float(np.median(rough_map[geo]))) if geo.any() else ROUGH_LIMIT
    skin0 = geo & ~hands
    rim_mm = max(1.5, 2.0 * source_px / MM)  # the rims reach two photo pixels out on a low-resolution photo
    shine = _grow(L > float(np.median(L[skin0])) + 10.0, rim_mm) if skin0.any() else np.zeros_like(geo)
    # neither a blemish's red rim nor a shine highlight's edge is stubble
    reddish = _reddish(lab, skin0, rim_mm)
    rough_px = (rough_map > limit) & skin0 & ~reddish & ~shine
    rough = _big(rough_px, ROUGH_MIN_MM2 * MM * MM)
    if rough.any():
        rough = cv2.dilate(rough.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & geo
    base = geo & ~hands & ~rough
    if int(base.sum()) < 200:
        base = geo
    colour = np.zeros_like(geo)
    if int(base.sum()) >= 100:
        chroma = np.hypot(a, b)
        l_med = float(np.median(L[base]))
        hue = np.degrees(np.arctan2(b, a))
        h_med = float(np.degrees(np.arctan2(np.median(b[base]), np.median(a[base]))))
        dh = np.abs((hue - h_med + 180.0) % 360.0 - 180.0)
        # Darker than the skin by 20 L*: hair or a shadow. A shadow keeps the skin's hue, its chroma in
        # proportion to its lightness and its smoothness; hair does not. Deep shadow (35 L*) is too dark
        # to measure.
        ratio = chroma / np.maximum(L + 16.0, 1.0)
        r_med = float(np.median(ratio[base]))
        off_ratio = (ratio < 0.6 * r_med) | (ratio > 1.6 * r_med)
        dark = (L < l_med - 35) | ((L < l_med - 20) & ((rough_map > 0.6 * limit) | off_ratio | (dh > HUE_LIMIT_DEG)))
        grey = (ratio < 0.4 * r_med) & (L < l_med + 10)  # grey hair, frames, backgrounds (shine stays)
        bad = dark | grey | ((dh > HUE_LIMIT_DEG) & (chroma > 6))
        # Redder than the skin (a* up, hue turned towards red) is what blemishes, flushing and rashes look
        # like: skin to measure, however dark or saturated, never an occluder.
        bad &= ~reddish & ~shine
        colour = _big(bad & geo & ~hands, COLOUR_MIN_MM2 * MM * MM)
        if colour.any():
            colour = cv2.dilate(colour.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & geo
    return Occluders(hands=hands, rough=rough, colour=colour)


def apply(masks: FaceMasks, occ: Occluders) -> FaceMasks:
    skin = masks.skin & ~occ.any
    return FaceMasks(
        skin=skin,
        regions={k: v & skin for k, v in masks.regions.items()},
        eyes=masks.eyes,
        iris=masks.iris,
        polygons=masks.polygons,
    )
