"""Web processes must not import torch: only the worker path and the training command load ml.models."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
import django
django.setup()
import skincare.urls, skincare.asgi  # every URLconf and consumer, as a web process loads them
import analysis.admin, analysis.api.views, analysis.views, analysis.services, analysis.tasks, analysis.consumers
from analysis.services import check_image_quality  # noqa
import ml.vision  # the quality gate runs in the web process
heavy = sorted(m for m in ("torch", "timm", "torchvision") if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def test_web_process_does_not_import_torch(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, "HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "HEAVY=\n" in out.stdout, out.stdout
