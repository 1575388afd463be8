"""tesseract gets OMP_THREAD_LIMIT=1; this process's own environment does not (torch would hang)."""

import os
import subprocess

from ingredients import ocr


def test_thread_limit_reaches_tesseract_only(monkeypatch):
    import pytesseract.pytesseract as backend

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    seen = {}
    real_popen = subprocess.Popen

    def spy(args, **kwargs):
        seen.update(kwargs.get("env") or {})
        return real_popen(args, **kwargs)

    monkeypatch.setattr(backend.subprocess, "Popen", spy)
    import numpy as np

    ocr.tesseract(np.full((40, 120), 255, dtype=np.uint8))
    assert seen.get("OMP_THREAD_LIMIT") == "1"
    assert seen.get("PATH") == os.environ["PATH"]
    assert "OMP_THREAD_LIMIT" not in os.environ
