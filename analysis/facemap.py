"""The face map: an analysis drawn from its stored measurements on a neutral face outline (SVG, no photo).

It is what the result page, history and progress show when there is no photo to draw on — a photo-free
analysis, or one whose photo was deleted (by the person or by their retention choice) — and what the API serves
at /api/v1/analysis/<id>/face-map. Everything comes from the row: the face outline, eyes, brows and lips from the
landmarks, the measured regions (tinted by the lowest-scoring concern's score in each region), and the lesion
boxes. No pixel of the photo is in it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext

from domain import vocabulary as vocab

BACKGROUND = "#f4f1ee"
FACE_FILL = "#fbf8f5"
LINE = "#8a8079"
LESION_COLOURS = {"inflamed": "#d7263d", "dark_spot": "#7a4a1e"}


def _score_colour(score) -> str:
    """0 (worst) red → 100 (best) green, through amber; grey when not measured."""
    if score is None:
        return "#c8c2bc"
    t = max(0.0, min(1.0, float(score) / 100.0))
    if t < 0.5:
        r, g, b = 215, int(60 + (170 - 60) * t * 2), 60
    else:
        r, g, b = int(215 - (215 - 70) * (t - 0.5) * 2), 170, int(60 + 30 * (t - 0.5) * 2)
    return f"#{r:02x}{g:02x}{b:02x}"


def _path(points) -> str:
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"


def face_map_svg(analysis, *, width: int = 360, lesions: bool = True) -> str | None:
    """The SVG text, or None when the analysis has no landmarks (not done, or failed before measuring).
    `lesions=False` leaves the spots out (a thumbnail: no query for them)."""
    from ml.vision import landmarks as lm  # index lists only

    points = analysis.landmarks or []
    if analysis.status != "done" or len(points) <= max(lm.FACE_OVAL):
        return None
    oval = [points[i] for i in lm.FACE_OVAL]
    xs = [p[0] for p in oval]
    ys = [p[1] for p in oval]
    pad = 0.08 * max(max(xs) - min(xs), max(ys) - min(ys))
    x0, y0 = min(xs) - pad, min(ys) - pad
    w, h = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    stroke = max(w, h) / 240
    concerns = [c for c in analysis.concerns or [] if c.get("score") is not None]
    worst = min(concerns, key=lambda c: c["score"]) if concerns else None
    region_scores = (worst or {}).get("regions") or {}
    label = gettext(vocab.concern_label(worst["key"])) if worst and worst.get("key") else ""
    aria = gettext("Face map: the measured regions and spots, drawn without the photo")
    title = (
        gettext("Face map (tint: %(concern)s score per region)") % {"concern": label} if label else gettext("Face map")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.1f} {y0:.1f} {w:.1f} {h:.1f}" width="{width}" '
        f'height="{int(width * h / w)}" role="img" aria-label="{escape(aria)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BACKGROUND}"/>',
        f'<path d="{_path(oval)}" fill="{FACE_FILL}" stroke="{LINE}" stroke-width="{stroke * 1.5:.2f}"/>',
    ]
    for name, poly in sorted((analysis.regions or {}).items()):
        if name == "t_zone" or len(poly) < 3:
            continue
        score = region_scores.get(name)
        title = gettext("%(region)s: %(concern)s %(score)s") % {
            "region": gettext(vocab.region_word(name)),
            "concern": label,
            "score": score if score is not None else gettext("not measured"),
        }
        parts.append(
            f'<path d="{_path(poly)}" fill="{_score_colour(score)}" fill-opacity="0.45" stroke="{LINE}" '
            f'stroke-width="{stroke:.2f}" data-region="{escape(name)}"><title>{escape(title)}</title></path>'
        )
    for feature in (lm.RIGHT_EYE, lm.LEFT_EYE, lm.RIGHT_BROW, lm.LEFT_BROW, lm.LIPS):
        if max(feature) < len(points):
            parts.append(
                f'<path d="{_path([points[i] for i in feature])}" fill="none" stroke="{LINE}" '
                f'stroke-width="{stroke:.2f}"/>'
            )
    for le in analysis.lesions.all() if lesions else ():
        colour = LESION_COLOURS.get(le.kind, "#e0a800")
        parts.append(
            f'<rect x="{le.x}" y="{le.y}" width="{max(le.w, 1)}" height="{max(le.h, 1)}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke * 1.2:.2f}" data-lesion="{escape(le.kind)}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
