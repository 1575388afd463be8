"""End to end over a real ASGI server: a notification written here reaches a WebSocket client of
`uvicorn skincare.asgi:application` through the Redis channel layer (needs REDIS_URL: the in-memory
layer cannot cross processes)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.live


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server(live_env):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the in-memory channel layer does not cross processes")
    port = _free_port()
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    log = tempfile.NamedTemporaryFile(prefix="skincare-uvicorn-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [uvicorn, "skincare.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[2],
        env=live_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"uvicorn exited: {Path(log.name).read_text()[-3000:]}")
            time.sleep(0.2)
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()  # uvicorn waits for idle keep-alive sockets; nothing left to finish here
        proc.wait(timeout=5)


def test_notification_reaches_a_real_websocket_client(asgi_server, user, other_user):
    import websockets
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.services import notification_create

    port = asgi_server
    token = str(AccessToken.for_user(user))
    origin = f"http://127.0.0.1:{port}"

    async def scenario():
        # Anonymous sockets are refused with 4401.
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/notifications/", origin=origin) as anon:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(anon.recv(), 10)
            assert closed.value.rcvd.code == 4401

        url = f"ws://127.0.0.1:{port}/ws/notifications/?token={token}"
        async with websockets.connect(url, origin=origin) as ws:
            await ws.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == {"type": "pong"}  # subscribed by now
            await asyncio.to_thread(notification_create, user=other_user, kind="x", title="not for you")
            mine = await asyncio.to_thread(notification_create, user=user, kind="x", title="For you")
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert message["type"] == "notification.new"
            assert message["notification"]["id"] == str(mine.id)
            assert message["notification"]["title"] == "For you"

    asyncio.run(scenario())
