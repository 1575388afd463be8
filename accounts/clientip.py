"""The client address (skincare.core.clientip: X-Forwarded-For only from TRUSTED_PROXIES), shared by the API, the
pages and the services' per-IP limits."""

from __future__ import annotations

from skincare.core.clientip import client_ip

__all__ = ["client_ip"]
