"""One request's Redis commands in one write on the thread's own connection (skincare.core.cache.round_trip), against
the real Redis of REDIS_URL."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError

from skincare.core.cache import round_trip


@pytest.fixture
def client(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the embedded default has no Redis")
    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.fixture
def key(client):
    name = f"round-trip-test:{uuid.uuid4().hex}"
    yield name
    client.delete(name)


def _id(client) -> int:
    return round_trip(client, [("CLIENT", "ID")])[0]


def test_the_replies_come_back_in_order(client, key):
    assert round_trip(client, [("SET", key, "41"), ("INCR", key), ("MGET", key, key + ":none")]) == [
        b"OK",
        42,
        [b"42", None],
    ]


def test_an_error_reply_is_raised_after_every_reply_is_read(client, key):
    client.set(key, "not a number")
    with pytest.raises(ResponseError) as raised:
        round_trip(client, [("INCR", key), ("SET", key, "7")])
    assert "not an integer" in str(raised.value)
    assert client.get(key) == b"7"  # the command after the error ran
    assert round_trip(client, [("GET", key)]) == [b"7"]  # and the connection is still in step


def test_an_unknown_script_is_a_no_script_error(client, key):
    with pytest.raises(NoScriptError):
        round_trip(client, [("EVALSHA", "0" * 40, 1, key), ("GET", key)])
    assert round_trip(client, [("PING",)]) == [b"PONG"]


def test_a_thread_keeps_its_own_connection(client):
    first = _id(client)
    assert _id(client) == first
    other = []
    thread = threading.Thread(target=lambda: other.append(_id(client)))
    thread.start()
    thread.join()
    assert other and other[0] != first


def test_a_connection_the_server_closed_is_made_again(client):
    first = _id(client)
    assert client.client_kill_filter(_id=first) == 1  # as when Redis restarts or drops an idle client
    again = _id(client)
    assert again != first
    assert _id(client) == again


def test_a_forked_child_does_not_use_its_parents_connection(client):
    parent = _id(client)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own connection, or 0 if it failed
        try:
            os.write(write, str(_id(client)).encode())
        finally:
            os._exit(0)
    os.close(write)
    child = int(os.read(read, 64) or b"0")
    os.close(read)
    os.waitpid(pid, 0)
    assert child not in (0, parent)
    assert _id(client) == parent  # the parent's is untouched


def test_redis_down_is_a_connection_error():
    down = redis.Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(RedisConnectionError):
        round_trip(down, [("PING",)])
