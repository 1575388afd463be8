"""``analyze``: quality gate -> landmarks -> canonical face -> lighting normalisation -> regions and
skin mask -> concern measures and lesions -> skin type -> (optional learned model) -> overlay."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from ml.types import CONCERN_KEYS, AnalysisResult, QualityError, QualityThresholds, SkinType
from ml.vision import color, geometry, measures, overlay, skintype
from ml.vision.io import load_image
from ml.vision.landmarks import find_faces
from ml.vision.quality import evaluate

if TYPE_CHECKING:  # pragma: no cover
    from ml.models import Predictor

MODEL_CROP = 256  # side of the square face crop handed to a learned model


def _finv(t: float) -> float:
    return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)


def _exposure_gain(l_now: float, l_target: float) -> float:
    """Linear-light gain that moves lightness ``l_now`` to ``l_target`` (CIE L* <-> Y)."""
    y_now = _finv((l_now + 16) / 116)
    y_target = _finv((l_target + 16) / 116)
    return float(np.clip(y_target / max(y_now, 1e-5), 0.25, 8.0))


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
    masks = geometry.geometric_masks(canon)
    linear = color.srgb_to_linear(canon.image)
    sclera = color.sclera_mask(linear, masks.eyes, masks.iris)
    gains, wb_source = color.white_gains(linear, sclera)
    balanced = linear * gains
    lab_wb = color.lab_from_linear(balanced)
    # Exposure gain from the landmark-only skin mask: the same pixels whatever the light, so a dimmer
    # copy gets exactly the compensating gain; hair is removed on the normalised image afterwards.
    l_skin = float(np.median(lab_wb[..., 0][masks.skin])) if masks.skin.any() else color.TARGET_SKIN_L
    gain = _exposure_gain(l_skin, color.TARGET_SKIN_L)
    lab = color.lab_from_linear(balanced * gain)
    masks = geometry.remove_hair_and_background(masks, lab)
    cheeks = masks.regions["left_cheek"] | masks.regions["right_cheek"]
    tone_mask = cheeks if int(cheeks.sum()) >= 20 else masks.skin
    if wb_source == "sclera":
        # Skin tone needs absolute lightness: expose so that the sclera has its typical L* (80).
        l_sclera = float(np.median(lab_wb[..., 0][sclera]))
        lab_tone = color.lab_from_linear(balanced * _exposure_gain(l_sclera, color.SCLERA_LAB[0]))
        ita = color.ita_degrees(lab_tone, tone_mask)
    else:
        ita = color.ita_degrees(lab_wb, tone_mask)
    timings["normalise"] = _ms(t)

    t = time.perf_counter()
    resolution_conf = float(np.clip(canon.source_ipd / geometry.CANON_IPD, 0.15, 1.0))
    measured = measures.measure(lab, masks, resolution_conf)
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
    png = overlay.render(image, regions, lesions, measured.heatmaps.get(worst.key), canon.inverse)
    timings["overlay"] = _ms(t)
    timings["total"] = round(_ms(t_total) + decode_ms, 2)

    extras = dict(measured.extras)
    extras.update(
        {
            "exposure_gain": round(gain, 4),
            "white_balance_from_sclera": 1.0 if wb_source == "sclera" else 0.0,
            "source_pupil_distance_px": round(canon.source_ipd, 2),
            "resolution_confidence": round(resolution_conf, 3),
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
