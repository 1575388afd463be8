"""``analyze``: quality gate -> landmarks -> canonical face -> lighting normalisation -> regions and
skin mask -> concern measures and lesions -> skin type -> (optional learned model) -> overlay."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from ml.types import (
    CONCERN_KEYS,
    AnalysisResult,
    QualityError,
    QualityIssue,
    QualityThresholds,
    RegionQuality,
    SkinType,
)
from ml.vision import color, geometry, measures, occluders, overlay, skintype
from ml.vision import landmarks as lm
from ml.vision.io import load_image
from ml.vision.landmarks import find_faces, find_hands
from ml.vision.quality import ADVICE, evaluate

if TYPE_CHECKING:  # pragma: no cover
    from ml.models import Predictor

MODEL_CROP = 256  # side of the square face crop handed to a learned model
MIN_VISIBLE_SKIN = 0.45  # below this share of the face's skin left visible: ``face_occluded``
REGION_MIN_VISIBLE = 0.4  # a region with less of its skin visible is not scored (reason: occluded)
LOW_RES_IPD = 60.0  # pupils closer than this many photo pixels (> 1 mm per pixel): ``low_resolution``


def region_confidence(
    geo: geometry.FaceMasks, masks: geometry.FaceMasks, canon: geometry.CanonicalFace, resolution_conf: float
) -> dict[str, RegionQuality]:
    """Per region: the share of its skin left after the occluders, its confidence and why it is less sure.

    The reference is the region's polygon minus the landmark features (eyes, brows, lips, nostrils)
    and the face outline's edge; the part outside the photo counts as ``out_of_frame``.
    """
    out: dict[str, RegionQuality] = {}
    for name, poly_mask in geo.regions.items():
        full = geometry.poly_mask(geo.polygons[name]) if name in geo.polygons else poly_mask
        inside = int((full & canon.valid).sum())
        total = max(int(full.sum()), 1)
        ref = max(int(poly_mask.sum()), 1)
        vis = float(masks.regions[name].sum()) / ref
        in_frame = inside / total
        reason = None
        if in_frame < REGION_MIN_VISIBLE:
            reason, vis = "out_of_frame", min(vis, in_frame)
        elif vis < REGION_MIN_VISIBLE:
            reason = "occluded"
        elif canon.source_ipd < LOW_RES_IPD:
            reason = "low_resolution"
        out[name] = RegionQuality(
            visible=round(vis, 3), confidence=round(float(np.clip(vis, 0, 1)) * resolution_conf, 3), reason=reason
        )
    return out


def _finv(t: float) -> float:
    return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)


def _exposure_gain(l_now: float, l_target: float) -> float:
    """Linear-light gain that moves lightness ``l_now`` to ``l_target`` (CIE L* <-> Y), within 0.25-16x
    (16x: dark skin in a dim photo, L* ~16, still reaches the target; beyond, 8-bit data has no detail)."""
    y_now = _finv((l_now + 16) / 116)
    y_target = _finv((l_target + 16) / 116)
    return float(np.clip(y_target / max(y_now, 1e-5), 0.25, 16.0))


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 2)


def analyze(
    image: np.ndarray,
    *,
    thresholds: QualityThresholds | None = None,
    predictor: Predictor | None = None,
    decode_ms: float = 0.0,
) -> AnalysisResult:
    """Measure the skin on a selfie (RGB uint8). Raises ``QualityError`` when the gate fails.

    Deterministic: the same pixels give the same result.
    """
    t_total = time.perf_counter()
    timings: dict[str, float] = {"decode": round(decode_ms, 2)}
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("expected an RGB uint8 image")
    image = np.ascontiguousarray(image)

    t = time.perf_counter()
    faces = find_faces(image)
    timings["landmarks"] = _ms(t)

    t = time.perf_counter()
    report = evaluate(image, faces, thresholds)
    timings["quality"] = _ms(t)
    if not report.ok:
        raise QualityError(report)
    face = faces[0]

    # canonical face, masks, lighting normalisation
    t = time.perf_counter()
    canon = geometry.align(image, face)
    geo_masks = geometry.geometric_masks(canon)
    linear = color.srgb_to_linear(canon.image)
    sclera = color.sclera_mask(linear, geo_masks.eyes, geo_masks.iris)
    gains, wb_source = color.white_gains(linear, sclera)
    balanced = linear * gains
    lab_wb = color.lab_from_linear(balanced)
    # Exposure gain from the landmark-only skin mask: the same pixels whatever the light, so a dimmer
    # copy gets exactly the compensating gain; occluders are found on the normalised image afterwards.
    l_skin = float(np.median(lab_wb[..., 0][geo_masks.skin])) if geo_masks.skin.any() else color.TARGET_SKIN_L
    gain = _exposure_gain(l_skin, color.TARGET_SKIN_L)
    lab = color.lab_from_linear(balanced * gain)
    timings["normalise"] = _ms(t)

    t = time.perf_counter()
    hands = [h @ canon.matrix[:, :2].T + canon.matrix[:, 2] for h in find_hands(image)]
    source_px = geometry.CANON_IPD / max(canon.source_ipd, 1e-6)  # one photo pixel, in canonical pixels
    occ = occluders.find(geo_masks, lab, hands, canon.points[lm.FACE_OVAL], source_px)
    masks = occluders.apply(geo_masks, occ)
    geo_px = max(int(geo_masks.skin.sum()), 1)
    visible = float(masks.skin.sum()) / geo_px
    report.visible_skin = round(visible, 3)
    occ_share = {
        "hands": round(float(occ.hands.sum()) / geo_px, 3),
        "texture": round(float((occ.rough & ~occ.hands).sum()) / geo_px, 3),
        "colour": round(float((occ.colour & ~occ.hands & ~occ.rough).sum()) / geo_px, 3),
    }
    if visible < MIN_VISIBLE_SKIN:
        report.ok = False
        report.issues.append(QualityIssue("face_occluded", ADVICE["face_occluded"]))
        raise QualityError(report)
    resolution_conf = float(np.clip(canon.source_ipd / geometry.CANON_IPD, 0.15, 1.0))
    region_quality = region_confidence(geo_masks, masks, canon, resolution_conf)
    tone_zone = masks.regions["left_cheek"] | masks.regions["right_cheek"] | masks.regions["forehead"]
    ita, tone_lab = color.skin_tone(linear, canon.valid, tone_zone)
    timings["occluders"] = _ms(t)

    t = time.perf_counter()
    measured = measures.measure(lab, masks, resolution_conf, source_px=source_px, region_quality=region_quality)
    # A face much darker in the photo than any skin is when well exposed (L* under ~35 as shot) was
    # brightened a lot by the exposure normalisation, and its noise with it: less sure, and said so.
    exposure_conf = float(np.clip((l_skin - 10.0) / 25.0, 0.3, 1.0))
    if exposure_conf < 1.0:
        for c in measured.measures:
            c.confidence = round(c.confidence * exposure_conf, 3)
            c.reasons.append("underexposed")
    lesions = measures.as_lesions(measured.lesions_canon, canon.to_image)
    by_key = {m.key: m for m in measured.measures}
    concerns = [by_key[k] for k in CONCERN_KEYS]
    skin_type = skintype.from_measures(
        measured.extras["shine_t_zone_pct"], measured.extras["shine_cheeks_pct"], by_key["texture"].raw
    )
    weights = np.array([max(c.confidence, 0.05) for c in concerns])
    overall = int(round(float(np.dot(weights, [c.score for c in concerns]) / weights.sum())))
    regions = {
        name: [(int(round(x)), int(round(y))) for x, y in canon.to_image(poly)] for name, poly in masks.polygons.items()
    }
    timings["measures"] = _ms(t)

    t = time.perf_counter()
    model_pred = None
    if predictor is not None:
        model_pred = predictor.predict(face_crop(canon))
        if model_pred.skin_type is not None:
            skin_type = SkinType(
                value=model_pred.skin_type[0], confidence=round(model_pred.skin_type[1], 3), source="model"
            )
    timings["model"] = _ms(t)

    t = time.perf_counter()
    worst = min(concerns, key=lambda c: (c.score, CONCERN_KEYS.index(c.key)))
    heat = measured.heatmaps.get(worst.key)
    png = overlay.render(image, regions, lesions, heat, canon.inverse)
    face_png, face_window = overlay.render_face(image, face.box, regions, lesions, heat, canon.inverse)
    timings["overlay"] = _ms(t)
    timings["total"] = round(_ms(t_total) + decode_ms, 2)

    extras = dict(measured.extras)
    extras.update(
        {
            "exposure_gain": round(gain, 4),
            "white_balance_from_sclera": 1.0 if wb_source == "sclera" else 0.0,
            "source_pupil_distance_px": round(canon.source_ipd, 2),
            "resolution_confidence": round(resolution_conf, 3),
            "visible_skin": round(visible, 3),
            "exposure_confidence": round(exposure_conf, 3),
        }
    )
    return AnalysisResult(
        quality=report,
        face_box=face.box,
        landmarks=[(round(float(x), 2), round(float(y), 2)) for x, y in face.points],
        regions=regions,
        concerns=concerns,
        lesions=lesions,
        skin_type=skin_type,
        skin_tone_ita=ita,
        overall_score=overall,
        overlay_png=png,
        timings_ms=timings,
        model=model_pred,
        mm_per_pixel=round(face.mm_per_pixel(), 5),
        extras=extras,
        region_quality=region_quality,
        occluders=occ_share,
        skin_tone_lab=tone_lab,
        skin_tone_hex=color.lab_to_hex(tone_lab) if tone_lab else None,
        skin_tone_category=color.ita_category(ita),
        overlay_face_png=face_png,
        overlay_face_box=face_window,
    )


def face_crop(canon: geometry.CanonicalFace, size: int = MODEL_CROP) -> np.ndarray:
    """A square, eye-levelled face crop (RGB uint8, ``size`` px) for learned models."""
    import cv2

    cx, cy = geometry.CANON_EYES
    half = 1.45 * geometry.CANON_IPD
    x0, y0 = int(cx - half), int(cy - 0.85 * half)
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(int(x0 + 2 * half), geometry.CANON_W), min(int(y0 + 2 * half), geometry.CANON_H)
    return cv2.resize(canon.image[y0:y1, x0:x1], (size, size), interpolation=cv2.INTER_AREA)


def analyze_bytes(
    data: bytes, *, thresholds: QualityThresholds | None = None, predictor: Predictor | None = None
) -> AnalysisResult:
    """Decode then analyse, with the decode time in ``timings_ms["decode"]``."""
    t = time.perf_counter()
    image = load_image(data)
    return analyze(image, thresholds=thresholds, predictor=predictor, decode_ms=_ms(t))
