"""WebSocket /ws/analysis/<id>/: JWT or session auth, owner only, current status at once, pushed updates."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from rest_framework_simplejwt.tokens import RefreshToken

from analysis import services
from skincare.core.testing import WebsocketCommunicator

from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://testserver")]


def communicator(analysis_id, user=None, token: str | None = None) -> WebsocketCommunicator:
    """Build outside the event loop (issuing a token writes to the database)."""
    from skincare.asgi import application

    if user is not None:
        token = str(RefreshToken.for_user(user).access_token)
    path = f"/ws/analysis/{analysis_id}/" + (f"?token={token}" if token else "")
    return WebsocketCommunicator(application, path, headers=ORIGIN)


def test_owner_gets_current_status_then_updates(user):
    analysis = SkinAnalysisFactory(user=user)

    comm = communicator(analysis.pk, user=user)

    async def scenario():
        connected, _ = await comm.connect()
        assert connected
        first = await comm.receive_json_from(timeout=5)
        analysis.status = "done"
        analysis.overall_score = 77
        from channels.db import database_sync_to_async

        await database_sync_to_async(analysis.save)()
        await database_sync_to_async(services.push_status)(analysis)
        second = await comm.receive_json_from(timeout=5)
        await comm.send_json_to({"type": "ping"})
        pong = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
        return first, second, pong

    first, second, pong = async_to_sync(scenario)()
    assert first == {"type": "analysis.status", "id": str(analysis.pk), "status": "queued"}
    assert second["status"] == "done" and second["overall_score"] == 77
    assert pong == {"type": "pong"}


@pytest.mark.parametrize("who", ["other", "anonymous", "bad_token"])
def test_others_are_closed(user, other_user, who):
    analysis = SkinAnalysisFactory(user=user)

    if who == "other":
        comm = communicator(analysis.pk, user=other_user)
    elif who == "bad_token":
        comm = communicator(analysis.pk, token="not-a-jwt")
    else:
        comm = communicator(analysis.pk)

    async def scenario():
        await comm.connect()
        out = await comm.receive_output(timeout=5)
        await comm.wait()
        return out

    out = async_to_sync(scenario)()
    assert out["type"] == "websocket.close"
    assert out["code"] == (4404 if who == "other" else 4401)
