"""Reading a label photo with tesseract (Debian `tesseract-ocr`, through pytesseract).

Preprocessing, in order: decode (Pillow, EXIF rotation applied, HEIC via pillow-heif) → grey (light text on a
dark pack inverted) → flatten uneven lighting (divide by a heavy median blur) → rescale: small print up 1.5-3x
so lowercase letters are ~20 px tall, very large text down to ~30 px (tesseract reads best at 20-30 px) →
deskew (projection-profile search over ±10°) → Otsu threshold → white margin. Then `--psm 6` (one uniform block
of text), `OMP_THREAD_LIMIT=1` (tesseract's OpenMP threads make it several times slower on small images),
and a timeout. Errors: `not_an_image` (400), `no_text_found` (400), `ocr_timeout`/`ocr_unavailable` (503).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping

import numpy as np
from django.utils.translation import gettext

from domain import uploads
from skincare.core.errors import DomainError


class _TesseractEnviron(Mapping):
    """os.environ plus OMP_THREAD_LIMIT=1, handed to the tesseract subprocess only.

    Setting it in os.environ would reach this process's own OpenMP runtime too: torch, loaded later in
    the same worker, then hangs (its thread pool spins under a limit of one thread).
    """

    def _merged(self) -> dict[str, str]:
        return {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def __getitem__(self, key: str) -> str:
        return self._merged()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._merged())

    def __len__(self) -> int:
        return len(self._merged())


def _use_tesseract_environ() -> None:
    import pytesseract.pytesseract as backend

    backend.environ = _TesseractEnviron()  # pytesseract passes its module-level `environ` to Popen


OCR_TIMEOUT_S = 20
TARGET_CHAR_HEIGHT = 20  # median blob height ≈ x-height; tesseract reads best around 20-30 px
DOWNSCALE_ABOVE = 50  # px of x-height
UPSCALE_BELOW = 0.65  # upscale only when the x-height is under 13 px: above that it reads fine and faster
TESSERACT_CONFIG = "--psm 6 --oem 1"


def decode(image_bytes: bytes):
    """Bytes → greyscale uint8 array, through the one photo intake (same size, pixel and format limits and
    codes as every upload; orientation applied, metadata dropped), keeping LABEL_MAX_SIDE pixels for small
    print. Raises not_an_image, image_too_large, unsupported_image_type, file_too_large."""
    from skincare.core import intake

    clean = intake.image_clean(image_bytes, side=uploads.LABEL_MAX_SIDE)
    return np.asarray(clean.pil().convert("L"), dtype=np.uint8)


def _flatten_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the background (a median blur, estimated on a quarter-size copy for speed)."""
    import cv2

    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    k = max(5, (min(small.shape) // 8) | 1)
    background = cv2.medianBlur(small, min(k, 255) if min(k, 255) % 2 else min(k, 255) - 1)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, background, scale=255)


def _binarize(grey: np.ndarray) -> np.ndarray:
    import cv2

    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if binary.mean() < 127:  # light text on a dark pack: make it dark on light
        binary = 255 - binary
    return binary


def _binarize_raw_mean(grey: np.ndarray) -> float:
    import cv2

    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(binary.mean())


def char_height(binary: np.ndarray) -> float | None:
    """Median height of character-like blobs (dark on light), or None."""
    import cv2

    inv = 255 - binary
    n, _, stats, _ = cv2.connectedComponentsWithStats(inv, connectivity=8)
    heights = [h for (_, _, w, h, area) in stats[1:] if 3 <= h <= 200 and 2 <= w <= 200 and area >= 6]
    if len(heights) < 5:
        return None
    return float(np.median(heights))


def upscale_factor(binary: np.ndarray) -> float:
    """Scale that brings the x-height into tesseract's range: 1.5-3x for small print, down to ~30 px for
    very large text (a close-up phone photo: same accuracy, a fraction of the time)."""
    h = char_height(binary)
    if h is None:
        return 1.0
    if h > DOWNSCALE_ABOVE:
        return float(max(0.25, 30 / h))
    if h >= TARGET_CHAR_HEIGHT * UPSCALE_BELOW:
        return 1.0
    return float(min(3.0, max(1.5, TARGET_CHAR_HEIGHT / h)))


def skew_angle(binary: np.ndarray) -> float:
    """Angle (degrees) that makes text lines horizontal: maximise the variance of row sums."""
    import cv2

    inv = 255 - binary
    scale = 600 / max(inv.shape)
    small = cv2.resize(inv, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else inv
    h, w = small.shape
    centre = (w / 2, h / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-10, 10.5, 1.0), key=score)
    best = max(np.arange(best - 0.8, best + 0.9, 0.2), key=score)
    return float(round(best, 1))


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    import cv2

    if abs(angle) < 0.3:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)


def preprocess(grey: np.ndarray) -> np.ndarray:
    import cv2

    if _binarize_raw_mean(grey) < 127:
        grey = 255 - grey  # light text on a dark pack
    grey = _flatten_light(grey)
    binary = _binarize(grey)
    factor = upscale_factor(binary)
    if factor != 1.0:
        interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=interpolation)
        binary = _binarize(grey)
    angle = skew_angle(binary)
    if angle:
        grey = rotate(grey, angle)
        binary = _binarize(grey)
    return cv2.copyMakeBorder(binary, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


def tesseract(image: np.ndarray, *, config: str = TESSERACT_CONFIG, timeout: float = OCR_TIMEOUT_S) -> str:
    import pytesseract

    _use_tesseract_environ()
    try:
        return pytesseract.image_to_string(image, lang="eng", config=config, timeout=timeout)
    except pytesseract.TesseractNotFoundError as exc:
        raise DomainError(
            gettext("Text recognition is not available."), code="ocr_unavailable", status_code=503
        ) from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise DomainError(
                "Reading the label took too long. Try a closer, sharper photo.", code="ocr_timeout", status_code=503
            ) from exc
        raise


def read_label(image_bytes: bytes) -> str:
    """The text on a label photo. Raises not_an_image / no_text_found."""
    grey = decode(image_bytes)
    text = tesseract(preprocess(grey))
    if len(re.findall(r"[A-Za-z]", text)) < 4:
        raise DomainError(
            "No text was found in the photo. Fill the frame with the ingredient list, in good light.",
            code="no_text_found",
        )
    return text.strip()
