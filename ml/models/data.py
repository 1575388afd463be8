"""Training data: discovery of labelled images in the two supported layouts, the split, the tensors.

Layouts (both may be present under the same root; labels of the same file are merged):

1. Folder per class: ``<root>/skin_type/<label>/*.jpg`` and ``<root>/condition/<label>/*.jpg``
   (e.g. ``<root>/skin_type/oily/0001.jpg``, ``<root>/condition/acne/img_7.png``).
2. CSV manifest ``<root>/labels.csv`` with the header ``path,skin_type,age,condition``: ``path`` is
   relative to the root (or absolute); every other column may be empty for a row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".heic", ".heif"}
TASK_DIRS = ("skin_type", "condition")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass
class Sample:
    path: str
    skin_type: str | None = None
    age: float | None = None
    condition: str | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def discover(data_dir: str) -> list[Sample]:
    """All labelled images under ``data_dir`` (both layouts), in a stable order."""
    root = Path(data_dir)
    if not root.is_dir():
        raise ValueError(f"not a directory: {data_dir}")
    by_path: dict[str, Sample] = {}

    def get(path: Path) -> Sample:
        key = str(path.resolve())
        return by_path.setdefault(key, Sample(path=key))

    for task in TASK_DIRS:
        task_dir = root / task
        if not task_dir.is_dir():
            continue
        for label_dir in sorted(p for p in task_dir.iterdir() if p.is_dir()):
            for img in sorted(label_dir.rglob("*")):
                if img.suffix.lower() in IMAGE_EXTENSIONS and img.is_file():
                    setattr(get(img), task, label_dir.name)
    manifest = root / "labels.csv"
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"path"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError("labels.csv needs a 'path' column (and any of skin_type, age, condition)")
            for row in reader:
                rel = _clean(row.get("path"))
                if rel is None:
                    continue
                p = Path(rel) if Path(rel).is_absolute() else root / rel
                if not p.is_file():
                    raise ValueError(f"labels.csv names a missing file: {rel}")
                s = get(p)
                s.skin_type = _clean(row.get("skin_type")) or s.skin_type
                s.condition = _clean(row.get("condition")) or s.condition
                age = _clean(row.get("age"))
                if age is not None:
                    try:
                        s.age = float(age)
                    except ValueError as exc:
                        raise ValueError(f"labels.csv: age {age!r} is not a number ({rel})") from exc
    samples = [s for s in by_path.values() if s.skin_type or s.condition or s.age is not None]
    samples.sort(key=lambda s: s.path)
    if not samples:
        raise ValueError(f"no labelled images found under {data_dir}")
    return samples


def split(samples: list[Sample], val_fraction: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """A seeded random held-out split (at least one image on each side when there are two or more)."""
    n = len(samples)
    order = np.random.default_rng(seed).permutation(n)
    n_val = int(round(n * val_fraction))
    if n >= 2:
        n_val = min(max(n_val, 1), n - 1)
    else:
        n_val = 0
    val_idx = set(order[:n_val].tolist())
    train = [s for i, s in enumerate(samples) if i not in val_idx]
    val = [s for i, s in enumerate(samples) if i in val_idx]
    return train, val


def to_array(img: np.ndarray | Image.Image, size: int) -> np.ndarray:
    """RGB image -> float32 CHW array, short side resized to ``size`` and centre-cropped, ImageNet-normalised."""
    pil = img if isinstance(img, Image.Image) else Image.fromarray(np.asarray(img, dtype=np.uint8))
    pil = ImageOps.fit(pil.convert("RGB"), (size, size), method=Image.Resampling.BILINEAR)
    arr = np.asarray(pil, dtype=np.float32) / 255.0
    arr = (arr - np.array(IMAGENET_MEAN, np.float32)) / np.array(IMAGENET_STD, np.float32)
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


def load_path(path: str, size: int) -> np.ndarray:
    try:  # HEIC when pillow-heif is there
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except Exception:  # noqa: S110
        pass
    with Image.open(path) as img:
        return to_array(ImageOps.exif_transpose(img), size)
