"""The evaluation faces: the photos of ``eval-faces.tsv`` and the faces cropped out of its group photos
(``faces-extra.tsv``), each with the labels set by eye."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.eval.fetch import DEFAULT_CACHE, Entry, fetch_entries, read_manifest
from ml.vision.io import load_image

HERE = Path(__file__).resolve().parent
EXTRA = HERE / "faces-extra.tsv"
CROP_GROW = 1.7  # a face crop is the square this many face-box widths wide around the detected face

TONE_GROUPS: tuple[str, ...] = ("light", "light-medium", "medium", "medium-dark", "dark")
DARKER = ("medium-dark", "dark")


@dataclass
class Face:
    key: str  # package/file[#crop id]
    source: str  # package/file of the photo
    tone: str
    acne: str
    occlusion: str
    expect: str
    person: str
    marks: bool  # pigment marks a person sees (freckles, moles, age spots)
    kind: str  # single | crop | noface | group
    notes: str
    image: np.ndarray  # RGB uint8

    @property
    def expected_codes(self) -> set[str]:
        """What the gate may answer: ``accept`` and/or quality codes (``a-or-b`` lists both)."""
        return {c.strip() for c in self.expect.split("-or-")} if self.expect else set()

    @property
    def clear(self) -> bool:
        return self.acne == "none"


def _box(spec: str) -> tuple[str, tuple[int, int, int, int]]:
    how, _, nums = spec.partition(":")
    x, y, w, h = (int(v) for v in nums.split(","))
    return how, (x, y, w, h)


def crop(image: np.ndarray, spec: str) -> np.ndarray:
    how, (x, y, w, h) = _box(spec)
    H, W = image.shape[:2]
    if how == "face":
        side = CROP_GROW * max(w, h)
        cx, cy = x + w / 2, y + h / 2
        x, y, w, h = int(round(cx - side / 2)), int(round(cy - side / 2)), int(round(side)), int(round(side))
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, W), min(y + h, H)
    return np.ascontiguousarray(image[y0:y1, x0:x1])


def read_extra(path: Path = EXTRA) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 10
        rows.append([c.strip() for c in cols[:10]])
    return rows


def load_faces(cache: Path = DEFAULT_CACHE, log=print) -> tuple[list[Face], dict[str, str]]:
    """Every evaluation face (photos fetched and cached on first use) and the fetch errors by photo."""
    entries = read_manifest()
    paths, errors = fetch_entries(entries, cache, log=log)
    by_key: dict[str, Entry] = {e.key: e for e in entries}
    extra = read_extra()
    singles = {r[0]: r for r in extra if r[1] == "-"}
    faces: list[Face] = []
    images: dict[str, np.ndarray] = {}

    def image_of(key: str) -> np.ndarray | None:
        if key not in images and key in paths:
            images[key] = load_image(paths[key].read_bytes())
        return images.get(key)

    def label(value: str, own: str) -> str:
        return own if value in ("=", "") else value

    for e in entries:
        if e.kind == "group":
            continue
        img = image_of(e.key)
        if img is None:
            continue
        row = singles.get(e.key)
        faces.append(
            Face(
                key=e.key,
                source=e.key,
                tone=e.tone,
                acne=e.acne,
                occlusion=e.occlusion,
                expect=e.expect,
                person=row[7] if row else e.key,
                marks=bool(row and row[8] == "yes"),
                kind=e.kind,
                notes=e.notes,
                image=img,
            )
        )
    for row in extra:
        key, spec, cid, tone, acne, occl, expect, person, marks, notes = row
        if spec == "-" or key not in by_key:
            continue
        img = image_of(key)
        if img is None:
            continue
        e = by_key[key]
        faces.append(
            Face(
                key=f"{key}#{cid}",
                source=key,
                tone=label(tone, e.tone),
                acne=label(acne, e.acne),
                occlusion=label(occl, e.occlusion),
                expect=label(expect, e.expect),
                person=person or f"{key}#{cid}",
                marks=marks == "yes",
                kind="crop",
                notes=notes,
                image=crop(img, spec),
            )
        )
    # group photos as a whole: the gate must refuse them
    for e in entries:
        if e.kind == "group" and (img := image_of(e.key)) is not None:
            faces.append(Face(e.key, e.key, e.tone, e.acne, e.occlusion, e.expect, e.key, False, "group", e.notes, img))
    return faces, errors
