"""Django's Redis cache with one connection pool (and one client) per process.

Django keeps cache objects per request context (asgiref Local), and its RedisCacheClient makes a connection pool per
cache object. Under ASGI every request runs in a context of its own, so every request built a pool, opened a fresh TCP
connection to Redis and a redis-py client for each call (~170 response callbacks), and left them to the garbage
collector (the load bench's profile and its Redis client count). Here all cache objects of a process share one pool
per server and options, and one client on it; redis-py pools are thread-safe and reset themselves after a fork.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as _RedisCache
from django.core.cache.backends.redis import RedisCacheClient as _RedisCacheClient
from django.utils.functional import cached_property

_lock = threading.Lock()
_pools: dict[tuple, object] = {}
_clients: dict[int, object] = {}


class SharedPoolRedisCacheClient(_RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        pool = self._pools.get(index)
        if pool is not None:
            return pool
        key = (
            self._servers[index],
            self._pool_class,
            tuple(sorted((k, repr(v)) for k, v in self._pool_options.items())),
        )
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        self._pools[index] = pool
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None:
            with _lock:
                client = _clients.setdefault(id(pool), self._client(connection_pool=pool))
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
