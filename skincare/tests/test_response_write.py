"""How the web workers write an answer (skincare.core.server.HeadWithBody, PooledThreadsASGIHandler.chunk_bytes):
the head and the body in one call on the connection, an interim 100 Continue at once, a HEAD answer's head alone,
and a body in memory in one message. Driven through uvicorn's own protocol with a transport that records calls."""

from __future__ import annotations

import asyncio

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from skincare.core.handler import PooledThreadsASGIHandler
from skincare.core.server import DrainingHttpToolsProtocol

BODY = b'{"ok": true}' * 1000


class Recording(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, bytes]] = []
        self.closed = False

    def write(self, data) -> None:
        self.calls.append(("write", bytes(data)))

    def writelines(self, list_of_data) -> None:
        self.calls.append(("writelines", b"".join(list_of_data)))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name, default=None):
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def app(scope, receive, send):
    if scope["method"] == "POST":
        await receive()  # reading the body: the server answers 100 Continue first
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(BODY)).encode())]}
    )
    await send({"type": "http.response.body", "body": BODY})


def _serve(*parts: bytes, seen: list | None = None) -> Recording:
    """Send `parts` one after the other on a new connection, letting the server run after each; `seen` gets the
    calls made after each part."""
    loop = asyncio.new_event_loop()
    try:
        config = Config(app=app, http=DrainingHttpToolsProtocol, lifespan="off", log_level="warning")
        config.load()
        protocol = DrainingHttpToolsProtocol(config=config, server_state=ServerState(), app_state={}, _loop=loop)
        transport = Recording()
        protocol.connection_made(transport)
        for part in parts:
            protocol.data_received(part)
            loop.run_until_complete(asyncio.sleep(0.05))
            if seen is not None:
                seen.append(list(transport.calls))
        protocol.connection_lost(None)
        return transport
    finally:
        loop.close()


def test_the_head_and_the_body_go_out_in_one_call():
    calls = _serve(b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n").calls
    assert [kind for kind, _ in calls] == ["writelines"]
    head, _, body = calls[0][1].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"content-length: 12000" in head.lower()
    assert body == BODY


def test_a_head_answer_is_written_when_the_response_completes():
    calls = _serve(b"HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n").calls
    assert len(calls) == 1 and calls[0][1].startswith(b"HTTP/1.1 200 OK") and calls[0][1].endswith(b"\r\n\r\n")


def test_100_continue_goes_out_before_the_answer_and_on_its_own():
    seen: list = []
    transport = _serve(
        b"POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", b"{}", seen=seen
    )
    assert seen[0] == [("write", b"HTTP/1.1 100 Continue\r\n\r\n")]  # before the body: the client waits for it
    assert [kind for kind, _ in transport.calls] == ["write", "writelines"]
    assert transport.calls[1][1].endswith(BODY)


def test_a_closed_connection_gets_the_held_head_before_it_closes():
    from skincare.core.server import HeadWithBody

    class Cycle:
        response_started = True

    transport = Recording()
    wrapped = HeadWithBody(transport, Cycle())
    wrapped.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
    assert transport.calls == []
    wrapped.close()
    assert transport.calls == [("write", b"HTTP/1.1 500 Internal Server Error\r\n\r\n")] and transport.closed


@pytest.mark.parametrize("size", [0, 10, 200_000])
def test_a_body_in_memory_is_one_message(size):
    body = b"x" * size
    assert list(PooledThreadsASGIHandler.chunk_bytes(body)) == [(body, True)]
