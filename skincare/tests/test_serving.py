"""Serving for real: the client's address, dependency faults as 503, the pool and site settings, static caching."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from rest_framework.throttling import SimpleRateThrottle

from skincare.core.clientip import client_ip

ROOT = Path(__file__).resolve().parents[2]
SPOOFED = ["203.0.113.10", "203.0.113.11", "203.0.113.12"]


class _Req:
    def __init__(self, peer, xff=None):
        self.META = {"REMOTE_ADDR": peer}
        if xff is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = xff


# --- the client's address -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("trusted", "peer", "xff", "expected"),
    [
        ([], "198.51.100.7", "203.0.113.10", "198.51.100.7"),  # nobody trusted: the header is ignored
        (["10.0.0.0/8"], "198.51.100.7", "203.0.113.10", "198.51.100.7"),  # the peer is no proxy of ours
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.10", "203.0.113.10"),  # through our proxy
        (["10.0.0.0/8"], "10.0.0.2", "1.1.1.1, 203.0.113.10, 10.0.0.9", "203.0.113.10"),  # chain: spoofed head skipped
        (["10.0.0.2"], "10.0.0.2", "", "10.0.0.2"),  # our proxy, no header: the proxy
        (["10.0.0.2"], "10.0.0.2", "not-an-ip", "10.0.0.2"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(settings, trusted, peer, xff, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(_Req(peer, xff)) == expected


def _share_report(client, **headers):
    return client.post(
        "/api/v1/share/report", {"token": "x" * 20, "reason": "spam"}, content_type="application/json", **headers
    )


def _login(client, **headers):
    return client.post(
        "/api/v1/auth/login",
        {"email": "nobody@example.com", "password": "wrong-password"},
        content_type="application/json",
        **headers,
    )


def _refresh(client, **headers):  # public: the per-address throttle applies before the token is looked at
    return client.post("/api/v1/auth/refresh", {"refresh": "garbage"}, content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "call"), [("share_report", _share_report), ("login", _login), ("ip", _refresh)], ids=lambda v: str(v)
)
def test_a_spoofed_forwarded_for_does_not_reset_a_limit(settings, monkeypatch, scope, call):
    """Given a limit reached from one address, when the same client sends its own X-Forwarded-For with new addresses,
    then it is still refused; only a configured proxy's header names another client."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "2/min")
    settings.TRUSTED_PROXIES = []
    client = Client()
    assert [call(client).status_code == 429 for _ in range(2)] == [False, False]
    assert call(client).status_code == 429
    for address in SPOOFED:
        response = call(client, HTTP_X_FORWARDED_FOR=address)
        assert response.status_code == 429, (address, response.content)
        assert int(response["Retry-After"]) > 0

    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's peer is now our reverse proxy
    assert call(client, HTTP_X_FORWARDED_FOR="203.0.113.20").status_code != 429


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_lift_the_login_lockout(settings, user, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "login", "1000/min")
    client = Client()
    body = {"email": user.email, "password": "not-the-password"}
    codes = [client.post("/api/v1/auth/login", body, content_type="application/json").status_code for _ in range(6)]
    assert codes[-1] == 429
    for address in SPOOFED:
        r = client.post("/api/v1/auth/login", body, content_type="application/json", HTTP_X_FORWARDED_FOR=address)
        assert (r.status_code, r.json()["code"]) == (429, "account_locked")


@pytest.mark.django_db
def test_the_audit_log_records_the_real_address(settings, admin_client):
    from skincare.core.audit import client_ip as audit_ip

    settings.TRUSTED_PROXIES = []
    assert audit_ip(_Req("198.51.100.7", "203.0.113.10")) == "198.51.100.7"
    settings.TRUSTED_PROXIES = ["198.51.100.0/24"]
    assert audit_ip(_Req("198.51.100.7", "203.0.113.10")) == "203.0.113.10"


# --- a dependency down: 503, never 500 ------------------------------------------------------------------------------
def _assert_503(response, api: bool = True):
    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0
    if api:
        assert response.json()["code"] == "service_unavailable"


@pytest.mark.django_db
def test_database_out_of_connections_is_a_503(auth_client, monkeypatch):
    from accounts.authentication import LanguageJWTAuthentication as JWTAuthentication

    def no_connection(self, token):
        raise OperationalError("couldn't get a connection after 10.00 sec")  # psycopg_pool's PoolTimeout, wrapped

    monkeypatch.setattr(JWTAuthentication, "get_user", no_connection)
    _assert_503(auth_client.get("/api/v1/auth/me"))


@pytest.mark.django_db
def test_database_down_in_a_plain_view_and_a_middleware_is_a_503(client, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    from skincare.core import views

    client.raise_request_exception = False
    monkeypatch.setattr(views, "_check_database", lambda: (_ for _ in ()).throw(OperationalError("down")))

    def broken(self, request):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(SessionMiddleware, "process_request", broken)
    page = client.get("/")
    _assert_503(page, api=False)
    assert b"Briefly unavailable" in page.content
    _assert_503(client.get("/api/v1/products"))


@pytest.mark.django_db
def test_redis_down_is_a_503(auth_client):
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=down):  # a Redis that does not answer (nothing listens on port 1)
        _assert_503(auth_client.get("/api/v1/auth/me"))  # the throttles count in Redis


# --- settings that follow the environment ---------------------------------------------------------------------------
def _settings(env: dict, expr: str):
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "WEB_PORT", "DB_POOL"}}
    code = f"import json;import skincare.settings as s;print(json.dumps({expr}))"  # the module alone: no app loading
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "skincare.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_site_url_follows_the_port_unless_set():
    assert _settings({"PORT": "8791"}, "s.SITE_URL") == "http://127.0.0.1:8791"
    assert _settings({"WEB_PORT": "8792", "PORT": "5000"}, "s.SITE_URL") == "http://127.0.0.1:8792"  # honcho's PORT
    assert (
        _settings({"PORT": "8791", "SITE_URL": "https://skin.example.com/"}, "s.SITE_URL") == "https://skin.example.com"
    )


