"""WebSocket authentication: a JWT access token (`?token=` or `Authorization: Bearer`), else the
session cookie (pages). Consumers read `scope["user"]` and close with 4401 when it is anonymous."""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_from_token(raw: str):
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.tokens import AccessToken

    try:
        token = AccessToken(raw)
        return get_user_model().objects.get(pk=token["user_id"], is_active=True)
    except (TokenError, KeyError, get_user_model().DoesNotExist, ValueError):
        return None


class JWTAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        raw = None
        query = parse_qs(scope.get("query_string", b"").decode())
        if query.get("token"):
            raw = query["token"][0]
        for name, value in scope.get("headers", []):
            if name == b"authorization" and value.lower().startswith(b"bearer "):
                raw = value[7:].decode()
        if raw:
            user = await _user_from_token(raw)
            scope["user"] = user or AnonymousUser()
            scope["auth_method"] = "jwt"
        return await super().__call__(scope, receive, send)


def JWTAuthMiddlewareStack(inner):  # noqa: N802 - mirrors channels' AuthMiddlewareStack
    # Session auth runs first and sets scope["user"]; a token, when given, takes precedence.
    return AuthMiddlewareStack(JWTAuthMiddleware(inner))
