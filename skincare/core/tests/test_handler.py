"""skincare.core.handler: sync views on a process's request threads, async views on Django's own path."""

from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.http import JsonResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from skincare.core.handler import PooledThreadsASGIHandler, _match, resolve, view_is_async

seen: list[str] = []


def sync_view(request):
    seen.append(threading.current_thread().name)
    return JsonResponse({"thread": threading.current_thread().name})


async def async_view(request):
    return JsonResponse({"async": True})


def item_view(request, pk):
    return JsonResponse({"pk": pk, "route": request.resolver_match.route})


def stream_view(request):
    def chunks():
        for i in range(3):
            seen.append(f"chunk {i}")
            yield f"part {i};".encode()

    return StreamingHttpResponse(chunks(), content_type="text/plain")


urlpatterns = [
    path("sync", sync_view),
    path("async", async_view),
    path("item/<int:pk>", item_view),
    path("stream", stream_view),
]


async def _get(app, path_):
    messages = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected; Django cancels this when it has answered

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path_,
        "raw_path": path_.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, body


@pytest.mark.django_db(transaction=True)  # the request threads close their connections at the end
@override_settings(ROOT_URLCONF=__name__)
def test_sync_views_run_on_the_request_threads_and_async_views_on_their_own_path():
    app = PooledThreadsASGIHandler(threads=2)
    seen.clear()
    for _ in range(4):
        status, _ = async_to_sync(_get)(app, "/sync")
        assert status == 200
    assert set(seen) <= {"request-0_0", "request-1_0"}  # ThreadPoolExecutor names its one thread <prefix>_0
    assert async_to_sync(_get)(app, "/async") == (200, b'{"async": true}')
    assert view_is_async("/async") and not view_is_async("/sync") and not view_is_async("/nowhere")
    assert async_to_sync(_get)(app, "/nowhere")[0] == 404


@pytest.mark.django_db
def test_the_seed_clients_long_poll_is_async():
    assert view_is_async("/api/v1/analysis/analyze")
    assert not view_is_async("/api/v1/auth/me")


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_a_path_is_resolved_once_and_each_request_gets_its_own_match():
    app = PooledThreadsASGIHandler(threads=1)
    assert async_to_sync(_get)(app, "/item/7") == (200, b'{"pk": 7, "route": "item/<int:pk>"}')
    hits = _match.cache_info().hits
    assert async_to_sync(_get)(app, "/item/7") == (200, b'{"pk": 7, "route": "item/<int:pk>"}')
    assert _match.cache_info().hits > hits
    assert async_to_sync(_get)(app, "/item/8") == (200, b'{"pk": 8, "route": "item/<int:pk>"}')
    first, second = resolve("/item/7"), resolve("/item/7")
    assert first is not second and first.kwargs == second.kwargs == {"pk": 7}


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_a_sync_request_runs_its_signals_and_view_on_one_request_thread():
    app = PooledThreadsASGIHandler(threads=1)

    def started(**kwargs):
        seen.append(("started", threading.current_thread().name))

    def finished(**kwargs):
        seen.append(("finished", threading.current_thread().name))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        seen.clear()
        assert async_to_sync(_get)(app, "/sync")[0] == 200
        assert seen == [("started", "request-0_0"), "request-0_0", ("finished", "request-0_0")]
        seen.clear()
        status, body = async_to_sync(_get)(app, "/stream")
        assert (status, body) == (200, b"part 0;part 1;part 2;")
        # A streaming answer is closed (request_finished) after its last chunk was made and sent.
        assert seen[0] == ("started", "request-0_0") and seen[-1][0] == "finished"
        assert seen[1:-1] == ["chunk 0", "chunk 1", "chunk 2"]
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
