"""Throttles: per user (100/min), per IP (1000/min) and stricter scopes for sensitive endpoints.

Every throttle keys signed-out clients on `skincare.core.clientip.client_ip`: X-Forwarded-For counts only when the
peer is one of TRUSTED_PROXIES, so a client cannot get a fresh allowance by sending its own header. (DRF's own
`get_ident` believes any X-Forwarded-For when NUM_PROXIES is unset.)
"""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as _UserRateThrottle

from .clientip import client_ip


class ClientIPMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or "-"


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


class AddressRateThrottle(ClientIPMixin, SimpleRateThrottle):
    """Base for a throttle of its own scope keyed on the client address, signed in or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


DEFAULT_THROTTLES = [UserRateThrottle, IPRateThrottle]
# Views that set `throttle_scope` (login, otp, upload...) use these: keyed on the user when signed in and on the
# client address otherwise.
SCOPED_THROTTLES = [*DEFAULT_THROTTLES, ScopedThrottle]
