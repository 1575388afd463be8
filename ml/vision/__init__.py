"""The measured vision engine: decode, quality gate, landmarks, regions, concern measures, overlay.

Public API (the contract with the ``analysis`` app)::

    load_image(data: bytes) -> np.ndarray
    check_quality(image, thresholds=None) -> QualityReport
    analyze(image, *, thresholds=None, predictor=None) -> AnalysisResult   # raises QualityError
    analyze_bytes(data, *, thresholds=None, predictor=None) -> AnalysisResult
"""

from __future__ import annotations

from ml.vision.io import load_image
from ml.vision.pipeline import analyze, analyze_bytes
from ml.vision.quality import ADVICE, check_quality

__all__ = ["ADVICE", "analyze", "analyze_bytes", "check_quality", "load_image"]
