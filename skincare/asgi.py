"""ASGI entry: HTTP through Django (on a fixed set of request threads: skincare.core.handler), WebSockets through
Channels with JWT (or session) auth."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
django.setup(set_prefix=False)  # what django.core.asgi.get_asgi_application does before making its handler

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from skincare.core import warmup  # noqa: E402
from skincare.core.handler import PooledThreadsASGIHandler  # noqa: E402
from skincare.core.ws_auth import JWTAuthMiddlewareStack  # noqa: E402
from skincare.routing import websocket_urlpatterns  # noqa: E402

django_asgi_app = PooledThreadsASGIHandler()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(JWTAuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

warmup.preload()  # the URL resolver's tables and the message catalogs: built once here, shared by the forked workers


def warm() -> None:
    """Called by each web process (skincare.core.server) after the fork, before it accepts a connection."""
    django_asgi_app.warm()


# What was loaded to serve (Django, the apps, the URL resolver) lives as long as the process: out of the garbage
# collector's generations, so its full collections walk only what requests make (shorter pauses, the p99).
gc.collect()
gc.freeze()
