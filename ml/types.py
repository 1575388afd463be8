"""Typed results of the analysis engine: the contract between ``ml/`` and the ``analysis`` app.

Pure Python, no Django. Fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain import vocabulary as vocab

# The vocabulary has one home, the Django-free `domain` package: the concerns the engine measures, the
# face regions it reports, severities and the skin types a photo can show ("sensitive" only the person
# can tell).
CONCERN_KEYS: tuple[str, ...] = vocab.MEASURED_CONCERN_KEYS
QUALITY_CODES: tuple[str, ...] = (
    "no_face_found",
    "multiple_faces",
    "face_too_small",
    "face_not_frontal",
    "image_blurry",
    "image_too_dark",
    "image_too_bright",
    "face_occluded",  # raised by analyze (after the occluders are found), not by check_quality
)
REGION_REASONS: tuple[str, ...] = (
    "occluded",  # most of the region is covered (hands, hair, beard, glasses, a hat)
    "out_of_frame",  # most of the region is outside the photo
    "low_resolution",  # the photo has too few pixels on the face for fine detail (pores, texture, small spots)
)
REGION_KEYS: tuple[str, ...] = vocab.REGION_KEYS
# Skin tone categories of the ITA° scale (Chardon et al. 1991; see ml/vision/color.py for the limits).
SKIN_TONES: tuple[str, ...] = vocab.SKIN_TONE_KEYS
SEVERITIES: tuple[str, ...] = vocab.SEVERITIES
SKIN_TYPES: tuple[str, ...] = vocab.MEASURED_SKIN_TYPE_KEYS


@dataclass(frozen=True)
class QualityThresholds:
    """Limits of the quality gate. Staff can change them at run time (DB config), so they are passed in."""

    min_face_fraction: float = 0.15  # face box width / image short side
    max_yaw_degrees: float = 25.0  # head turned left/right, degrees
    min_sharpness: float = 35.0  # variance of Laplacian on the face crop resized to 256 px wide (grey 0-255)
    min_brightness: float = 25.0  # mean L* (0-100) of face skin
    max_brightness: float = 88.0  # mean L* (0-100) of face skin


@dataclass
class QualityIssue:
    code: str  # one of QUALITY_CODES
    message: str  # one sentence of advice for a person


@dataclass
class QualityReport:
    brightness: float | None  # mean L* of face skin, 0-100
    sharpness: float | None  # variance of Laplacian, face crop normalised to 256 px wide
    face_size: float | None  # face box width / image short side
    yaw_degrees: float | None
    face_count: int
    ok: bool
    issues: list[QualityIssue]
    face_box: tuple[int, int, int, int] | None  # x, y, w, h in image pixels
    highlight: float | None = None  # 99th percentile L* inside the face box (teeth, eyes, shine): the exposure
    visible_skin: float | None = None  # share of the face's skin not covered by occluders (set by analyze)


@dataclass
class ConcernMeasure:
    key: str  # one of CONCERN_KEYS
    raw: float  # the raw measurement, documented unit
    unit: str
    score: int  # 0-100, 100 = best, documented monotone mapping of raw
    severity: str  # none | mild | moderate | severe (from score)
    confidence: float  # 0-1
    regions: dict[str, int | None]  # per-region score, e.g. {"forehead": 80, "left_cheek": 62, ...}
    explanation: str  # plain words: what was measured (English; `explanation_key` % params gives the same text)
    # why it is less certain: "low_resolution", "<occluded|out_of_frame>:<region>", "underexposed"
    reasons: list[str] = field(default_factory=list)
    # The explanation as a message id (a key of ml.vision.measures.EXPLANATIONS) and its numbers, so that the apps
    # can render it in the reader's language: EXPLANATIONS[explanation_key] % explanation_params == explanation.
    explanation_key: str = ""
    explanation_params: dict[str, float | int] = field(default_factory=dict)


@dataclass
class Lesion:
    box: tuple[int, int, int, int]  # x, y, w, h in image pixels
    kind: str  # inflamed | dark_spot
    confidence: float
    region: str | None
    size_mm: float | None = None  # equivalent diameter in millimetres (scale from the inter-pupil distance)


@dataclass
class RegionQuality:
    visible: float  # share of the region's skin that could be measured (0-1)
    confidence: float  # 0-1: visible share x resolution
    reason: str | None  # one of REGION_REASONS when the region is not (fully) measurable; None when fine


@dataclass
class SkinType:
    value: str  # normal | dry | oily | combination (sensitive comes from the profile)
    confidence: float
    source: str  # "measures" or "model"


@dataclass
class ModelPrediction:
    version: str  # ModelVersion name / checkpoint id
    skin_type: tuple[str, float] | None  # None when the checkpoint has no skin-type head
    skin_age: float | None  # None when the checkpoint has no age head
    conditions: list[tuple[str, float]]  # top-5 (label, confidence); empty when no condition head


@dataclass
class AnalysisResult:
    quality: QualityReport
    face_box: tuple[int, int, int, int]
    landmarks: list[tuple[float, float]]  # 468/478 points in image pixels
    regions: dict[str, list[tuple[int, int]]]  # region polygons in image pixels
    concerns: list[ConcernMeasure]  # one per CONCERN_KEYS entry, in that order
    lesions: list[Lesion]
    skin_type: SkinType
    skin_tone_ita: float | None  # ITA° of the cheeks and forehead (white-patch normalised; see ml/README.md)
    overall_score: int
    overlay_png: bytes  # PNG: region outlines, lesion boxes, heat map of worst concern
    timings_ms: dict[str, float]  # decode, landmarks, measures, overlay, model, total
    model: ModelPrediction | None = None  # None when no trained model is installed
    mm_per_pixel: float | None = None  # scale from the inter-pupil distance (~63 mm)
    extras: dict[str, float] = field(default_factory=dict)  # extra raw numbers (debug / research)
    region_quality: dict[str, RegionQuality] = field(default_factory=dict)  # per region: visible, confidence, reason
    occluders: dict[str, float] = field(default_factory=dict)  # share of face skin covered: hands, texture, colour
    skin_tone_lab: tuple[float, float, float] | None = None  # the measured skin colour (L*, a*, b*)
    skin_tone_hex: str | None = None  # the same as #rrggbb, for the swatch
    skin_tone_category: str | None = None  # one of SKIN_TONES (from ITA°)
    overlay_face_png: bytes = b""  # PNG: the overlay cropped to the face, at the photo's resolution
    overlay_face_box: tuple[int, int, int, int] | None = None  # x, y, w, h of that crop in image pixels


class QualityError(Exception):
    """The quality gate failed; ``code`` is the first issue's code, ``report`` the whole report."""

    def __init__(self, report: QualityReport) -> None:
        self.report = report
        self.code = report.issues[0].code if report.issues else "no_face_found"
        self.message = report.issues[0].message if report.issues else "No face was found."
        super().__init__(self.message)
