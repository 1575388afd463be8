"""Helpers for the tests on real faces (the ``real_faces`` fixture is in conftest.py)."""

from __future__ import annotations

import pytest


def need(real_faces: dict, *keys: str) -> list:
    """The faces with these keys, or a skip naming the ones that could not be fetched."""
    missing = [k for k in keys if k not in real_faces]
    if missing:
        pytest.skip(f"real faces: not fetched from the registries: {', '.join(missing)}")
    return [real_faces[k] for k in keys]
