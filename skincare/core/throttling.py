"""Throttles: per user (100/min), per IP (1000/min) and stricter scopes for sensitive endpoints.

Every throttle keys signed-out clients on `skincare.core.clientip.client_ip`: X-Forwarded-For counts only when the
peer is one of TRUSTED_PROXIES, so a client cannot get a fresh allowance by sending its own header. (DRF's own
`get_ident` believes any X-Forwarded-For when NUM_PROXIES is unset.)
"""

import functools
import hashlib
import math

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.signals import setting_changed
from redis.exceptions import NoScriptError
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as _UserRateThrottle

from . import readcache
from .cache import decoded_models, round_trip
from .clientip import client_ip


@functools.cache
def default_cache():
    """The default cache as one object for the process.

    Django builds a cache object per request context (under ASGI, per request: its options parsed, its client looked
    up), 1% of a cached GET's CPU in the load bench's profile, where the count and read of every API request were the
    only use of it. Django's cache backends hold no per-request state (skincare.core.cache's shares one Redis client
    per process anyway). Made again when CACHES changes (tests)."""
    return caches.create_connection(DEFAULT_CACHE_ALIAS)


def _forget_default_cache(*, setting, **kwargs) -> None:
    if setting == "CACHES":
        default_cache.cache_clear()


setting_changed.connect(_forget_default_cache)


def _redis_client(key: str, backend=None):
    backend = getattr(backend or default_cache(), "_cache", None)
    if backend is not None and hasattr(backend, "get_client"):  # a Redis cache (skincare.core.cache or Django's)
        return backend.get_client(key, write=True)
    return None


# The windows' counts in one command (EVALSHA): INCR each, and set its expiry when its window starts. KEYS: the
# windows' keys; ARGV: their TTLs. One command and one reply instead of two per window, each packed and parsed by
# redis-py in Python; the values to read go in an MGET beside it, not through the script (Lua would copy each value
# twice, a large cached answer too).
_COUNT = """
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCR', key)
  if out[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return out
"""
_COUNT_SHA = hashlib.sha1(_COUNT.encode()).hexdigest()


def window_hits(windows: list[tuple[str, int]], reads: list[str] = ()) -> tuple[list[int], dict | None]:
    """Count one request in each fixed window (key, ttl), and read the cache keys `reads`: on Redis in one round trip
    (`_COUNT` and an MGET, pipelined). The counts, and the values read (key -> value, a key with no value absent; None
    where the cache is not Redis and nothing was read)."""
    backend = default_cache()
    make_key = backend.make_and_validate_key
    full = [make_key(key) for key, _ in windows]
    wanted = [make_key(key) for key in reads]
    client = _redis_client((full or wanted or [""])[0], backend)
    if client is None:
        return [_cache_hit(key, ttl) for key, ttl in windows], None
    try:
        replies = _count_and_read(client, full, [ttl for _, ttl in windows], wanted)
    except NoScriptError:  # a Redis that restarted, or flushed its scripts, since: load it and count again
        client.script_load(_COUNT)
        replies = _count_and_read(client, full, [ttl for _, ttl in windows], wanted)
    counts = [int(count) for count in replies[0]] if full else []
    if not reads:
        return counts, {}
    loads = backend._cache._serializer.loads  # Django's RedisSerializer: what cache.get_many would decode with
    return counts, {
        key: decoded_models.loads(key, value) if value[:1] == _PICKLED else loads(value)
        for key, value in zip(reads, replies[-1], strict=True)
        if value is not None
    }


# What Django's RedisSerializer.dumps writes for anything but an int starts with pickle's PROTO opcode (protocol 2
# and up). Its loads tries int() first and unpickles on the ValueError: the raise and catch, for every cached person
# and answer read, was a fifth of the decoding. A pickle is unpickled at once (or, for a model instance read before
# in the same bytes, the signed-in person, copied: skincare.core.cache.DecodedModels); anything else goes to Django's
# loads.
_PICKLED = b"\x80"


def _count_and_read(client, keys: list[str], ttls: list[int], reads: list[str]) -> list:
    commands: list[tuple] = []
    if keys:  # INCR is atomic on its own: no MULTI/EXEC round of replies to parse
        commands.append(("EVALSHA", _COUNT_SHA, len(keys), *keys, *ttls))
    if reads:
        commands.append(("MGET", *reads))
    return round_trip(client, commands) if commands else []


def signed_in_pk(request):
    """The signed-in person's pk, or None. While the authenticator counts the request (`count_at_authentication`),
    the token's person, whom DRF has not made `request.user` yet."""
    pk = request.__dict__.get("_counting_for")
    if pk is not None:
        return pk
    user = request.user
    return user.pk if user and user.is_authenticated else None


