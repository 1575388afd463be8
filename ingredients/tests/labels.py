"""Label images rendered with Pillow for OCR tests and the benchmark."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]

LABEL_NAMES = [
    "Aqua",
    "Glycerin",
    "Niacinamide",
    "Butylene Glycol",
    "Cetearyl Alcohol",
    "Dimethicone",
    "Sodium Hyaluronate",
    "Panthenol",
    "Tocopheryl Acetate",
    "Caprylic/Capric Triglyceride",
    "Allantoin",
    "Xanthan Gum",
    "Disodium EDTA",
    "Phenoxyethanol",
    "Ethylhexylglycerin",
    "Parfum",
    "Limonene",
    "Linalool",
]


def font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def render_label(
    names: list[str] = LABEL_NAMES,
    *,
    size: int = 28,
    width_chars: int = 48,
    rotate: float = 0.0,
    noise: float = 0.0,
    jpeg_quality: int | None = None,
    blur: float = 0.0,
    header: str = "INGREDIENTS:",
    invert: bool = False,
    shade: bool = False,
    shear: float = 0.0,
) -> bytes:
    text = header + " " + ", ".join(names) + "."
    lines = ["Hydrating daily moisturizer", *textwrap.wrap(text, width_chars), "Made in France."]
    f = font(size)
    line_h = int(size * 1.45)
    w = int(size * 0.62 * width_chars) + 2 * size
    h = line_h * len(lines) + 2 * size
    img = Image.new("L", (w, h), 250)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((size, size + i * line_h), line, fill=25, font=f)
    if invert:
        img = img.point(lambda v: 255 - v)
    if rotate:
        img = img.rotate(rotate, resample=Image.BICUBIC, expand=True, fillcolor=5 if invert else 250)
    if shade:  # uneven light: darker on the left and at the top, like a photo taken beside a window
        arr = np.asarray(img, dtype=np.float32)
        h, w = arr.shape
        arr *= np.linspace(0.35, 1.0, w)[None, :] * np.linspace(0.7, 1.0, h)[:, None]
        img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if shear:
        img = img.transform(img.size, Image.AFFINE, (1, shear, 0, shear / 2, 1, 0), Image.BICUBIC, fillcolor=120)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        arr = np.asarray(img, dtype=np.float32)
        rng = np.random.default_rng(7)  # fixed seed: the same image every run
        arr = np.clip(arr + rng.normal(0, noise, arr.shape), 0, 255).astype(np.uint8)
        img = Image.fromarray(arr)
    buf = io.BytesIO()
    if jpeg_quality:
        img.convert("RGB").save(buf, format="JPEG", quality=jpeg_quality)
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()
