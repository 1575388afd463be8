"""Shared fixtures: `user`, `other_user`, `api_client`, `auth_client`, and a clean cache per test."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return "Str0ng-Pass!word"


@pytest.fixture
def user(db, password):
    from accounts.tests.factories import UserFactory

    return UserFactory(password=password)


@pytest.fixture
def other_user(db, password):
    from accounts.tests.factories import UserFactory

    return UserFactory(password=password)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def auth_client(user):
    """An API client carrying a real JWT access token for `user`."""
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    client.user = user
    return client


@pytest.fixture
def other_client(other_user):
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(other_user).access_token}")
    client.user = other_user
    return client


# --- real processes: a Celery worker / beat, and a headless browser ------------------------------
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _reset_connections(app) -> None:
    """Drop pooled broker connections so the next publish uses the current broker settings.

    kombu keeps process-global pools keyed by connection; `pools.reset()` closes and forgets them
    (closing one without forgetting it leaves a closed pool for the next test with the same URL).
    """
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def live_env(transactional_db, settings):
    """Environment for subprocesses that share this test's database, broker, media and secrets.

    Turns eager Celery off in this process so `.delay()` really goes to the broker. Without
    REDIS_URL a private filesystem broker is used (the same transport as `make run`).
    """
    from skincare.celery import app

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="skincare.settings",
        DATABASE_URL=_database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        SECRET_KEY=settings.SECRET_KEY,
        ML_MODELS_DIR=str(settings.ML_MODELS_DIR),
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    old = {k: app.conf.get(k) for k in ("task_always_eager", "broker_url", "broker_transport_options")}
    if settings.REDIS_URL:
        broker_url = settings.REDIS_URL
        env.update(REDIS_URL=settings.REDIS_URL, CELERY_BROKER_URL=broker_url)
        app.conf.broker_url = broker_url
    else:
        folder = tempfile.mkdtemp(prefix="skincare-broker-")
        os.makedirs(os.path.join(folder, "out"))
        env.update(CELERY_BROKER_URL="filesystem://", SKINCARE_BROKER_DIR=folder)
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport_options = {
            "data_folder_in": os.path.join(folder, "out"),
            "data_folder_out": os.path.join(folder, "out"),
            "control_folder": os.path.join(folder, "control"),
            "store_processed": False,
        }
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connections(app)
    yield env
    for key, value in old.items():
        app.conf[key] = value
    _reset_connections(app)


def _start(args: list[str], env: dict, ready: str, timeout: float = 90, new_session: bool = False):
    log = tempfile.NamedTemporaryFile(prefix="skincare-proc-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=new_session
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = Path(log.name).read_text(errors="replace")
        if ready in text:
            return proc, log.name
        if proc.poll() is not None:
            raise RuntimeError(f"{args[0]} exited early:\n{text[-4000:]}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{args} not ready after {timeout}s:\n{Path(log.name).read_text()[-4000:]}")


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def live_worker(live_env):
    """A real `celery worker` process consuming both queues, on the real broker."""
    celery = str(Path(sys.executable).with_name("celery"))
    proc, log = _start(
        [
            celery,
            "-A",
            "skincare",
            "worker",
            "-Q",
            "default,inference",
            "-P",
            "solo",
            "-c",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        live_env,
        ready="ready.",
    )
    proc.log_path = log
    yield proc
    _stop(proc)


@pytest.fixture
def live_worker_pool(live_env):
    """Start real `celery worker` processes as the production ones run (prefork: a main process and its pool
    processes), each in its own process group: `start(name)` → the Popen, with .log_path and .name."""
    import signal

    celery = str(Path(sys.executable).with_name("celery"))
    started = []

    def start(name: str, queues: str = "default,inference", concurrency: int = 1, env: dict | None = None):
        args = [celery, "-A", "skincare", "worker", "-n", f"{name}@%h", "-Q", queues, "-P", "prefork"]
        args += ["-c", str(concurrency), "--without-gossip", "--without-mingle", "-l", "INFO"]
        proc, log = _start(args, {**live_env, **(env or {})}, ready="ready.", new_session=True)
        proc.log_path, proc.name = log, name
        started.append(proc)
        return proc

    yield start
    for proc in started:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def live_beat(live_env):
    """A real `celery beat` process with django-celery-beat's database scheduler."""
    celery = str(Path(sys.executable).with_name("celery"))
    schedule = tempfile.mkdtemp(prefix="skincare-beat-")
    proc, log = _start(
        [
            celery,
            "-A",
            "skincare",
            "beat",
            "-S",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "-l",
            "INFO",
            "--pidfile",
            os.path.join(schedule, "beat.pid"),
        ],
        live_env,
        ready="beat: Starting",
    )
    proc.log_path = log
    yield proc
    _stop(proc)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_asgi(live_env):
    """Start `uvicorn skincare.asgi:application` on this test's database and broker: `live_asgi(**extra_env)`
    returns its port. Stopped after the test."""
    import socket

    procs = []

    def start(**extra_env) -> int:
        port = _free_port()
        uvicorn = str(Path(sys.executable).with_name("uvicorn"))
        log = tempfile.NamedTemporaryFile(prefix="skincare-uvicorn-", suffix=".log", delete=False)
        args = [
            uvicorn,
            "skincare.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
        proc = subprocess.Popen(args, cwd=ROOT, env={**live_env, **extra_env}, stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return port
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"uvicorn exited: {Path(log.name).read_text()[-3000:]}")
                time.sleep(0.2)
        pytest.fail(f"uvicorn did not listen within 60 s: {Path(log.name).read_text()[-3000:]}")

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()  # uvicorn waits for idle keep-alive sockets; nothing left to finish here
            proc.wait(timeout=5)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A real headless Chromium page (Playwright) against pytest-django's live server.

    Use `browser_page.goto(live_server.url + "/path")`.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium'")
    from playwright.sync_api import sync_playwright

    # The live server's ORM runs beside Playwright's event loop; only for this test (monkeypatch undoes it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


# Property-based tests: CI runs a fixed, repeatable set of examples ("ci", derandomized); set
# HYPOTHESIS_PROFILE=explore to search new random examples (more of them) while working on a rule.
def _hypothesis_profiles():
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.register_profile("explore", max_examples=2000, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()
