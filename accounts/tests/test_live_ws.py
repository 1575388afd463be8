"""End to end over a real ASGI server: a notification written here reaches a WebSocket client of
`uvicorn skincare.asgi:application` through the Redis channel layer (needs REDIS_URL: the in-memory
layer cannot cross processes)."""

from __future__ import annotations

import asyncio
import json

import pytest
from django.conf import settings

pytestmark = pytest.mark.live


@pytest.fixture
def asgi_server(live_asgi):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the in-memory channel layer does not cross processes")
    return live_asgi()


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
