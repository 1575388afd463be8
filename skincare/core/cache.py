"""Django's Redis cache with one connection pool (and one client) per process.

Django keeps cache objects per request context (asgiref Local), and its RedisCacheClient makes a connection pool per
cache object. Under ASGI every request runs in a context of its own, so every request built a pool, opened a fresh TCP
connection to Redis and a redis-py client for each call (~170 response callbacks), and left them to the garbage
collector (the load bench's profile and its Redis client count). Here all cache objects of a process with the same
servers and options share one client object, with one pool per server and one redis-py client on it; redis-py pools
are thread-safe and reset themselves after a fork.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import os
import pickle
import threading
import uuid
import weakref

from django.core.cache.backends.redis import RedisCache as _RedisCache
from django.core.cache.backends.redis import RedisCacheClient as _RedisCacheClient
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils.functional import cached_property

_lock = threading.Lock()
_pools: list = []  # every pool made in this process (none while the app loads: tests/test_serving.py)


class SharedPoolRedisCacheClient(_RedisCacheClient):
    """Django's RedisCacheClient with one pool and one redis-py client per server, made once (RedisCache shares one
    such object per servers and options in the process)."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            with _lock:
                client = self._clients.get(index)
                if client is None:
                    pool = self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    _pools.append(pool)
                    client = self._clients[index] = self._client(connection_pool=pool)
        return client


_shared: dict[tuple, SharedPoolRedisCacheClient] = {}


class RedisCache(_RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient

    @cached_property
    def _cache(self):
        """One client object per servers and options in the process, shared by the cache objects of every request
        context (Django's builds one per cache object: its options parsed, its pool looked up, per request)."""
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        found = _shared.get(key)
        if found is None:
            with _lock:
                found = _shared.setdefault(key, self._class(self._servers, **self._options))
        return found

    def validate_key(self, key):
        """Redis takes any key: no memcached portability warnings (their check walked every character of every key of
        every call, 2% of a cached answer's CPU in the load bench's profile)."""


_own = threading.local()  # per thread: redis-py pool -> the thread's own connection to that pool's server


def round_trip(client, commands: list[tuple]) -> list:
    """Send `commands` (each a tuple of a command's arguments) to `client`'s server in one write and read all their
    replies, on a connection the calling thread keeps for itself (made with the client's pool's settings: address,
    password, database, TLS, timeouts). The replies in order; an error reply (ResponseError, e.g. NoScriptError) is
    raised after every reply has been read, so the connection stays in step.

    What redis-py's pipeline does for one request's counts and reads (skincare.core.throttling), without its
    per-call machinery (the pool's checkout and release with their lock and pid checks, the retry wrapper, the
    response callbacks, argument filtering): 127 against 55 microseconds of CPU per round trip here. A connection
    found closed (Redis restarted since it was last used) is made again and the commands sent once more; a second
    failure, or a timeout, is raised (a ConnectionError or TimeoutError: 503, skincare.core.errors).
    """
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import ResponseError

    pool = client.connection_pool
    mine = getattr(_own, "conns", None)
    if mine is None:
        mine = _own.conns = weakref.WeakKeyDictionary()  # a pool that goes away takes its connection with it
    conn = mine.get(pool)
    fresh = conn is None or conn.pid != os.getpid()  # a connection made before a fork belongs to the parent
    if fresh:
        conn = mine[pool] = pool.connection_class(**pool.connection_kwargs)
    while True:
        try:
            conn.send_packed_command(conn.pack_commands(commands), check_health=False)
            replies, error = [], None
            for _ in commands:
                try:
                    replies.append(conn.read_response())
                except ResponseError as exc:
                    replies.append(exc)
                    error = error or exc
        except RedisConnectionError:
            conn.disconnect()
            if fresh:
                raise
            fresh = True  # once more, on a connection made now
            continue
        except BaseException:  # a timeout, an interrupted read: what is left on the socket is unknown
            conn.disconnect()
            raise
        if error is not None:
            raise error
        return replies


# Field values a copy of a model instance can share with the instance it was copied from.
_SHARED_TYPES = frozenset(
    {str, int, float, bool, type(None), bytes, uuid.UUID, decimal.Decimal}
    | {datetime.datetime, datetime.date, datetime.time, datetime.timedelta}
)


_STATE_CACHES = ("fields_cache", "related_managers_cache")  # a ModelState's, made anew for a copy


def _value_copy(value, memo: dict):
    """A field value for a copy: shared where immutable, a JSON field's lists and dicts copied deep (without
    copy.deepcopy's memo and dispatch: most of a copy's time went there), a row copied as a row."""
    kind = type(value)
    if kind in _SHARED_TYPES:
        return value
    if kind is list:
        return [_value_copy(item, memo) for item in value]
    if kind is dict:
        return {key: _value_copy(item, memo) for key, item in value.items()}
    if isinstance(value, Model):
        return _model_copy(value, memo)
    return copy.deepcopy(value)


def _model_copy(instance, memo: dict):
    """A copy of a model instance that shares nothing mutable with it: its field values (`_value_copy`), its
    ModelState (a new fields cache, no related managers, as ModelState's own __getstate__ makes), and the related rows
    in its fields cache, copied the same way (a row that refers back, a profile's user, to the copy)."""
    found = memo.get(id(instance))
    if found is not None:
        return found
    twin = memo[id(instance)] = object.__new__(type(instance))
    values = instance.__dict__.copy()
    for name in [name for name, value in values.items() if type(value) not in _SHARED_TYPES and name != "_state"]:
        values[name] = _value_copy(values[name], memo)  # the few that are not shared
    old = instance._state
    state = object.__new__(ModelState)
    state.__dict__.update({k: v for k, v in old.__dict__.items() if k not in _STATE_CACHES})
    state.fields_cache = {name: _value_copy(row, memo) for name, row in old.fields_cache.items()}
    values["_state"] = state
    twin.__dict__.update(values)
    return twin


class DecodedModels:
    """Model instances decoded from the cache, by key, with the bytes they were decoded from: the same bytes read again
    give a copy of the instance (`_model_copy`) instead of a new unpickling.

    The signed-in person (user and profile, accounts.usercache) comes from Redis with every API request; their
    unpickling (ModelBase's model_unpickle and __setstate__ for two rows) was 6% of a cached GET /auth/me's CPU in
    the load bench's profile; a copy costs three fifths of it (7.8 against 13.0 microseconds for the bench's person).
    Only bytes equal to those decoded before give a copy, so a changed row is decoded anew; every request gets its own
    copy, as it got its own unpickled instance. At most `size` keys per process (all forgotten when full: the busy
    ones are back in one request).
    """

    def __init__(self, size: int = 2048) -> None:
        self._held: dict[str, tuple[bytes, object]] = {}
        self._size = size

    def loads(self, key: str, raw: bytes):
        """`raw` (a pickle, read under `key`) decoded: a copy of what the same bytes gave before, else unpickled."""
        held = self._held.get(key)
        if held is not None and held[0] == raw:
            return _model_copy(held[1], {})
        value = pickle.loads(raw)  # noqa: S301 - our own cache's values
        if isinstance(value, Model):
            if len(self._held) >= self._size:
                self._held.clear()
            self._held[key] = (bytes(raw), _model_copy(value, {}))  # a copy no request holds
        return value


decoded_models = DecodedModels()
