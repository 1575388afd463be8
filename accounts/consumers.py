"""Live inbox: `/ws/notifications/` forwards the user's `notification.new` group events as JSON."""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .services import notification_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept, then close with 4401: a refused handshake would reach clients as a bare HTTP 403,
            # while a close code tells the app (and the page's script) to stop retrying and sign in.
            await self.accept()
            await self.close(code=4401)
            return
        self.group = notification_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notification_new(self, event):
        await self.send_json({"type": "notification.new", "notification": event.get("notification", {})})
