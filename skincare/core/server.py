"""The gunicorn worker class of `scripts/web.sh`: uvicorn serving skincare.asgi (HTTP and WebSockets).

uvicorn-worker's class with the protocol choices the app needs: the sans-I/O `websockets` implementation for Channels,
and no ASGI lifespan (Django's ASGI handler does not speak it; "auto" would log a warning at every start). gunicorn
passes its --forwarded-allow-ips to uvicorn's proxy-headers handling, so only TRUSTED_PROXIES set the client's address.
"""

from __future__ import annotations

from typing import Any

from uvicorn_worker import UvicornWorker as _UvicornWorker


class UvicornWorker(_UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {"loop": "auto", "http": "auto", "ws": "websockets-sansio", "lifespan": "off"}
