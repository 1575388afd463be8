import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_checklist_passes_with_production_environment():
    result = subprocess.run(["bash", "scripts/check_deploy.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checklist_fails_with_development_defaults():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))}
    env["DJANGO_SETTINGS_MODULE"] = "skincare.settings"
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS without production settings
