"""Concern measures in CIELAB on the canonical face (0.315 mm per pixel), each a raw number, a unit,
a 0-100 score (100 = best) by a documented monotone mapping, per-region scores and plain words.

Mappings (all non-increasing in the raw value; ``exp_score(raw, offset, scale)`` is
``round(100 * exp(-max(0, raw - offset) / scale))``):

=============  =====================================================  ==================  =================
concern        raw measurement                                        unit                score
=============  =====================================================  ==================  =================
acne           inflamed spots (red blobs 0.6-110 mm²), faint ones ½    spots               exp_score(r, 0, 6)
redness        mean of max(0, a* - (25th pct a* + 2)) over face skin  Δa*                 exp_score(r, 0.5, 3)
oiliness       share of T-zone skin that is specular highlight (soft) % of T-zone         exp_score(r, 1, 5)
pores          small dark pits (0.2-1 mm) per cm² on cheeks and nose  pores/cm²           exp_score(r, 5, 40)
texture        band-pass (0.3-2 mm) L* roughness on cheeks/forehead   L* rms              exp_score(r, 1.0, 2.5)
wrinkles       share of forehead/under-eye skin on fine dark lines    % of area           exp_score(r, 0.5, 5)
pigmentation   share of flat skin ≥ 6 L* below its 8 mm surroundings  % of skin           exp_score(r, 1, 6)
dark_circles   cheek L* minus under-eye L* (medians)                  ΔL*                 exp_score(r, 3, 6)
uneven_tone    sd of 1.5 mm-smoothed L* minus a quadratic, per region L* sd                exp_score(r, 1.5, 4)
=============  =====================================================  ==================  =================

Severity from the score: ≥ 80 none, 60-79 mild, 40-59 moderate, < 40 severe. Per-region scores use
the same mapping on the region's own raw value, except acne: ``exp_score(spots in the region, 0, 2)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from scipy import ndimage
from skimage.filters import sato

from ml.types import ConcernMeasure, Lesion, RegionQuality
from ml.vision.geometry import MM_PER_CANON_PX, FaceMasks

# canonical box, kind, confidence, region, equivalent diameter in mm
FoundLesion = tuple[tuple[int, int, int, int], str, float, str | None, float]
MM = 1.0 / MM_PER_CANON_PX  # canonical pixels per millimetre
CHEEKS = ("left_cheek", "right_cheek")


def exp_score(raw: float, offset: float, scale: float) -> int:
    """100 at or below ``offset``, then falling exponentially with ``scale``: monotone, never below 0."""
    return int(round(100.0 * math.exp(-max(0.0, raw - offset) / scale)))


def severity(score: int) -> str:
    if score >= 80:
        return "none"
    if score >= 60:
        return "mild"
    if score >= 40:
        return "moderate"
    return "severe"


MAPPINGS: dict[str, tuple[float, float]] = {
    "acne": (0.0, 6.0),
    "redness": (0.5, 3.0),
    "oiliness": (1.0, 5.0),
    "pores": (5.0, 40.0),
    "texture": (1.0, 2.5),
    "wrinkles": (0.5, 5.0),
    "pigmentation": (1.0, 6.0),
    "dark_circles": (3.0, 6.0),
    "uneven_tone": (1.5, 4.0),
}
REF_CHROMA = 20.0  # redness is measured in units of the skin's own chroma, scaled to this typical value
UNITS: dict[str, str] = {
    "acne": "spots",
    "redness": "Δa*",
    "oiliness": "% of T-zone",
    "pores": "pores/cm²",
    "texture": "L* rms",
    "wrinkles": "% of area",
    "pigmentation": "% of skin",
    "dark_circles": "ΔL*",
    "uneven_tone": "L* sd",
}


def score_of(key: str, raw: float) -> int:
    offset, scale = MAPPINGS[key]
    return exp_score(raw, offset, scale)


@dataclass
class Measured:
    measures: list[ConcernMeasure]
    lesions_canon: list[FoundLesion]
    heatmaps: dict[str, np.ndarray]  # per-concern badness maps (canonical, float, 0 = fine)
    extras: dict[str, float] = field(default_factory=dict)


def _gauss(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; wide blurs run on a downsampled copy (same result to well under 1%, 10x faster)."""
    if sigma <= 6.0:
        return cv2.GaussianBlur(x, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    f = int(sigma // 3)
    h, w = x.shape[:2]
    small = cv2.resize(x, (max(w // f, 1), max(h // f, 1)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / f, borderType=cv2.BORDER_REFLECT)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def masked_smooth(x: np.ndarray, mask: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing that only averages pixels inside ``mask`` (normalised convolution)."""
    m = mask.astype(np.float32)
    num = _gauss(x * m, sigma)
    den = _gauss(m, sigma)
    return num / np.maximum(den, 1e-3)


def local_background(x: np.ndarray, mask: np.ndarray, radius_mm: float) -> np.ndarray:
    """Robust local level of ``x`` over skin: a median over a disc-sized window (spots do not pull it)."""
    filled = np.where(mask, x, masked_smooth(x, mask, radius_mm * MM))
    lo, hi = float(filled.min()), float(filled.max())
    span = max(hi - lo, 1e-3)
    u8 = np.clip((filled - lo) / span * 255.0, 0, 255).astype(np.uint8)
    k = int(2 * round(radius_mm * MM) + 1)
    med = cv2.medianBlur(u8, min(k, 255) if min(k, 255) % 2 else min(k, 255) - 1)
    return med.astype(np.float32) / 255.0 * span + lo


def _region_stat(
    values: np.ndarray,
    regions: dict[str, np.ndarray],
    fn: Callable[[np.ndarray, np.ndarray], Any],
    min_px: int = 150,
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, m in regions.items():
        out[name] = float(fn(values, m)) if int(m.sum()) >= min_px else None
    return out


def _region_scores(key: str, raws: dict[str, float | None]) -> dict[str, int | None]:
    return {k: (None if v is None else score_of(key, v)) for k, v in raws.items()}


# Lesion contrast thresholds, relative to the person's own skin around the spot (after exposure
# normalisation), and to the face's own noise: a spot must stand out by the larger of the fixed contrast
# and NOISE_K times the robust spread (1.4826 MAD) of that contrast over the face's skin.
INFLAMED_DA = 7.0  # a* above the surrounding skin
DARK_DL = 8.0  # L* below the surrounding skin
NOISE_K = 3.5
RED_DOMINANCE = 0.6  # red wins when a*/thr >= 0.6 x (-L*/thr): a papule is darker too, a brown spot barely red
ISOLATION = 0.6  # the ring's 90th percentile of contrast must stay under this share of the spot's peak
MAX_DARK_DL = 45.0  # darker than this against the skin is not skin (a nail, a piercing, a nostril, a hole)
RING_SKIN = 0.7  # share of the 1.5 mm ring around a spot that must be skin
GROW = 0.55  # a spot's outline: where its contrast is at least this share of the threshold (hysteresis)


def spot_weight(confidence: float) -> float:
    """How much one inflamed spot counts towards acne: 0.5 at the detection threshold, 1 from 1.5x it
    (confidence 0.45 at the threshold, 0.7 at 1.5x). A faint spot that one photo finds and the next
    misses moves the score by half a spot, not a whole one."""
    return float(np.clip(0.5 + (confidence - 0.45) / 0.5, 0.5, 1.0))


def _robust_sd(x: np.ndarray) -> float:
    if x.size < 10:
        return 0.0
    med = float(np.median(x))
    return 1.4826 * float(np.median(np.abs(x - med)))


def detect_lesions(
    L: np.ndarray, a: np.ndarray, skin: np.ndarray, masks: FaceMasks, source_px: float = 1.0
) -> tuple[list[FoundLesion], np.ndarray, np.ndarray]:
    """Spots that stand out from the person's own skin around them: redder (inflamed) or darker (dark spot).

    Contrast = the spot's a* (L*) minus the median over the skin within 5 mm, in the lighting-normalised image,
    so the same test holds on every skin tone. A spot is kept when its contrast passes the larger of a fixed
    threshold (a* +7; L* −8) and 3.5x the face's own noise of that contrast; its outline is grown to 55 % of the
    threshold; each pixel belongs to the contrast that dominates relative to its threshold (a papule is also a
    little darker, a brown spot a little redder). Then: 0.6-110 mm² (about 0.9-12 mm across; never under two
    photo pixels), roundish (second-moment axis ratio ≤ 3, ≥ 35 % of its box filled), only inside the named
    regions, and surrounded by skin (≥ 70 % of a 1.5 mm ring around it inside the skin mask): a blob touching
    hair, a hand, a frame, a nostril, a lip or an eye is that edge, not a spot; and standing out on every side
    (the ring's 90th percentile of contrast under 60 % of the spot's peak: the edge of a shadow or a fold is as
    dark on one side); dark spots at most 45 L* darker. Confidence grows with the peak contrast. ``source_px``:
    one photo pixel in canonical pixels (the smoothing follows the photo's resolution).
    """
    sigma = max(1.0, 0.5 * source_px)
    Ls, As = _gauss(L, sigma), _gauss(a, sigma)
    dA = As - local_background(As, skin, 5.0)
    dL = Ls - local_background(Ls, skin, 5.0)
    zone = np.zeros_like(skin)
    for name, m in masks.regions.items():
        if name != "t_zone":
            zone |= m
    zone &= skin
    thr_a = max(INFLAMED_DA, NOISE_K * _robust_sd(dA[zone])) if zone.any() else INFLAMED_DA
    thr_l = max(DARK_DL, NOISE_K * _robust_sd(dL[zone])) if zone.any() else DARK_DL
    found: list[FoundLesion] = []
    min_area = max(0.6 * MM * MM, 2.0 * source_px * source_px)
    max_area = 110.0 * MM * MM
    ring_px = max(int(round(1.5 * MM)), 2)
    ring_k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * ring_px + 1, 2 * ring_px + 1))
    H, W = L.shape
    # each pixel goes to the contrast that dominates relative to its threshold (red counted 1/0.6 as much):
    # redder (a papule is darker too) or darker (a brown spot is a little redder and yellower too)
    red = dA / thr_a >= RED_DOMINANCE * (-dL / thr_l)
    for kind, contrast, thr, side in (("inflamed", dA, thr_a, red), ("dark_spot", -dL, thr_l, ~red)):
        seed = (contrast > thr) & zone & side
        grow = (contrast > GROW * thr) & zone & side
        n, labels, stats, cents = cv2.connectedComponentsWithStats(grow.astype(np.uint8), connectivity=8)
        if n <= 1:
            continue
        seeded = np.zeros(n, bool)
        seeded[np.unique(labels[seed])] = True
        seeded[0] = False
        for i in np.nonzero(seeded)[0]:
            x, y, w, h, area = (int(v) for v in stats[i])
            if not (min_area <= area <= max_area) or area < 0.35 * w * h:
                continue
            x0, y0 = max(x - ring_px - 1, 0), max(y - ring_px - 1, 0)
            x1, y1 = min(x + w + ring_px + 1, W), min(y + h + ring_px + 1, H)
            blob = labels[y0:y1, x0:x1] == i
            mom = cv2.moments(blob.astype(np.uint8), binaryImage=True)
            cov = np.array([[mom["mu20"], mom["mu11"]], [mom["mu11"], mom["mu02"]]]) / max(mom["m00"], 1.0)
            ev = np.linalg.eigvalsh(cov)
            if ev[0] <= 0 or ev[1] / ev[0] > 9.0:  # axis ratio > 3: a line (wrinkle, frame, hair), not a spot
                continue
            ring = cv2.dilate(blob.astype(np.uint8), ring_k).astype(bool) & ~blob
            if float(skin[y0:y1, x0:x1][ring].mean()) < RING_SKIN:
                continue
            peak = float(contrast[y0:y1, x0:x1][blob].max())
            # a spot stands out on every side; the edge of a shadow, a fold or a strand is as dark (red) on
            # one side of its ring as it is itself
            # (other spots next to it are left out of its ring: acne comes in clusters)
            ring_c = contrast[y0:y1, x0:x1][ring & skin[y0:y1, x0:x1] & (labels[y0:y1, x0:x1] == 0)]
            if ring_c.size and float(np.percentile(ring_c, 90)) > ISOLATION * peak:
                continue
            if kind == "dark_spot" and peak > MAX_DARK_DL:
                continue
            conf = float(np.clip(0.45 + 0.5 * (peak - thr) / thr, 0.3, 0.99))
            cx, cy = int(round(cents[i][0])), int(round(cents[i][1]))
            region = next((k for k, mm in masks.regions.items() if k != "t_zone" and mm[cy, cx]), None)
            size_mm = round(2.0 * math.sqrt(area / math.pi) / MM, 2)
            found.append(((x, y, w, h), kind, round(conf, 3), region, size_mm))
    found.sort(key=lambda f: (f[0][1], f[0][0], f[1]))
    return found, dA, dL


def _ita(lab: np.ndarray, m: np.ndarray) -> float | None:
    if int(m.sum()) < 150:
        return None
    return math.degrees(
        math.atan2(float(np.median(lab[..., 0][m])) - 50.0, max(float(np.median(lab[..., 2][m])), 1e-3))
    )


def _compact(mask: np.ndarray, max_axis_ratio: float = 3.0) -> np.ndarray:
    """Keep the blobs of ``mask`` that are not lines (second-moment axis ratio ≤ ``max_axis_ratio``): the
    shadow of a fold, a jaw line or a mask edge is a band, a pigment patch is not."""
    u8 = mask.astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(u8, connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area < 4:
            continue
        m = cv2.moments((labels[y : y + h, x : x + w] == i).astype(np.uint8), binaryImage=True)
        cov = np.array([[m["mu20"], m["mu11"]], [m["mu11"], m["mu02"]]]) / max(m["m00"], 1.0)
        ev = np.linalg.eigvalsh(cov)
        keep[i] = ev[0] > 0 and ev[1] / ev[0] <= max_axis_ratio**2
    return keep[labels]


def _coherence(L: np.ndarray, window: float) -> np.ndarray:
    """Structure-tensor coherence (0 = no direction, 1 = one direction) of L* over a Gaussian window."""
    g = _gauss(L, 1.0)
    ix = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    iy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = _gauss(ix * ix, window), _gauss(iy * iy, window), _gauss(ix * iy, window)
    return np.clip(((jxx - jyy) ** 2 + 4 * jxy**2) / np.maximum((jxx + jyy) ** 2, 1e-6), 0, 1)


def _fraction(mask: np.ndarray, within: np.ndarray) -> float:
    n = int(within.sum())
    return 100.0 * float((mask & within).sum()) / n if n else 0.0


FINE_SCALE = ("acne", "pores", "texture", "wrinkles")  # need resolution: less sure on a low-resolution photo
CONCERN_REGIONS: dict[str, tuple[str, ...]] = {
    "acne": ("forehead", "left_cheek", "right_cheek", "nose", "chin"),
    "redness": ("forehead", "left_cheek", "right_cheek", "nose", "chin"),
    "oiliness": ("t_zone",),
    "pores": ("left_cheek", "right_cheek", "nose"),
    "texture": ("left_cheek", "right_cheek", "forehead"),
    "wrinkles": ("forehead", "left_under_eye", "right_under_eye"),
    "pigmentation": ("forehead", "left_cheek", "right_cheek", "chin"),
    "dark_circles": ("left_under_eye", "right_under_eye"),
    "uneven_tone": ("forehead", "left_cheek", "right_cheek", "chin"),
}
UNMEASURABLE = ("occluded", "out_of_frame")

# What each concern's measure is, in plain English: ``EXPLANATIONS[key] % params`` is a concern's ``explanation``.
# The key and the params go with it (ConcernMeasure.explanation_key/_params) so that the apps can show the same
# sentence in the reader's language (the analysis app holds the translatable copies: analysis/messages.py).
EXPLANATIONS: dict[str, str] = {
    "acne": "We found %(count)d red spot(s): small patches clearly redder than your skin around them "
    "(a* in CIELAB), 1-12 mm across; a faint one counts half.",
    "redness": "How much redder than your own baseline skin colour the face is on average (CIELAB a*); "
    "flushed or irritated areas raise it.",
    "oiliness": "Shiny, whitish highlights cover %(t_zone).1f%% of your forehead and nose (T-zone) and "
    "%(cheeks).1f%% of your cheeks; shine comes from oil on the skin.",
    "pores": "Visible pores: small dark pits 0.2-1 mm across counted per square centimetre on the cheeks and nose "
    "(needs a sharp, close photo to be reliable).",
    "texture": "Roughness: how much the brightness of the skin varies over 0.3-2 mm (bumps, flaking, "
    "enlarged pores) on the cheeks and forehead.",
    "wrinkles": "Fine lines: %(share).1f%% of your forehead and under-eye skin lies on thin dark lines found by "
    "a ridge filter.",
    "pigmentation": "Dark patches and spots: %(share).1f%% of your forehead, cheek and chin skin is at least "
    "%(threshold).0f L* darker than the skin around it (%(count)d distinct dark spot(s)).",
    "dark_circles": "The skin under your eyes is %(difference).1f L* darker than your cheeks (CIELAB lightness).",
    "uneven_tone": "How much your skin's lightness varies from place to place within the forehead, cheeks and chin "
    "once the lighting gradient is removed (L* sd); skin tone differs by %(ita_spread).0f° ITA between those areas.",
}


def measure(
    lab: np.ndarray,
    masks: FaceMasks,
    resolution_conf: float,
    *,
    source_px: float = 1.0,
    region_quality: dict[str, RegionQuality] | None = None,
) -> Measured:
    """All concern measures on the lighting-normalised canonical Lab image.

    ``region_quality`` (from the occluders): a region mostly covered or outside the photo gets a null
    score and the concern says so in ``reasons``; ``source_px`` (one photo pixel in canonical pixels)
    sets the lesion detector's smallest spot and smoothing.
    """
    rq = region_quality or {}
    hidden = {k for k, q in rq.items() if q.reason in UNMEASURABLE}
    low_res = any(q.reason == "low_resolution" for q in rq.values())
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    skin = masks.skin
    R = masks.regions
    # Fine-detail measures stay 2.5 mm inside the skin mask: its edges (hairline, jaw, brows) are not skin.
    k_in = int(2 * round(2.5 * MM) + 1)
    inner = cv2.erode(skin.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k_in, k_in))).astype(bool)
    Ri = {k: m & inner for k, m in R.items()}
    heat: dict[str, np.ndarray] = {}
    extras: dict[str, float] = {}
    out: list[ConcernMeasure] = []
    skin_px = max(int(skin.sum()), 1)
    skin_cm2 = skin_px / (MM * MM) / 100.0
    base_conf = float(np.clip(skin_cm2 / 40.0, 0.2, 1.0))

    def add(
        key: str, raw: float, conf: float, regions: dict[str, int | None], params: dict[str, float | int] | None = None
    ) -> None:
        s = score_of(key, raw)
        params = {k: v if isinstance(v, int) else float(v) for k, v in (params or {}).items()}
        regions = {k: (None if k in hidden else v) for k, v in regions.items()}
        reasons = [f"{rq[k].reason}:{k}" for k in CONCERN_REGIONS[key] if k in hidden]
        if low_res and key in FINE_SCALE:
            reasons.insert(0, "low_resolution")
        shares = [rq[k].visible for k in CONCERN_REGIONS[key] if k in rq]
        if shares:  # less of the concern's skin visible: less sure
            conf *= float(np.clip(np.mean(shares), 0.2, 1.0))
        out.append(
            ConcernMeasure(
                key=key,
                raw=round(float(raw), 3),
                unit=UNITS[key],
                score=s,
                severity=severity(s),
                confidence=round(float(np.clip(conf, 0.0, 1.0)), 3),
                regions=regions,
                explanation=EXPLANATIONS[key] % params,
                reasons=reasons,
                explanation_key=key,
                explanation_params=params,
            )
        )

    # --- acne / blemishes -------------------------------------------------------------------------
    lesions, dA, dL = detect_lesions(L, a, skin, masks, source_px)
    inflamed = [f for f in lesions if f[1] == "inflamed"]
    per_region: dict[str, int | None] = {}
    for name, m in R.items():
        if int(m.sum()) < 150:
            per_region[name] = None
            continue
        cnt = sum(spot_weight(f[2]) for f in inflamed if m[f[0][1] + f[0][3] // 2, f[0][0] + f[0][2] // 2])
        per_region[name] = exp_score(cnt, 0.0, 2.0)
    acne_map = np.zeros_like(L)
    for (x, y, w, h), _k, c, _r, _s in inflamed:
        acne_map[y : y + h, x : x + w] = np.maximum(acne_map[y : y + h, x : x + w], c)
    heat["acne"] = acne_map
    weighted = round(sum(spot_weight(f[2]) for f in inflamed), 2)
    add(
        "acne",
        weighted,
        base_conf * (0.5 + 0.5 * resolution_conf),
        per_region,
        {"count": len(inflamed)},
    )

    # --- redness ----------------------------------------------------------------------------------
    # a* smoothed over 1 mm (pixel noise would only add), in units of the person's own skin chroma
    # (a saturated photo or more pigmented skin spreads every a* difference proportionally)
    chroma_med = float(np.median(np.hypot(a[skin], b[skin]))) if skin.any() else REF_CHROMA
    a_rel = _gauss(a, 1.0 * MM) * (REF_CHROMA / max(chroma_med, 8.0))
    a_base = float(np.percentile(a_rel[skin], 25)) if skin.any() else 0.0
    excess = np.clip(a_rel - a_base - 2.0, 0, None)
    red_raw = float(excess[skin].mean()) if skin.any() else 0.0
    heat["redness"] = np.where(skin, excess, 0)
    reg = _region_stat(excess, R, lambda v, m: v[m].mean())
    extras["a_star_median"] = round(float(np.median(a[skin])), 3) if skin.any() else 0.0
    add(
        "redness",
        red_raw,
        base_conf,
        _region_scores("redness", reg),
    )

    # --- oiliness / shine ---------------------------------------------------------------------------
    chroma = np.hypot(a, b)
    L_bg = masked_smooth(L, skin, 6.0 * MM)
    C_bg = masked_smooth(chroma, skin, 6.0 * MM)
    # Soft specularity: 0-1 per pixel, rising as a pixel gets brighter (4-12 L* above its 6 mm
    # surroundings) and whiter (chroma falling below 95% of the surrounding chroma) than the skin.
    spec_w = np.clip((L - L_bg - 4.0) / 8.0, 0, 1) * np.clip((0.95 - chroma / np.maximum(C_bg, 1e-3)) / 0.3, 0, 1)
    spec_w = np.where(skin & (L > 50), spec_w, 0).astype(np.float32)

    def shine(m: np.ndarray) -> float:
        return 100.0 * float(spec_w[m].mean()) if m.any() else 0.0

    t_shine = shine(R["t_zone"])
    c_shine = (shine(R["left_cheek"]) + shine(R["right_cheek"])) / 2
    extras["shine_t_zone_pct"] = round(t_shine, 3)
    extras["shine_cheeks_pct"] = round(c_shine, 3)
    heat["oiliness"] = spec_w
    reg = {k: (shine(m) if int(m.sum()) >= 150 else None) for k, m in R.items()}
    add(
        "oiliness",
        t_shine,
        base_conf * (0.6 if int(R["t_zone"].sum()) < 2000 else 1.0),
        _region_scores("oiliness", reg),
        {"t_zone": t_shine, "cheeks": c_shine},
    )

    # --- pores ----------------------------------------------------------------------------------------
    pore_zone = R["left_cheek"] | R["right_cheek"] | R["nose"]
    dog = _gauss(L, 0.7) - _gauss(L, 2.5)
    mins = (dog == ndimage.minimum_filter(dog, size=5)) & (dog < -1.5) & pore_zone
    # exclude spots already counted as lesions
    pores = int(mins.sum())
    zone_cm2 = max(int(pore_zone.sum()) / (MM * MM) / 100.0, 1e-6)
    pore_raw = pores / zone_cm2 if pore_zone.any() else 0.0
    heat["pores"] = _gauss(mins.astype(np.float32), 2.0)
    reg = {}
    for k, m in R.items():
        area = int(m.sum()) / (MM * MM) / 100.0
        reg[k] = (
            (float((mins & m).sum()) / area)
            if (int(m.sum()) >= 150 and k in ("left_cheek", "right_cheek", "nose"))
            else None
        )
    add(
        "pores",
        pore_raw,
        base_conf * resolution_conf,
        _region_scores("pores", reg),
    )

    # --- texture --------------------------------------------------------------------------------------
    band = _gauss(L, 0.5 * MM) - _gauss(L, 2.0 * MM)
    tex_zone = Ri["left_cheek"] | Ri["right_cheek"] | Ri["forehead"]
    tex_raw = float(np.sqrt(np.mean(band[tex_zone] ** 2))) if tex_zone.any() else 0.0
    heat["texture"] = np.abs(band) * skin
    reg = _region_stat(band, Ri, lambda v, m: np.sqrt(np.mean(v[m] ** 2)))
    add(
        "texture",
        tex_raw,
        base_conf * resolution_conf,
        _region_scores("texture", reg),
    )

    # --- wrinkles -------------------------------------------------------------------------------------
    wr_zone = Ri["forehead"] | Ri["left_under_eye"] | Ri["right_under_eye"]
    ridge = np.zeros_like(L)
    for k in ("forehead", "left_under_eye", "right_under_eye"):
        if not R[k].any():
            continue
        ys, xs = np.nonzero(R[k])
        y0, y1 = max(int(ys.min()) - 4, 0), int(ys.max()) + 5
        x0, x1 = max(int(xs.min()) - 4, 0), int(xs.max()) + 5
        crop = L[y0:y1, x0:x1].astype(np.float64)
        resp = sato(crop, sigmas=[1.0, 2.0], black_ridges=True, mode="reflect").astype(np.float32)
        ridge[y0:y1, x0:x1] = np.maximum(ridge[y0:y1, x0:x1], resp)
    # A line: a ridge above 1.2 and above 3x the skin's own grain of ridge response, where the local
    # structure has one direction (structure-tensor coherence over 1.5 mm; pores, grain and JPEG noise
    # point every way). Soft: each pixel counts by how far it passes the threshold times the coherence,
    # so a line that is a little fainter on another copy of the photo moves the measure a little.
    grain = _robust_sd(ridge[wr_zone]) if wr_zone.any() else 0.0
    thr = max(1.2, 2.0 * grain)
    lines_soft = np.zeros_like(L)
    if wr_zone.any():  # on the zone's bounding box (and 10 mm around) only: the rest of the frame is not used
        ys, xs = np.nonzero(wr_zone)
        pad = int(10 * MM)
        y0, y1 = max(int(ys.min()) - pad, 0), min(int(ys.max()) + pad + 1, L.shape[0])
        x0, x1 = max(int(xs.min()) - pad, 0), min(int(xs.max()) + pad + 1, L.shape[1])
        Lc = L[y0:y1, x0:x1]
        line_w = np.clip((ridge[y0:y1, x0:x1] - thr) / thr, 0, 1) * _coherence(Lc, 1.5 * MM)
        # a wrinkle is a shallow groove (a few L*); a strand of hair or a lash across the skin is much darker
        line_w *= (Lc > masked_smooth(Lc, skin[y0:y1, x0:x1], 3.0 * MM) - 8.0).astype(np.float32)
        lines_soft[y0:y1, x0:x1] = np.where(wr_zone[y0:y1, x0:x1], line_w, 0)
    wr_raw = 100.0 * float(lines_soft[wr_zone].mean()) if wr_zone.any() else 0.0
    heat["wrinkles"] = lines_soft
    reg = {
        k: (
            100.0 * float(lines_soft[m].mean())
            if k in ("forehead", "left_under_eye", "right_under_eye") and int(m.sum()) >= 150
            else None
        )
        for k, m in Ri.items()
    }
    add(
        "wrinkles",
        wr_raw,
        base_conf * (0.5 + 0.5 * resolution_conf) * (0.7 if int(R["forehead"].sum()) < 3000 else 1.0),
        _region_scores("wrinkles", reg),
        {"share": wr_raw},
    )

    # --- pigmentation / dark spots --------------------------------------------------------------------
    flat = Ri["forehead"] | Ri["left_cheek"] | Ri["right_cheek"] | Ri["chin"]
    L_broad = masked_smooth(L, flat, 8.0 * MM)
    patchy = masked_smooth(L, flat, 1.0 * MM) - L_broad
    # at least 6 L* darker, and 3x the skin's own spread of that contrast (grain, JPEG blocks, a dark photo
    # brightened by the exposure normalisation): relative to the person's own skin
    pig_thr = max(6.0, 3.0 * _robust_sd(patchy[flat])) if flat.any() else 6.0
    pig = _compact((patchy < -pig_thr) & flat & (dA < 4.0))
    extras["pigmentation_threshold"] = round(pig_thr, 2)
    pig_raw = _fraction(pig, flat)
    dark_spots = [f for f in lesions if f[1] == "dark_spot"]
    extras["dark_spot_count"] = float(len(dark_spots))
    heat["pigmentation"] = np.where(pig, -patchy, 0)
    reg = {k: (_fraction(pig, m) if int(m.sum()) >= 150 else None) for k, m in Ri.items()}
    add(
        "pigmentation",
        pig_raw,
        base_conf,
        _region_scores("pigmentation", reg),
        {"share": pig_raw, "threshold": pig_thr, "count": len(dark_spots)},
    )

    # --- dark circles ---------------------------------------------------------------------------------
    # inside the skin by 2.5 mm (the rim of glasses, lashes' shadow) and only where the region is visible
    cheeks_in = Ri["left_cheek"] | Ri["right_cheek"]
    cheek_l = np.median(L[cheeks_in]) if cheeks_in.any() else None
    reg_dc: dict[str, float | None] = {k: None for k in R}
    raws = []
    for k in ("left_under_eye", "right_under_eye"):
        if cheek_l is not None and int(Ri[k].sum()) >= 150 and k not in hidden:
            diff = float(cheek_l - np.median(L[Ri[k]]))
            reg_dc[k] = diff
            raws.append(diff)
    dc_raw = float(np.mean(raws)) if raws else 0.0
    under = R["left_under_eye"] | R["right_under_eye"]
    heat["dark_circles"] = (
        np.where(under, np.clip((cheek_l or 0) - L, 0, None), 0) if cheek_l is not None else np.zeros_like(L)
    )
    add(
        "dark_circles",
        dc_raw,
        base_conf * (1.0 if raws else 0.2),
        _region_scores("dark_circles", reg_dc),
        {"difference": dc_raw},
    )

    # --- uneven tone -----------------------------------------------------------------------------------
    sm = masked_smooth(L, skin, 1.5 * MM)
    rmap = np.zeros_like(L)
    reg_ut: dict[str, float | None] = {k: None for k in R}
    sq, n_all = 0.0, 0
    for k in ("forehead", "left_cheek", "right_cheek", "chin"):
        ys, xs = np.nonzero(Ri[k])
        if len(ys) < 150:
            continue
        # remove the lighting across the region (gradient and the shading of its curvature): a
        # least-squares quadratic surface in x, y
        u, v = (xs - xs.mean()) / 100.0, (ys - ys.mean()) / 100.0
        A = np.column_stack([np.ones(len(xs)), u, v, u * u, v * v, u * v])
        coef, *_ = np.linalg.lstsq(A[::3], sm[ys[::3], xs[::3]].astype(np.float64), rcond=None)  # every 3rd px
        resid = sm[ys, xs] - A @ coef
        rmap[ys, xs] = np.abs(resid)
        reg_ut[k] = float(np.std(resid))
        sq += float(np.sum(resid**2))
        n_all += len(ys)
    ut_raw = float(np.sqrt(sq / n_all)) if n_all else 0.0
    ita_reg = {k: _ita(lab, R[k]) for k in ("forehead", "left_cheek", "right_cheek", "chin")}
    ita_vals = [v for v in ita_reg.values() if v is not None]
    extras["ita_spread_deg"] = round(float(np.ptp(ita_vals)), 2) if len(ita_vals) > 1 else 0.0
    heat["uneven_tone"] = rmap
    add(
        "uneven_tone",
        ut_raw,
        base_conf * (1.0 if n_all else 0.2),
        _region_scores("uneven_tone", reg_ut),
        {"ita_spread": extras["ita_spread_deg"]},
    )
    extras["skin_area_cm2"] = round(skin_cm2, 2)
    return Measured(measures=out, lesions_canon=lesions, heatmaps=heat, extras=extras)


def as_lesions(found: list[FoundLesion], to_image: Callable[[np.ndarray], np.ndarray]) -> list[Lesion]:
    """Map canonical lesion boxes to image-pixel boxes (the bounding box of the mapped corners)."""
    out: list[Lesion] = []
    for (x, y, w, h), kind, conf, region, size_mm in found:
        corners = to_image(np.array([(x, y), (x + w, y), (x, y + h), (x + w, y + h)], dtype=np.float64))
        x0, y0 = np.floor(corners.min(axis=0))
        x1, y1 = np.ceil(corners.max(axis=0))
        out.append(
            Lesion(
                box=(int(x0), int(y0), max(int(x1 - x0), 1), max(int(y1 - y0), 1)),
                kind=kind,
                confidence=conf,
                region=region,
                size_mm=size_mm,
            )
        )
    return out