def test_postgres_uses_a_bounded_pool_per_process():
    url = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}
    db = _settings({**url, "DB_POOL_MAX_SIZE": "3", "DB_POOL_TIMEOUT": "2.5"}, 's.DATABASES["default"]')
    assert db["CONN_MAX_AGE"] == 0 and db["CONN_HEALTH_CHECKS"] is True
    assert db["OPTIONS"]["pool"]["max_size"] == 3 and db["OPTIONS"]["pool"]["timeout"] == 2.5
    plain = _settings({**url, "DB_POOL": "0"}, 's.DATABASES["default"]')
    assert "pool" not in plain["OPTIONS"] and plain["CONN_MAX_AGE"] == 0
    bouncer = _settings({**url, "DATABASE_PGBOUNCER": "1"}, 's.DATABASES["default"]')
    assert bouncer["DISABLE_SERVER_SIDE_CURSORS"] is True and bouncer["OPTIONS"]["prepare_threshold"] is None


def test_loading_the_app_opens_no_connection_and_starts_no_thread():
    """scripts/web.sh loads the app once in gunicorn's master (--preload) and forks the workers from it: a socket or a
    thread made while loading would be shared by every worker, or lost in it."""
    code = (
        "import json, os, threading, skincare.asgi\n"
        "from django.db import connections\n"
        "from skincare.core import cache\n"
        "print(json.dumps({'threads': [t.name for t in threading.enumerate()],"
        " 'db': [c.alias for c in connections.all(initialized_only=True) if c.connection is not None],"
        " 'redis_pools': len(cache._pools),"
        " 'sockets': sum(os.readlink(f'/proc/self/fd/{fd}').startswith('socket:') for fd in os.listdir('/proc/self/fd')"
        " if os.path.exists(f'/proc/self/fd/{fd}'))}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "skincare.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == {"threads": ["MainThread"], "db": [], "redis_pools": 0, "sockets": 0}


# --- static files ---------------------------------------------------------------------------------------------------
def test_static_files_are_served_hashed_with_far_future_caching(tmp_path, settings):
    from django.core.management import call_command
    from django.templatetags.static import static

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "skincare.core.storage.StaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", "-v", "0")
        url = static("css/app.css")
        assert url != "/static/css/app.css" and url.startswith("/static/css/app.")  # content-hashed
        response = Client().get(url)
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]


@pytest.mark.django_db
def test_register_during_a_broker_outage_still_creates_the_account(
    api_client, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerError

    from accounts import tasks

    def down(*args):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_verification_email, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        r = api_client.post(
            "/api/v1/auth/register", {"email": "b@example.com", "password": "Broker-Down-42!"}, format="json"
        )
    assert r.status_code == 201 and r.json()["access"]


@pytest.mark.django_db
def test_a_broker_outage_when_asked_for_a_reset_is_a_503(api_client, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerError

    from accounts import tasks

    monkeypatch.setattr(
        tasks.send_password_reset_to_address, "delay", lambda *a: (_ for _ in ()).throw(BrokerError("down"))
    )
    _assert_503(api_client.post("/api/v1/auth/password/reset", {"email": "a@example.com"}, format="json"))


# --- make run: the OCR engine ---------------------------------------------------------------------------------------
def test_make_run_says_how_to_install_tesseract_when_it_cannot_itself(tmp_path):
    """Not root (a stub `id`), tesseract missing: the one command is printed and `make run` goes on (exit 0)."""
    stub = tmp_path / "id"
    stub.write_text("#!/bin/sh\necho 1000\n")
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "TESSERACT": str(tmp_path / "no-tesseract")}
    out = subprocess.run(["bash", "scripts/ensure_ocr.sh"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0
    assert "sudo apt-get install tesseract-ocr tesseract-ocr-eng" in out.stdout
    assert "serving everything else" in out.stdout


def test_make_run_is_silent_when_tesseract_with_english_is_there():
    if subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.count("eng") == 0:
        pytest.fail("tesseract with English data is required by the test suite (CI installs tesseract-ocr-eng)")
    out = subprocess.run(["bash", "scripts/ensure_ocr.sh"], cwd=ROOT, capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (0, "")


def test_model_serializers_build_their_fields_once_per_class_and_hand_out_copies():
    from accounts.api.serializers import ProfileSerializer, UserSerializer

    first, second = UserSerializer().fields, UserSerializer().fields
    assert list(first) == list(second) and "phone_pending" in first
    assert first["email"] is not second["email"]  # each instance binds its own copies
    assert first["profile"].fields["timezone"] is not second["profile"].fields["timezone"]
    assert "_built_fields" in UserSerializer.__dict__ and "_built_fields" in ProfileSerializer.__dict__


def test_the_redis_cache_shares_one_pool_and_client_per_process(settings):
    """Django makes a cache object per request context (under ASGI: per request); each used to open its own pool."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the embedded default has no Redis")
    import threading as _threading

    from django.core.cache import caches

    seen = []

    def in_a_new_context():
        cache = caches.create_connection("default")  # what each request context gets
        cache.set("serving-test", 1, 5)
        seen.append((cache, cache._cache.get_client(write=True)))

    threads = [_threading.Thread(target=in_a_new_context) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(cache) for cache, _ in seen}) == 5  # five cache objects...
    assert len({id(client) for _, client in seen}) == 1  # ...one client, one pool
    assert seen[0][1].connection_pool._created_connections <= 5
