"""Test images built from real photos shipped with scikit-image (a face: astronaut; no face: coffee)."""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

import numpy as np
from PIL import Image


@cache
def astronaut() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


@cache
def coffee() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.coffee())


def encode(array_or_image, fmt: str = "JPEG", **kwargs) -> bytes:
    img = array_or_image if isinstance(array_or_image, Image.Image) else Image.fromarray(array_or_image)
    out = io.BytesIO()
    if fmt == "JPEG":
        kwargs.setdefault("quality", 95)
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def face_jpeg() -> bytes:
    return encode(astronaut())


def dark_face_jpeg() -> bytes:
    return encode((astronaut().astype(np.float32) * 0.25).astype(np.uint8))


def blurred_face_jpeg() -> bytes:
    import cv2

    return encode(cv2.GaussianBlur(astronaut(), (0, 0), 3.0))


def no_face_jpeg() -> bytes:
    return encode(coffee())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels, with almost no data: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )
