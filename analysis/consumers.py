"""Live status: `/ws/analysis/<id>/` sends the current status at once, then every change."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .models import SkinAnalysis
from .services import analysis_group, status_event


@database_sync_to_async
def _owned_analysis(user, analysis_id):
    return SkinAnalysis.objects.owned_by(user).filter(pk=analysis_id).first()


class AnalysisStatusConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        analysis = await _owned_analysis(user, self.scope["url_route"]["kwargs"]["analysis_id"])
        if analysis is None:
            await self.close(code=4404)
            return
        self.group = analysis_group(analysis.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Read again after joining the group, so a change between the two reads is not lost.
        analysis = await _owned_analysis(user, analysis.pk)
        await self.send_json(status_event(analysis))

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def analysis_status(self, event):
        await self.send_json(event)
