"""A signed-in person's limits (skincare.core.throttling): counted where the authenticator reads the person (on Redis
in the request's one round trip, `count_at_authentication`) and refused where DRF checks the throttles."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"
SCAN = "/api/v1/ingredients/scan"
NOTIFICATIONS = "/api/v1/notifications"


def test_a_person_over_their_own_limit_is_refused_and_another_is_not(auth_client, other_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    assert [auth_client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    refused = auth_client.get(ME)
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert other_client.get(ME).status_code == 200  # their own window, on the same address


def test_a_scoped_limit_counts_the_person_when_signed_in(auth_client, other_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "upload", "2/min")

    def scan(client):
        junk = SimpleUploadedFile("label.png", io.BytesIO(b"not an image").getvalue(), content_type="image/png")
        return client.post(SCAN, {"file": junk}, format="multipart").status_code

    assert [scan(auth_client) for _ in range(3)] == [400, 400, 429]
    assert scan(other_client) == 400


def test_a_token_of_a_deactivated_person_is_refused_at_once(auth_client, user):
    assert auth_client.get(ME).status_code == 200  # the person is cached now
    user.is_active = False
    user.save()
    refused = auth_client.get(ME)
    assert refused.status_code == 401


def test_the_counting_script_is_loaded_again_after_redis_forgets_it(auth_client, monkeypatch):
    from skincare.core.throttling import _redis_client

    client = _redis_client("x")
    if client is None:
        pytest.skip("the cache is not Redis (REDIS_URL unset): no script")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/min")
    assert auth_client.get(ME).status_code == 200
    client.script_flush()  # as after a restart of Redis
    assert auth_client.get(ME).status_code == 200
    assert auth_client.get(ME).status_code == 429  # and both were counted


def test_an_api_request_builds_no_cache_object_of_its_own(auth_client, settings, monkeypatch):
    """Under ASGI every request runs in a context of its own, where Django builds a new cache object for the first
    `caches[...]`: the count and read of each request use the process's one (`default_cache`)."""
    from contextvars import Context

    from django.core.cache import CacheHandler

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: the cached person and answer are read in the count's round trip on Redis")
    settings.READ_CACHE_SECONDS = 60
    settings.AUTH_USER_CACHE_SECONDS = 60
    made = []
    build = CacheHandler.create_connection
    monkeypatch.setattr(CacheHandler, "create_connection", lambda self, alias: made.append(alias) or build(self, alias))
    for _ in range(2):  # the answer made and stored, then the person cached and the answer's key known
        assert Context().run(auth_client.get, NOTIFICATIONS).status_code == 200
    made.clear()
    answers = [Context().run(auth_client.get, NOTIFICATIONS) for _ in range(3)]  # contexts of their own, as in ASGI
    assert [(a.status_code, a["X-Read-Cache"]) for a in answers] == [(200, "hit")] * 3
    assert made == []


def test_the_values_read_with_the_counts_are_decoded_as_the_cache_would(settings, monkeypatch):
    """A pickle is unpickled at once; only what is not one (an int, as Django stores ints) goes to Django's loads."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisSerializer

    from skincare.core.throttling import window_hits

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: values are read in the count's round trip on Redis only")
    cache.set("decode-test:int", 1796232914000000000, 30)
    cache.set("decode-test:obj", {"versions": (3, 4), "content": b"{}"}, 30)
    cache.set("decode-test:str", "text", 30)
    keys = ["decode-test:int", "decode-test:obj", "decode-test:str", "decode-test:none"]
    expected = {k: cache.get(k) for k in keys[:3]}
    through_django = []
    loads = RedisSerializer.loads
    monkeypatch.setattr(RedisSerializer, "loads", lambda self, data: through_django.append(data) or loads(self, data))
    _, found = window_hits([], keys)
    assert found == expected
    assert through_django == [b"1796232914000000000"]
