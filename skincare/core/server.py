"""The gunicorn worker class of `scripts/web.sh`: uvicorn serving skincare.asgi (HTTP and WebSockets).

uvicorn-worker's class with the protocol choices the app needs: the sans-I/O `websockets` implementation for Channels,
no ASGI lifespan (Django's ASGI handler does not speak it; "auto" would log a warning at every start), and HTTP/1.1
keep-alive connections drained rather than cut when a worker goes away (DrainingHttpToolsProtocol), and each process
warmed before its first connection (skincare.core.warmup). gunicorn
passes its --forwarded-allow-ips to uvicorn's proxy-headers handling, so only TRUSTED_PROXIES set the client's address.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker as _UvicornWorker


class DrainingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, except that a worker going away (replaced after its --max-requests, or stopped)
    does not close an idle keep-alive connection under a client that may be sending its next request on it: that
    request was lost with a reset (the load bench counted them as read errors). The connection's next request is
    answered with `Connection: close` instead, and one that stays idle closes at the keep-alive timeout, as before."""

    draining = False

    def shutdown(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.draining = True
            if self.timeout_keep_alive_task is None:  # a connection that has sent nothing yet: the same bound
                self.timeout_keep_alive_task = self.loop.call_later(
                    self.timeout_keep_alive, self.timeout_keep_alive_handler
                )
        else:
            self.cycle.keep_alive = False

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.draining and self.cycle is not None:
            self.cycle.keep_alive = False


class UvicornWorker(_UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {
        "loop": "auto",
        "http": DrainingHttpToolsProtocol,
        "ws": "websockets-sansio",
        "lifespan": "off",
    }

    def run(self) -> None:
        """Warm the process (skincare.core.warmup: database and cache connections, the ingredient index) after the
        fork and before its first accept, so that no client of a new or replaced worker pays for it."""
        from skincare import asgi

        asgi.warm()
        super().run()