def count_at_authentication(request, view, user_pk, key: str):
    """The authenticator's read of the person's cached row (`key`; the value or None), made on Redis in the same round
    trip as the counts of all the view's throttles and what its cached GET will read (skincare.core.readcache): a
    cached answer costs one round trip. DRF checks the throttles after authentication and permissions, from these
    counts (so a request refused for its permissions was counted too)."""
    if not hasattr(view, "get_throttles"):
        return cache.get(key)
    request._counting_for = user_pk
    try:
        request._throttle_counts, found = _count_all(request, view, view.get_throttles(), [key])
    finally:
        del request._counting_for
    return cache.get(key) if found is None else found.get(key)  # None: not Redis, counted on the cache


def _count_all(request, view, throttles: list, extra: list[str] = ()) -> tuple[dict, dict | None]:
    """Count the windows of all `throttles` in one round trip, with `extra` keys and what a cached GET will read
    (skincare.core.readcache). Throttle class -> (count, limit, seconds to the next window), or None where it has no
    window for this request; and the values read (None where the cache is not Redis and nothing was read)."""
    windows = {}
    for throttle in throttles:
        if isinstance(throttle, ClientIPMixin):
            windows[type(throttle)] = (throttle, throttle.window(request, view))
    counted = [(throttle, window) for throttle, window in windows.values() if window is not None]
    planned = readcache.planned_reads(request, view, signed_in_pk(request))
    hits, found = window_hits([window for _, window in counted], [*extra, *planned])
    if planned and found is not None:  # read (on Redis)
        readcache.prefetched(request, view, planned, found)
    out: dict = {kind: None for kind in windows}
    for (throttle, _), count in zip(counted, hits, strict=True):
        out[type(throttle)] = (count, throttle.num_requests, throttle.wait_seconds)
    return out, found


def _cache_hit(key: str, ttl: int) -> int:
    """One window's count on a cache that is not Redis (tests' locmem, the embedded file cache): add + incr."""
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
        counted = getattr(request, "_throttle_counts", None)
        if counted is None:
            throttles = view.get_throttles() if hasattr(view, "get_throttles") else []  # pages pass no view
            if not any(type(t) is type(self) for t in throttles):
                throttles.append(self)
            counted, _ = _count_all(request, view, throttles)
            request._throttle_counts = counted
        if type(self) in counted:  # each throttle takes its own count once: a second check counts again
            found = counted.pop(type(self))
            if found is None:
                return True
            count, self.num_requests, self.wait_seconds = found
        else:
            window = self.window(request, view)
            if window is None:
                return True
            count = window_hits([window])[0][0]
        return count <= self.num_requests

    def window(self, request, view) -> tuple[str, int] | None:
        """This throttle's window for the request (its key, with the window's number, and a TTL), or None."""
        self.prepare(view)
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return None
        now = self.timer()
        number = int(now // self.duration)
        self.wait_seconds = max(1, math.ceil((number + 1) * self.duration - now))
        return f"{self.key}:{number}", int(self.duration) + 5

    def prepare(self, view) -> None:
        """Set the rate where it depends on the view (ScopedThrottle)."""

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)


class UserRateThrottle(ClientIPMixin, _UserRateThrottle):
    """Per authenticated user; anonymous requests are left to the IP throttle."""

    scope = "user"

    def get_cache_key(self, request, view):
        pk = signed_in_pk(request)
        return None if pk is None else self.cache_format % {"scope": self.scope, "ident": pk}


class IPRateThrottle(ClientIPMixin, AnonRateThrottle):
    """Per client address, for every request, signed in or not."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ScopedThrottle(ClientIPMixin, ScopedRateThrottle):
    """DRF's ScopedRateThrottle (the view's `throttle_scope`; keyed on the user when signed in, else the address)."""

    def __init__(self) -> None:
        pass  # the rate depends on the view: set in prepare(), as ScopedRateThrottle does in allow_request

    def prepare(self, view) -> None:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            self.rate = None
            return
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        pk = signed_in_pk(request)
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request) if pk is None else pk}


class AddressRateThrottle(ClientIPMixin, SimpleRateThrottle):
    """Base for a throttle of its own scope keyed on the client address, signed in or not."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


DEFAULT_THROTTLES = [UserRateThrottle, IPRateThrottle]
# Views that set `throttle_scope` (login, otp, upload...) use these: keyed on the user when signed in and on the
# client address otherwise.
SCOPED_THROTTLES = [*DEFAULT_THROTTLES, ScopedThrottle]
