"""The HTTP side of skincare.asgi: Django's ASGIHandler on a fixed set of request threads, sync views in one hop.

Django's ASGIHandler gives every request a thread of its own (a ThreadSensitiveContext with a fresh single-thread
executor): it starts a thread, builds that thread's database wrapper and cache objects, and joins the thread at the
end, for every request. In the load bench's profile that was 60% of the server's CPU for /healthz (2.0 ms of 2.0
ms beyond the view's 0.3) and a third of it for GET /auth/me. Here each process keeps WEB_THREADS request threads
(asgiref's ThreadSensitiveContext(executor=...), executors the caller owns) and gives a request the least busy one,
as gunicorn's gthread workers do for WSGI. A request's sync code still runs on one thread from start to end, so its
database connection, transaction and thread-locals stay its own while it runs.

Sync views (every view but one) run with the middleware chain loaded in sync mode, in one hop to the request thread
with the request_started and request_finished signals (`handle_sync`): Django's async chain adapts the sync-only
middleware back and forth (a hop to the thread, a hop back to the loop for the view's async wrapper, a hop to the
thread for the view), and its `handle` makes two more hops for the signals. Async views (the seed client's long-polling
`analyze`) keep Django's own handler and its thread per request, so a request that waits does not hold a shared
request thread while it waits.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, iscoroutinefunction, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.http import FileResponse
from django.urls import Resolver404, ResolverMatch, get_resolver, set_script_prefix

from skincare.core import warmup


def request_threads() -> int:
    """WEB_THREADS, default 2: each may hold a database connection, so keep it <= DB_POOL_MAX_SIZE (README)."""
    try:
        return max(1, int(os.environ.get("WEB_THREADS") or 2))
    except ValueError:
        return 4


class _SyncChain(BaseHandler):
    """Django's BaseHandler with the middleware chain in sync mode (what WSGIHandler runs), resolving URLs through
    `resolve` (remembered per path)."""

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=False)

    def resolve_request(self, request):
        if hasattr(request, "urlconf"):  # a middleware chose another URLconf: Django's own way
            return super().resolve_request(request)
        request.resolver_match = resolve(request.path_info)
        return request.resolver_match


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self, threads: int | None = None) -> None:
        super().__init__()  # Django's async chain, for async views
        self._sync = _SyncChain()
        count = threads or request_threads()
        self._executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{i}") for i in range(count)]
        self._busy = [0] * count

    def warm(self) -> None:
        """In a web process after the fork, before it accepts (skincare.core.server): each request thread's
        connections, then the process's registered warm-ups, on the threads the requests will use; none after one
        that failed (a dependency down: serve at once)."""
        if all(executor.submit(warmup.warm_thread).result() for executor in self._executors):
            self._executors[0].submit(warmup.warm_process).result()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        if view_is_async(scope.get("path", "")):
            async with ThreadSensitiveContext():  # Django's way: a thread of its own
                await self.handle(scope, receive, send)
            return
        # The least busy request thread (all bookkeeping here runs on the event loop: no lock).
        index = min(range(len(self._busy)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            async with ThreadSensitiveContext(executor=self._executors[index]):
                await self.handle_sync(scope, receive, send)
        finally:
            self._busy[index] -= 1

    async def handle_sync(self, scope, receive, send) -> None:
        """Django's `handle` for a sync view, in one hop to the request thread instead of three.

        Django awaits the request_started receivers, the view and `response.close()` (request_finished: the database
        connection back to its pool) in three hops to the thread, each a wake-up of the thread and of the event loop.
        Here `respond` does the three in one, closing a response whose body is already in memory before it is sent.
        A streaming response (a photo, an export) is closed after it is sent, as Django does. A client that goes
        away while a sync view runs cannot stop it either way; its answer is dropped by the server.
        """
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            set_script_prefix(get_script_prefix(scope))
            response = await sync_to_async(self.respond, thread_sensitive=True)(scope, body_file)
            try:
                await self.send_response(response, send)
            finally:
                if response.streaming:
                    await sync_to_async(response.close, thread_sensitive=True)()
        finally:
            body_file.close()

    @classmethod
    def chunk_bytes(cls, data):
        """A body in memory goes out in one message: Django slices it into 64 KiB messages (chunk_size), each a copy
        and a write to the socket, for bytes already held (a 122 KB history page was two slices and three writes).
        The server's flow control still bounds what it buffers for a slow client."""
        yield data, True

    def respond(self, scope, body_file):
        """On the request thread: request_started, the response through the sync middleware chain and, unless it
        streams, its close."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self._sync.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):  # as Django's run_get_response: the server chunks files itself
            response.block_size = self.chunk_size
        if not response.streaming:
            response.close()
        return response


@functools.lru_cache(maxsize=4096)
def _match(resolver, path: str) -> ResolverMatch | None:
    try:
        return resolver.resolve(path)
    except Resolver404:
        return None


def resolve(path: str) -> ResolverMatch:
    """Django's URL resolution of `path` on the root URLconf, remembered per path (4,096 paths, least recent out).

    The resolver walks the patterns in order and, for every include that does not match, builds the list of what it
    tried: 12% of a cached /api/v1/analysis/history answer's CPU in the load bench's profile, for an answer that is
    the same every time for the same path. Each request gets its own copy of the match. Misses are not remembered
    (Resolver404 every time). The key holds the resolver, so a new URLconf (tests' ROOT_URLCONF) starts afresh.
    """
    match = _match(get_resolver(), path)
    if match is None:
        raise Resolver404({"path": path})
    own = object.__new__(ResolverMatch)  # ResolverMatch refuses copy.copy (it cannot be pickled)
    own.__dict__.update(match.__dict__)
    own.kwargs = dict(match.kwargs)
    return own


def view_is_async(path: str) -> bool:
    """Whether the view for `path` is a coroutine function (paths nothing matches are sync: a 404). It only reads the
    remembered match, so it takes no copy of it."""
    match = _match(get_resolver(), path)
    return match is not None and iscoroutinefunction(match.func)
