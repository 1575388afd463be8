"""A web process's warm-up (skincare.core.warmup): what the master builds without connecting, what each worker
does before its first connection, and a dependency down at start."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from django.conf import settings

from ingredients import matching
from skincare.core import warmup


def test_the_master_builds_the_url_tables_and_catalogs_without_a_connection_or_a_thread():
    """What gunicorn's master runs with --preload: skincare.asgi, in a process of its own."""
    code = (
        "import json, threading, skincare.asgi\n"
        "from django.db import connections\n"
        "from django.urls import get_resolver\n"
        "from django.utils.translation import trans_real\n"
        "import contextvars\n"
        "from django.urls import URLResolver\n"
        "def walk(r):\n"
        "    yield r\n"
        "    for p in r.url_patterns:\n"
        "        if isinstance(p, URLResolver): yield from walk(p)\n"
        "resolvers = list(walk(get_resolver()))\n"
        "context = contextvars.copy_context()\n"
        "inherited = [r for r in resolvers if r._local._storage._data in context]\n"
        "print(json.dumps({'populated': get_resolver()._populated, 'languages': sorted(trans_real._translations),"
        " 'threads': threading.active_count(), 'resolvers': len(resolvers), 'inherited': len(inherited),"
        " 'connections': [c.connection is not None for c in connections.all(initialized_only=True)]}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["populated"] is True
    assert set(state["languages"]) >= {code for code, _ in settings.LANGUAGES}
    assert state["threads"] == 1 and not any(state["connections"])
    # Building the tables sets each resolver's `populating` flag (an asgiref Local, a context variable): set in the
    # master's context it was inherited by every request and copied at each hop to a request thread.
    assert state["resolvers"] > 20 and state["inherited"] == 0


@pytest.mark.django_db
def test_a_worker_builds_the_ingredient_index_before_its_first_request():
    matching.reset_index()
    assert matching._cache["index"] is None
    assert warmup.warm_process() is True
    assert matching._cache["index"] is not None


@pytest.mark.django_db(transaction=True)
def test_a_request_thread_gives_back_the_connection_it_opened():
    from django.db import connection

    seen = {}

    def on_a_thread() -> None:
        seen["ok"] = warmup.warm_thread()
        seen["open after"] = connection.connection is not None

    thread = threading.Thread(target=on_a_thread)
    thread.start()
    thread.join()
    assert seen == {"ok": True, "open after": False}


def test_a_step_that_fails_stops_the_warm_up_and_is_logged(monkeypatch, caplog):
    ran = []

    def down() -> None:
        raise ConnectionRefusedError("no database")

    monkeypatch.setattr(warmup, "_worker_start", [lambda: ran.append("first"), down, lambda: ran.append("after")])
    assert warmup.warm_process() is False
    assert ran == ["first"]
    assert "warm-up stopped at" in caplog.text and "ConnectionRefusedError" in caplog.text


def test_registering_twice_runs_once(monkeypatch):
    monkeypatch.setattr(warmup, "_worker_start", [])
    ran = []

    def step() -> None:
        ran.append(1)

    warmup.on_worker_start(step)
    warmup.on_worker_start(step)
    warmup.warm_process()
    assert ran == [1]
