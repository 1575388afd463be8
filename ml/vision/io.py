"""Decoding uploaded bytes into an RGB array."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF support when pillow-heif is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
except Exception:  # pragma: no cover - optional  # noqa: S110
    pass

MAX_PIXELS = 50_000_000


def load_image(data: bytes) -> np.ndarray:
    """Decode image bytes to an RGB ``uint8`` array of shape (H, W, 3), EXIF orientation applied.

    Raises ``ValueError`` for empty, undecodable or oversized input.
    """
    if not data:
        raise ValueError("empty image")
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise ValueError("image has too many pixels")
            img.load()
            rgb = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValueError(f"not a decodable image: {exc}") from exc
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
