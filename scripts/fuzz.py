"""`make fuzz`: Schemathesis over every operation of /api/schema/, against the production server command.

Starts scripts/web.sh on a database of its own (PostgreSQL `skincare_fuzz` when a server is reachable, dropped after;
else a SQLite file), with throttles raised by environment for this run (with the defaults the fuzzer would mostly
meet 429), registers a user and fuzzes every operation with its token, a bounded number of examples each
(FUZZ_MAX_EXAMPLES, default 12). Fails on any server error (5xx) or any answer that breaks the schema: an
undocumented status code, content type or header, or a body that does not match the documented schema.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from skincare.core.serving import free_port, own_database, start_web, stop  # noqa: E402

DB = "skincare_fuzz"
THROTTLE_SCOPES = ("USER", "IP", "LOGIN", "OTP", "UPLOAD", "PASSWORD_RESET", "SHARE_REPORT")
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read() or b"{}")


def seed(base: str, token: str) -> dict[str, str]:
    """Real objects of the fuzzing user, so that operations on /{id} reach their logic instead of a 404."""
    import base64
    import io

    from PIL import Image
    from skimage import data as skdata

    photo = io.BytesIO()
    Image.fromarray(skdata.astronaut()).save(photo, format="JPEG", quality=90)
    image_data = base64.b64encode(photo.getvalue()).decode()
    analysis = call(base, "POST", "/api/v1/analysis/upload", {"image_data": image_data, "consent": True}, token)
    routine = call(base, "POST", "/api/v1/routine/create", {"period": "am"}, token)["routines"][0]
    shelf = call(base, "POST", "/api/v1/shelf", {"name": "Fuzz cream", "pao_months": 12}, token)
    ingredient = call(base, "GET", "/api/v1/ingredients/search?q=glycerin", token=token)["results"][0]
    product = call(base, "GET", "/api/v1/products?page_size=1", token=token)["results"][0]
    return {
        "/api/v1/analysis/{id}": analysis["id"],
        "/api/v1/analysis/{id}/feedback": analysis["id"],
        "/api/v1/routine/{id}": routine["id"],
        "/api/v1/routine/{id}/start": routine["id"],
        "/api/v1/routine/{id}/complete": routine["id"],
        "/api/v1/shelf/{id}": shelf["id"],
        "/api/v1/ingredients/{id}": ingredient["id"],
        "/api/v1/products/{id}": product["id"],
    }


def config_file(folder: Path, ids: dict[str, str]) -> Path:
    """schemathesis.toml: each seeded id as the path parameter of its operations."""
    path = folder / "schemathesis.toml"
    path.write_text(
        "".join(
            f'[[operations]]\ninclude-path = "{route}"\nparameters = {{ id = "{value}" }}\n\n'
            for route, value in ids.items()
        )
    )
    return path


def main() -> int:
    py = str(ROOT / ".venv/bin/python")
    high = "1000000/min"
    tmp = Path(tempfile.mkdtemp(prefix="skincare-fuzz-"))
    db_url = own_database(DB, create=True) or f"sqlite:///{tmp / 'fuzz.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": db_url,
        "CACHE_PREFIX": f"fuzz-{os.getpid()}",
        "MEDIA_ROOT": str(tmp / "media"),
        "SKINCARE_BROKER_DIR": str(tmp / "broker"),
        "EMAIL_URL": "dummymail://",
        "JWT_ACCESS_MINUTES": "120",
        "WEB_CONCURRENCY": os.environ.get("FUZZ_WEB_CONCURRENCY", "2"),
        "LOG_LEVEL": "WARNING",
        **{f"THROTTLE_{scope}": high for scope in THROTTLE_SCOPES},
        "HF_HUB_OFFLINE": "1",
    }
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "setup_project"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    log = ROOT / "var" / "fuzz_server.log"
    proc = start_web(env, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        credentials = {"email": "fuzz@example.com", "password": "Fuzz-Pass-2026!", "first_name": "Fuzz"}
        token = call(base, "POST", "/api/v1/auth/register", credentials)["access"]
        config = config_file(tmp, seed(base, token))
        args = [
            str(ROOT / ".venv/bin/schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"{base}/api/schema/?format=json",
            "--url",
            base,
            "--checks",
            CHECKS,
            "--max-examples",
            os.environ.get("FUZZ_MAX_EXAMPLES", "12"),
            "--phases",
            "examples,coverage,fuzzing",
            "--header",
            f"Authorization: Bearer {token}",
            "--workers",
            "2",
            "--seed",
            os.environ.get("FUZZ_SEED", "14"),
            "--request-timeout",
            "30",
            "--no-shrink",
            "--exclude-path",
            "/api/v1/account",  # DELETE with a fuzzed password answers 400; a lucky one would end the run
            *sys.argv[1:],
        ]
        rc = subprocess.call(args, cwd=tmp, env={**os.environ, "NO_COLOR": "1"})  # its cache stays in tmp
        errors = [line for line in log.read_text(errors="replace").splitlines() if "Internal Server Error" in line]
        if errors:
            print("server log:\n" + "\n".join(errors[-20:]))
        return rc
    finally:
        stop(proc)
        own_database(DB, create=False)


if __name__ == "__main__":
    sys.exit(main())
