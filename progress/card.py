"""The share image card (PNG, 1200x630, the size link previews expect), drawn with Pillow.

It carries scores and face thumbnails only: no name, no email, no date of birth.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 1200, 630
BG = (251, 250, 248)
INK = (29, 27, 25)
MUTED = (107, 100, 92)
LINE = (231, 226, 220)
BRAND = (181, 84, 60)
GOOD = (47, 125, 79)
BAD = (184, 50, 50)
FOOTER = "Cosmetic guidance, not a medical diagnosis."


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # pragma: no cover - Pillow without FreeType
        return ImageFont.load_default()


def face_thumbnail(image: Image.Image, face_box: list | None, size: tuple[int, int]) -> Image.Image:
    """The face (its box with a margin) when known, else the centre of the photo, fitted to `size`."""
    image = image.convert("RGB")
    if face_box and len(face_box) == 4:
        x, y, w, h = (float(v) for v in face_box)
        margin = 0.35
        left = max(0, int(x - w * margin))
        top = max(0, int(y - h * margin))
        right = min(image.width, int(x + w * (1 + margin)))
        bottom = min(image.height, int(y + h * (1 + margin)))
        if right - left > 10 and bottom - top > 10:
            image = image.crop((left, top, right, bottom))
    return ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)


def render_card(
    *,
    title: str,
    overall: int | None,
    overall_label: str,
    concerns: list[tuple[str, float | None, float | None]],
    photos: list[Image.Image],
) -> bytes:
    """`concerns`: (label, score, delta or None). `photos`: one (analysis) or two (before, after) thumbnails."""
    card = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(card)
    # Photos on the left.
    n = max(len(photos), 1)
    slot_w = 480 // n if n > 1 else 480
    for i, photo in enumerate(photos[:2]):
        thumb = face_thumbnail(photo, None, (slot_w - 10, 560))
        card.paste(thumb, (35 + i * slot_w, 35))
        if n == 2:
            draw.rectangle((35 + i * slot_w, 555, 35 + i * slot_w + 110, 595), fill=INK)
            draw.text((45 + i * slot_w, 561), ("Before", "After")[i], fill=BG, font=_font(24))
    if not photos:
        draw.rectangle((35, 35, 515, 595), fill=LINE)
    # Scores on the right.
    x0 = 560
    draw.text((x0, 40), title, fill=INK, font=_font(40))
    draw.text((x0, 100), overall_label, fill=MUTED, font=_font(24))
    draw.text((x0, 130), "—" if overall is None else str(overall), fill=BRAND, font=_font(96))
    y = 260
    for label, score, delta in concerns[:6]:
        draw.text((x0, y), label, fill=INK, font=_font(24))
        draw.rounded_rectangle((x0 + 230, y + 6, x0 + 530, y + 22), radius=8, fill=LINE)
        if score is not None:
            draw.rounded_rectangle(
                (x0 + 230, y + 6, x0 + 230 + int(300 * max(0, min(100, score)) / 100), y + 22), radius=8, fill=BRAND
            )
        value = "n/a" if score is None else f"{score:g}"
        if delta is not None:
            value += f"  ({delta:+g})"
        colour = GOOD if (delta or 0) > 0 else BAD if (delta or 0) < 0 else INK
        draw.text((x0 + 545, y), value, fill=colour, font=_font(22))
        y += 50
    draw.text((x0, HEIGHT - 45), FOOTER, fill=MUTED, font=_font(18))
    buf = io.BytesIO()
    card.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()
