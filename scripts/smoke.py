"""Smoke test of the real thing: server + Celery worker + beat (honcho, as `make run` starts them).

Waits for /readyz 200, runs register → login → me → refresh → logout over HTTP, checks the old
refresh token is refused, and proves the worker runs queued work (a task enqueued through the
broker answers). Exits non-zero on any failure. Uses DATABASE_URL/REDIS_URL when set.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310 - loopback only
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, (json.loads(raw) if raw else None)


def expect(what: str, got: int, want: int, body) -> None:
    print(f"  {what}: {got}")
    if got != want:
        raise SystemExit(f"smoke: {what} answered {got}, expected {want}: {body}")


def main() -> int:
    port = int(os.environ.get("SMOKE_PORT") or free_port())
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, WEB_PORT=str(port), PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1")
    py = str(ROOT / ".venv/bin/python")
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([py, "manage.py", "setup_project"], cwd=ROOT, env=env, check=True)
    log = open(ROOT / "var" / "smoke.log", "w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/honcho"), "-f", "Procfile", "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = call(base, "GET", "/readyz")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                status, body = None, None
            if time.monotonic() > deadline:
                raise SystemExit(f"smoke: /readyz never answered 200 (last {status}: {body})")
            if proc.poll() is not None:
                raise SystemExit("smoke: processes exited early")
            time.sleep(1)
        print(f"smoke: server up at {base}")
        expect("GET /readyz", status, 200, body)

        email = f"smoke-{uuid.uuid4().hex[:8]}@example.com"
        password = "Smoke-Test-Pass-42!"
        status, body = call(base, "POST", "/api/v1/auth/register", {"email": email, "password": password})
        expect("register", status, 201, body)
        status, body = call(base, "POST", "/api/v1/auth/login", {"email": email, "password": password})
        expect("login", status, 200, body)
        access, refresh = body["access"], body["refresh"]
        status, body = call(base, "GET", "/api/v1/auth/me", token=access)
        expect("me", status, 200, body)
        assert body["email"] == email, body
        status, body = call(base, "POST", "/api/v1/auth/refresh", {"refresh": refresh})
        expect("refresh", status, 200, body)
        new_refresh = body["refresh"]
        status, body = call(base, "POST", "/api/v1/auth/refresh", {"refresh": refresh})
        expect("reuse of the old refresh token", status, 401, body)
        status, body = call(base, "POST", "/api/v1/auth/logout", {"refresh": new_refresh}, token=access)
        expect("logout", status, 204, body)
        status, body = call(base, "POST", "/api/v1/auth/refresh", {"refresh": new_refresh})
        expect("refresh after logout", status, 401, body)

        # The worker really runs queued work, in its own process, through the broker.
        out = subprocess.run(
            [
                py,
                "-c",
                "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','skincare.settings');"
                "django.setup();from skincare.core.tasks import ping;"
                "print(ping.apply_async(args=['smoke'], queue='default').id)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        task_id = out.stdout.strip().splitlines()[-1]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = (ROOT / "var" / "smoke.log").read_text(errors="replace")
            if f"Task core.ping[{task_id}] succeeded" in text:
                print("  worker ran a queued task: ok")
                break
            time.sleep(0.5)
        else:
            raise SystemExit("smoke: the worker did not run the queued task")
        text = (ROOT / "var" / "smoke.log").read_text(errors="replace")
        if "beat" not in text or "Scheduler: Sending" not in text and "beat: Starting" not in text:
            raise SystemExit("smoke: beat did not start")
        print("  beat running: ok")
        print("smoke: all good")
        return 0
    except BaseException:
        log.flush()
        print((ROOT / "var" / "smoke.log").read_text(errors="replace")[-6000:], file=sys.stderr)
        raise
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
