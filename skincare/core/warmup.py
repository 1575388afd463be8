"""What a web process does once, before its first connection, so that no client's request pays for it.

Measured in a fresh worker (one process, the shared caches already full): the first GET of analysis/history took
95 ms against 3 ms after it, the first POST of ingredients/analyze 91 ms against 7 ms, routines 33, products 26.
Under load a worker replaced after its --max-requests made its first clients wait that long, and the load bench's
p99 at 16 connections moved with the number of replacements in a run.

Two parts, by what they may touch:
- `preload()`: in gunicorn's master while it loads the app (--preload), inherited by every forked worker. It opens
  no connection and starts no thread: the URL resolver's reverse tables (60 ms, built by the first `reverse`, the
  photo URLs of every history item) and the message catalogs of every language.
- `warm_thread()` and `warm_process()`: in the worker after the fork, before it accepts (skincare.core.server): on
  each request thread a connection taken from the database pool and given back, and the cache's client; then, once,
  what the apps registered with `on_worker_start` (the ingredient matching index: 80 ms from the database).

A warm-up that fails (the database or Redis down while a worker starts) is logged, and the rest is skipped: the
worker serves at once, and its requests answer 503 as they would have (one wait of DB_POOL_TIMEOUT, not one per
step, so a worker never nears gunicorn's --timeout before it serves).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_worker_start: list[Callable[[], object]] = []


def on_worker_start(fn: Callable[[], object]) -> Callable[[], object]:
    """Register `fn` (no arguments, runs on a request thread, may use the database and the cache) to run once in
    each web process before it accepts a connection."""
    if fn not in _worker_start:
        _worker_start.append(fn)
    return fn


def preload() -> None:
    """In a context of its own: building the resolver sets a context variable on each of its URL resolvers (its
    asgiref Local `populating` flag, 63 resolvers here), and set in the master's context they were inherited by every
    request of every worker, and copied back and forth at each hop to a request thread (asgiref's
    `_restore_context`, 7% of the server's samples under a load of POST ingredients/analyze)."""
    contextvars.Context().run(_preload)


def _preload() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver()._populate()  # what the first reverse() builds: Django keeps it on the cached resolver
    if settings.USE_I18N:
        for code, _name in settings.LANGUAGES:
            translation.trans_real.translation(code)  # the merged catalog, kept per language for the process


def _attempt(steps: list[tuple[str, Callable[[], object]]]) -> bool:
    """Run the steps in order; at the first that fails, log it and stop. Whether all ran."""
    for what, fn in steps:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a dependency down at start: serve anyway (503s), log it
            logger.warning("web process warm-up stopped at %s (%s: %s)", what, type(exc).__name__, exc)
            return False
    return True


def warm_thread() -> bool:
    """On one request thread: its database connection (taken from the pool, which opens it, and given back) and
    its cache object with the process's Redis connection pool. Whether both worked."""
    from django.core.cache import cache
    from django.db import connection

    def database() -> None:
        try:
            connection.ensure_connection()
        finally:
            connection.close()  # back to the pool (or closed without one)

    return _attempt([("the database connection", database), ("the cache", lambda: cache.get("warmup:ping"))])


def warm_process() -> bool:
    """Once per process, on a request thread: the registered warm-ups. Whether all worked."""
    return _attempt([(getattr(fn, "__qualname__", repr(fn)), fn) for fn in _worker_start])
