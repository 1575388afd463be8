"""The one photo intake: every uploaded picture (skin analysis, progress photo, label scan) comes in here.

    image = image_intake(upload=request.FILES.get("file"), image_data=request.data.get("image_data"))

Transport first (`image_bytes`): exactly one of an `UploadedFile`, raw bytes or a base64 string (with or
without a `data:image/...;base64,` prefix); none → 400 `no_image`; over the byte limit → 413
`file_too_large`, checked from the declared size and again while reading, before decoding base64.
Then the content (`image_clean`): the header alone tells the format and the pixel count, so a
decompression bomb is refused before its pixels are decoded (400 `image_too_large`); a picture of another
format is 415 `unsupported_image_type`; anything unreadable 400 `not_an_image`. Then the pixels are
decoded, the EXIF orientation applied, every metadata block (EXIF/GPS, ICC, XMP, comments) dropped by
copying pixels into a new image, the image downscaled to `max_side` and re-encoded as JPEG.

Limits and codes are the domain's (domain/uploads.py); settings may override the limits
(`ANALYSIS_MAX_UPLOAD_BYTES`, `ANALYSIS_MAX_PIXELS`, `ANALYSIS_MAX_SIDE`), tests do.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from domain import uploads as U

from .errors import DomainError

try:  # HEIC/HEIF photos from phones: pillow-heif registers an opener with Pillow.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - the package is in requirements
    HEIF_SUPPORTED = False


def max_bytes() -> int:
    return int(getattr(settings, "ANALYSIS_MAX_UPLOAD_BYTES", U.MAX_UPLOAD_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "ANALYSIS_MAX_PIXELS", U.MAX_PIXELS))


def max_side() -> int:
    return int(getattr(settings, "ANALYSIS_MAX_SIDE", U.MAX_SIDE))


def error(code: str, **params) -> DomainError:
    """The DomainError of an upload code, with its status and sentence (domain/uploads.py)."""
    params.setdefault("mb", max_bytes() // (1024 * 1024))
    params.setdefault("mp", max_pixels() // 1_000_000)
    params.setdefault("format", "This")
    errors = {"file": [gettext("No photo was sent.")]} if code == U.NO_IMAGE else None
    return DomainError(gettext(U.MESSAGES[code]) % params, code=code, status_code=U.CODES[code], errors=errors)


@dataclass
class CleanImage:
    content: bytes  # clean JPEG: orientation applied, no metadata, at most `max_side` px on the long side
    width: int
    height: int
    source_format: str
    pixels: Image.Image | None = None  # the same clean pixels before JPEG encoding (OCR reads these)

    def pil(self) -> Image.Image:
        return self.pixels if self.pixels is not None else Image.open(io.BytesIO(self.content))


def decode_base64(value: str) -> bytes:
    """A base64 string, with or without a `data:image/...;base64,` prefix → bytes (400/413 with a code)."""
    if not isinstance(value, str) or not value.strip():
        raise error(U.NO_IMAGE)
    text = value.strip()
    if text.startswith("data:"):
        _, _, text = text.partition(",")
    text = "".join(text.split())
    if len(text) * 3 // 4 > max_bytes() + 3:  # refuse before decoding
        raise error(U.FILE_TOO_LARGE)
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise DomainError(gettext("`image_data` is not valid base64."), code=U.NOT_AN_IMAGE) from exc


def image_bytes(
    *, upload: UploadedFile | None = None, data: bytes | None = None, image_data: str | None = None
) -> bytes:
    """The raw bytes of the one photo sent: an uploaded file, bytes, or base64 text (in that order)."""
    limit = max_bytes()
    if upload is not None:
        if upload.size is not None and upload.size > limit:
            raise error(U.FILE_TOO_LARGE)
        upload.seek(0) if hasattr(upload, "seek") else None
        raw = upload.read(limit + 1)
    elif data is not None:
        raw = bytes(data)
    elif image_data:
        raw = decode_base64(image_data)
    else:
        raise error(U.NO_IMAGE)
    if len(raw) > limit:
        raise error(U.FILE_TOO_LARGE)
    if not raw:
        raise DomainError(gettext("The file is empty."), code=U.NOT_AN_IMAGE)
    return raw


def image_clean(data: bytes, *, side: int | None = None) -> CleanImage:
    """Validate a picture by its content and re-encode it clean (see the module docstring)."""
    if len(data) > max_bytes():
        raise error(U.FILE_TOO_LARGE)
    if not data:
        raise DomainError(gettext("The file is empty."), code=U.NOT_AN_IMAGE)
    not_an_image = error(U.NOT_AN_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise error(U.IMAGE_TOO_LARGE) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise not_an_image from exc
    fmt = (img.format or "").upper()
    if fmt not in U.ALLOWED_FORMATS:
        raise error(U.UNSUPPORTED_IMAGE_TYPE, format=fmt or "This")
    width, height = img.size
    if width * height > max_pixels() or width <= 0 or height <= 0:
        raise error(U.IMAGE_TOO_LARGE)
    limit_side = side or max_side()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
            img = ImageOps.exif_transpose(img)
            if img.mode not in ("RGB", "L"):
                if "A" in img.getbands() or img.mode == "P":
                    rgba = img.convert("RGBA")
                    background = Image.new("RGB", rgba.size, (255, 255, 255))
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    img = background
                else:
                    img = img.convert("RGB")
            img = img.convert("RGB")
            img.thumbnail((limit_side, limit_side), Image.Resampling.LANCZOS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise error(U.IMAGE_TOO_LARGE) from exc
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError) as exc:
        raise not_an_image from exc
    # A brand-new image carries pixels only: no EXIF, GPS, ICC profile, XMP or comments.
    clean = Image.new("RGB", img.size)
    clean.paste(img)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=92, optimize=True)
    return CleanImage(content=out.getvalue(), width=clean.width, height=clean.height, source_format=fmt, pixels=clean)


def image_intake(
    *,
    upload: UploadedFile | None = None,
    data: bytes | None = None,
    image_data: str | None = None,
    side: int | None = None,
) -> CleanImage:
    """Transport and content in one call: the clean image of the one photo sent."""
    return image_clean(image_bytes(upload=upload, data=data, image_data=image_data), side=side)


def request_image_bytes(
    request, *, file_fields=("file",), base64_fields=("image_data",), required=True
) -> bytes | None:
    """The photo's bytes from a DRF or Django request: the first multipart file of `file_fields`, else the
    first base64 string of `base64_fields`; None when absent and not `required`."""
    from django.core.exceptions import RequestDataTooBig

    try:
        files = getattr(request, "FILES", {})
        upload = next((files.get(f) for f in file_fields if files.get(f) is not None), None)
        data = getattr(request, "data", None)
        if data is None:
            data = getattr(request, "POST", {})
        text = None
        if hasattr(data, "get"):
            for field in base64_fields:
                value = data.get(field)
                if value is not None and not isinstance(value, str) and not hasattr(value, "read"):  # [null, null]
                    raise DomainError(
                        gettext("`%(field)s` must be the photo as a base64 string.") % {"field": field},
                        code=U.NOT_AN_IMAGE,
                        errors={field: [gettext("Send the photo as a base64 string.")]},
                    )
            text = next((data.get(f) for f in base64_fields if isinstance(data.get(f), str) and data.get(f)), None)
    except RequestDataTooBig as exc:  # a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE
        raise error(U.FILE_TOO_LARGE) from exc
    if upload is None and not text and not required:
        return None
    return image_bytes(upload=upload, image_data=text)
