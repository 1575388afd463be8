"""WebSocket routes of every app, gathered here."""

from django.urls import path

websocket_urlpatterns: list = []


def _extend() -> None:
    # Each app with live data exposes `websocket_urlpatterns` in its `routing.py`.
    from importlib import import_module

    for app in ("analysis", "accounts"):
        try:
            module = import_module(f"{app}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.routing":
                raise
            continue
        websocket_urlpatterns.extend(module.websocket_urlpatterns)


_extend()
__all__ = ["websocket_urlpatterns", "path"]
