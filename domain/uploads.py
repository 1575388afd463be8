"""Limits and error codes of every photo upload (skin analysis, progress photos, label scans).

The Django intake service (skincare/core/intake.py) applies them; settings read their defaults here.
"""

from __future__ import annotations

from .i18n import N_

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB (API.md: 413 over 10 MB)
MAX_PIXELS = 50_000_000  # a decompression bomb is refused from the header, before decoding
MAX_SIDE = 1920  # stored photos are downscaled to this many pixels on the long side
LABEL_MAX_SIDE = 3200  # label photos keep more pixels: small print must stay readable for OCR
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF", "MPO"})  # MPO: multi-picture JPEGs from some phones

# Stable codes a client can branch on, with their HTTP status.
NO_IMAGE = "no_image"  # 400: no file in `file` (multipart) and no base64 `image_data`
NOT_AN_IMAGE = "not_an_image"  # 400: the bytes are not a picture we can read (or not valid base64)
FILE_TOO_LARGE = "file_too_large"  # 413: over MAX_UPLOAD_BYTES
IMAGE_TOO_LARGE = "image_too_large"  # 400: over MAX_PIXELS
UNSUPPORTED_IMAGE_TYPE = "unsupported_image_type"  # 415: a picture, but not JPEG, PNG, WebP or HEIC

CODES: dict[str, int] = {
    NO_IMAGE: 400,
    NOT_AN_IMAGE: 400,
    FILE_TOO_LARGE: 413,
    IMAGE_TOO_LARGE: 400,
    UNSUPPORTED_IMAGE_TYPE: 415,
}
MESSAGES: dict[str, str] = {
    NO_IMAGE: N_("Send the photo in `file` (multipart) or `image_data` (base64)."),
    NOT_AN_IMAGE: N_("This file is not a photo we can read (JPEG, PNG, WebP or HEIC)."),
    FILE_TOO_LARGE: N_("The photo is larger than %(mb)s MB. Send a smaller one."),
    IMAGE_TOO_LARGE: N_("The photo has more than %(mp)s megapixels. Send a smaller one."),
    UNSUPPORTED_IMAGE_TYPE: N_("%(format)s images are not supported: send a JPEG, PNG, WebP or HEIC photo."),
}
