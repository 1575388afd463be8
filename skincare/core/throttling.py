"""Throttles: per user (100/min), per IP (1000/min) and stricter scopes for sensitive endpoints."""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.throttling import UserRateThrottle as _UserRateThrottle


class UserRateThrottle(_UserRateThrottle):
    """Per authenticated user; anonymous requests are left to the IP throttle."""

    scope = "user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
        return None


class IPRateThrottle(AnonRateThrottle):
    """Per client address, for every request, signed in or not."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


DEFAULT_THROTTLES = [UserRateThrottle, IPRateThrottle]
# Views that set `throttle_scope` (login, otp, upload...) use these: DRF's ScopedRateThrottle keys
# on the user when signed in and on the IP otherwise.
SCOPED_THROTTLES = [*DEFAULT_THROTTLES, ScopedRateThrottle]
