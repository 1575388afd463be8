from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from ml.vision.__main__ import main


def test_cli_prints_json_and_writes_overlay(
    astronaut: np.ndarray, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo, overlay = tmp_path / "a.jpg", tmp_path / "o.png"
    Image.fromarray(astronaut).save(photo, quality=95)
    assert main([str(photo), "--overlay", str(overlay)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["key"] for c in out["concerns"]][0] == "acne" and out["timings_ms"]["decode"] > 0
    assert overlay.read_bytes().startswith(b"\x89PNG")


def test_cli_reports_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = tmp_path / "c.png"
    Image.fromarray(data.coffee()).save(photo)
    assert main([str(photo)]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "no_face_found"
