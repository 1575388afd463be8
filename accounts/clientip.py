"""The client address as the throttles see it (DRF's get_ident honours NUM_PROXIES), shared by the
API, the pages and the services' per-IP limits."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str | None:
    return BaseThrottle().get_ident(request) or None
