"""Throttles: per user (100/min), per IP (1000/min) and stricter scopes for sensitive endpoints.

Every throttle keys signed-out clients on `skincare.core.clientip.client_ip`: X-Forwarded-For counts only when the
peer is one of TRUSTED_PROXIES, so a client cannot get a fresh allowance by sending its own header. (DRF's own
`get_ident` believes any X-Forwarded-For when NUM_PROXIES is unset.)
"""

import math

from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as _UserRateThrottle

from .clientip import client_ip


def window_hit(key: str, ttl: int) -> int:
    """Count one request in a fixed window: one atomic INCR (+ EXPIRE) on Redis, add+incr on other caches."""
    backend = getattr(cache, "_cache", None)
    if backend is not None and hasattr(backend, "get_client"):  # a Redis cache (skincare.core.cache or Django's)
        full = cache.make_and_validate_key(key)
        pipe = backend.get_client(full, write=True).pipeline()
        pipe.incr(full)
        pipe.expire(full, ttl)  # the window is in the key: refreshing its expiry only delays the clean-up
        return int(pipe.execute()[0])
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=ttl)
        return 1


class ClientIPMixin:
    """The client's address from skincare.core.clientip, and a fixed-window counter instead of DRF's request log.

    DRF's SimpleRateThrottle keeps a list of every request's timestamp in the window and reads, filters and writes it
    back on each request: at a 1000/min limit that is a thousand-entry list pickled twice per request (the load
    bench's profile). A counter per window is one atomic INCR, whatever the rate.
    """

    def get_ident(self, request) -> str:
        return client_ip(request) or "-"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        count = window_hit(f"{self.key}:{window}", int(self.duration) + 5)
        self.wait_seconds = max(1, math.ceil((window + 1) * self.duration - now))
        return count <= self.num_requests

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)


class UserRateThrottle(ClientIPMixin, _UserRateThrottle):
    """Per authenticated user; anonymous requests are left to the IP throttle."""

    scope = "user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
        return None


class IPRateThrottle(ClientIPMixin, AnonRateThrottle):
    """Per client address, for every request, signed in or not."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ScopedThrottle(ClientIPMixin, ScopedRateThrottle):
    """DRF's ScopedRateThrottle (the view's `throttle_scope`; keyed on the user when signed in, else the address)."""

    def __init__(self) -> None:
        pass  # the rate depends on the view: set in allow_request, as ScopedRateThrottle does

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AddressRateThrottle(ClientIPMixin, SimpleRateThrottle):
    """Base for a throttle of its own scope keyed on the client address, signed in or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


DEFAULT_THROTTLES = [UserRateThrottle, IPRateThrottle]
# Views that set `throttle_scope` (login, otp, upload...) use these: keyed on the user when signed in and on the
# client address otherwise.
SCOPED_THROTTLES = [*DEFAULT_THROTTLES, ScopedThrottle]
