"""The read cache (skincare.core.readcache): a person's GETs come from the cache until their data changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Notification
from accounts.services import notification_create
from analysis.tests.factories import SkinAnalysisFactory
from ingredients.models import Product
from ingredients.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications"
HISTORY = "/api/v1/analysis/history"
ME = "/api/v1/auth/me"


@pytest.fixture(autouse=True)
def _on(settings):
    settings.READ_CACHE_SECONDS = 60


def test_a_second_read_comes_from_the_cache_and_says_so(auth_client, user):
    notification_create(user=user, kind="x", title="one")
    first = auth_client.get(NOTIFICATIONS)
    second = auth_client.get(NOTIFICATIONS)
    assert first.status_code == second.status_code == 200
    assert "X-Read-Cache" not in first
    assert second["X-Read-Cache"] == "hit"
    assert second.content == first.content


def test_a_change_through_the_api_is_seen_at_once(auth_client, user):
    n = notification_create(user=user, kind="x", title="one")
    assert auth_client.get(NOTIFICATIONS).json()["results"][0]["read_at"] is None
    auth_client.get(NOTIFICATIONS)  # cached
    assert auth_client.post(f"/api/v1/notifications/{n.pk}/read").status_code == 200  # a QuerySet.update inside
    after = auth_client.get(NOTIFICATIONS)
    assert "X-Read-Cache" not in after
    assert after.json()["results"][0]["read_at"] is not None


def test_rows_written_elsewhere_are_seen_at_once(auth_client, user):
    assert auth_client.get(HISTORY).json()["count"] == 0
    auth_client.get(HISTORY)
    analysis = SkinAnalysisFactory(user=user, done=True)  # what a worker does: a save in another process
    assert auth_client.get(HISTORY).json()["count"] == 1
    analysis.delete()
    assert auth_client.get(HISTORY).json()["count"] == 0


def test_a_profile_change_is_seen_at_once(auth_client, user):
    assert auth_client.get(ME).json()["first_name"] == user.first_name
    auth_client.get(ME)
    user.first_name = "Renamed"
    user.save()
    assert auth_client.get(ME).json()["first_name"] == "Renamed"


def test_each_person_gets_their_own_answer(auth_client, other_client, user, other_user):
    notification_create(user=user, kind="x", title="mine")
    assert auth_client.get(NOTIFICATIONS).json()["count"] == 1
    assert auth_client.get(NOTIFICATIONS)["X-Read-Cache"] == "hit"
    theirs = other_client.get(NOTIFICATIONS)
    assert "X-Read-Cache" not in theirs
    assert theirs.json()["count"] == 0


def test_the_language_is_part_of_the_key(auth_client):
    english = auth_client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    spanish = auth_client.get(ME, HTTP_ACCEPT_LANGUAGE="es")
    assert "X-Read-Cache" not in spanish
    assert spanish["Content-Language"] == "es" and english["Content-Language"] == "en"


def test_a_catalogue_change_is_seen_by_everyone(auth_client):
    product = ProductFactory(name="Barrier Cream One")
    url = "/api/v1/products?q=barrier"
    assert [p["name"] for p in auth_client.get(url).json()["results"]] == ["Barrier Cream One"]
    product.name = "Barrier Cream Two"
    product.save()
    assert [p["name"] for p in auth_client.get(url).json()["results"]] == ["Barrier Cream Two"]
    Product.objects.filter(pk=product.pk).delete()
    assert auth_client.get(url).json()["results"] == []


def test_errors_are_not_cached(auth_client):
    assert auth_client.get("/api/v1/products?page=99").status_code == 404
    again = auth_client.get("/api/v1/products?page=99")
    assert again.status_code == 404 and "X-Read-Cache" not in again


def test_off_when_set_to_zero(auth_client, settings, user):
    settings.READ_CACHE_SECONDS = 0
    notification_create(user=user, kind="x", title="one")
    auth_client.get(NOTIFICATIONS)
    assert "X-Read-Cache" not in auth_client.get(NOTIFICATIONS)
    Notification.objects.filter(user=user).update(title="changed behind its back")
    assert auth_client.get(NOTIFICATIONS).json()["results"][0]["title"] == "changed behind its back"


def test_signed_out_requests_are_never_cached(api_client):
    assert api_client.get(reverse("healthz")).status_code == 200
    assert api_client.get(NOTIFICATIONS).status_code == 401


def test_page_links_follow_the_host_asked(auth_client, user, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    notification_create(user=user, kind="x", title="one")
    notification_create(user=user, kind="x", title="two")
    first = auth_client.get(NOTIFICATIONS + "?page_size=1", HTTP_HOST="a.example").json()["next"]
    second = auth_client.get(NOTIFICATIONS + "?page_size=1", HTTP_HOST="b.example").json()["next"]
    assert first.startswith("http://a.example/") and second.startswith("http://b.example/")


def _redis_round_trips(monkeypatch) -> list:
    from redis.connection import AbstractConnection

    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return sent


def _commands(packed) -> list[str]:
    """The command names in what redis-py sent (RESP arrays: *count, $length, NAME, ...)."""
    tokens = b"".join(packed if isinstance(packed, list) else [packed]).split(b"\r\n")
    return [tokens[i + 2].decode() for i, token in enumerate(tokens[:-2]) if token.startswith(b"*")]


def _arguments(packed) -> list[list[str]]:
    """Each command's arguments in what redis-py sent (RESP arrays: *count, then $length and each argument)."""
    rest = b"".join(packed if isinstance(packed, list) else [packed])
    commands = []
    while rest:
        head, _, rest = rest.partition(b"\r\n")
        command = []
        for _ in range(int(head[1:])):
            length, _, rest = rest.partition(b"\r\n")
            size = int(length[1:])
            command.append(rest[:size].decode())
            rest = rest[size + 2 :]
        commands.append(command)
    return commands


def _on_redis():
    from skincare.core.throttling import _redis_client

    if _redis_client("x") is None:
        pytest.skip("the cache is not Redis (REDIS_URL unset): the throttles count on the cache, one key at a time")


def test_on_redis_a_cached_answer_costs_one_round_trip(auth_client, user, settings, monkeypatch):
    _on_redis()
    settings.AUTH_USER_CACHE_SECONDS = 60
    notification_create(user=user, kind="x", title="one")
    auth_client.get(NOTIFICATIONS)  # made and stored
    auth_client.get(NOTIFICATIONS)  # the user is cached too now, and the entry's key known
    sent = _redis_round_trips(monkeypatch)
    hit = auth_client.get(NOTIFICATIONS)
    assert hit["X-Read-Cache"] == "hit" and hit.json()["count"] == 1
    # One round trip: the throttles' windows counted (one script), the person, both versions and the entry read.
    assert [_commands(packed) for packed in sent] == [["EVALSHA", "MGET"]]
    count, read = _arguments(sent[0])
    assert count[2] == "2" and f":throttle_user_{user.pk}:" in count[3] and ":throttle_ip_127.0.0.1:" in count[4]
    keys = [key.split(":", 2)[2] for key in read[1:]]
    assert keys[:3] == [f"auth-user:v1:{user.pk}", f"rc:v:user:{user.pk}", "rc:v:shared"]
    assert keys[3].startswith("rc:") and keys[3].endswith(NOTIFICATIONS) and len(keys) == 4
    notification_create(user=user, kind="x", title="two")
    assert auth_client.get(NOTIFICATIONS).json()["count"] == 2  # read the same way, and still never stale


def test_a_wrong_guess_of_the_entry_costs_a_read_not_a_wrong_answer(auth_client, user, settings, monkeypatch):
    from skincare.core import readcache

    _on_redis()
    settings.AUTH_USER_CACHE_SECONDS = 60
    notification_create(user=user, kind="x", title="one")
    auth_client.get(NOTIFICATIONS)
    auth_client.get(NOTIFICATIONS)
    for guess in list(readcache._GUESSED):  # as if the key had changed since (another language, another day)
        readcache._GUESSED[guess] = "rc:some-other-answer"
    sent = _redis_round_trips(monkeypatch)
    hit = auth_client.get(NOTIFICATIONS)
    assert hit["X-Read-Cache"] == "hit" and hit.json()["count"] == 1
    assert [_commands(packed) for packed in sent] == [["EVALSHA", "MGET"], ["GET"]]  # the entry under its own key
    mine = [key for guess, key in readcache._GUESSED.items() if guess[1] == str(user.pk)]
    assert mine and "rc:some-other-answer" not in mine  # and the guess mended
    sent.clear()
    auth_client.get(NOTIFICATIONS)
    assert [_commands(packed) for packed in sent] == [["EVALSHA", "MGET"]]


def test_a_new_profile_language_is_answered_at_once(auth_client, user):
    auth_client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert auth_client.get(ME, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    user.profile.language = "fr"
    user.profile.save()
    again = auth_client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert again["Content-Language"] == "fr" and again.json()["profile"]["language"] == "fr"


# --- a process's own copies of its large answers (NearCopies) ---------------------------------------------------
def _held_copies(settings):
    from skincare.core import readcache

    _on_redis()
    settings.AUTH_USER_CACHE_SECONDS = 60
    settings.READ_CACHE_NEAR_MIN_BYTES = 100  # the test's notifications count as large
    return readcache.near


def test_a_large_answer_held_here_costs_a_read_of_the_versions_only(auth_client, user, settings, monkeypatch):
    near = _held_copies(settings)
    notification_create(user=user, kind="x", title="one")
    first = auth_client.get(NOTIFICATIONS)  # made, stored in Redis and held here
    assert [key for key in near._items if key.endswith(NOTIFICATIONS)]
    sent = _redis_round_trips(monkeypatch)
    hit = auth_client.get(NOTIFICATIONS)
    assert hit["X-Read-Cache"] == "hit" and hit.content == first.content
    assert [_commands(packed) for packed in sent] == [["EVALSHA", "MGET"]]
    keys = [key.split(":", 2)[2] for key in _arguments(sent[0])[1][1:]]
    assert keys == [f"auth-user:v1:{user.pk}", f"rc:v:user:{user.pk}", "rc:v:shared"]  # not the answer's 4th key
    notification_create(user=user, kind="x", title="two")
    assert auth_client.get(NOTIFICATIONS).json()["count"] == 2  # a change is seen at once all the same


def test_a_copy_out_of_date_gives_way_to_the_answer_another_process_stored(auth_client, user, settings):
    import time

    from django.core.cache import cache

    from skincare.core import readcache

    near = _held_copies(settings)
    notification_create(user=user, kind="x", title="one")
    auth_client.get(NOTIFICATIONS)
    (key,) = [key for key in near._items if key.endswith(NOTIFICATIONS)]
    readcache.changed(user.pk)  # the data changed; another process answered and stored the new answer
    versions = (cache.get(readcache.USER_KEY.format(user.pk)), cache.get(readcache.SHARED_KEY))
    elsewhere = b'{"stored": "elsewhere", "pad": "' + b"x" * 200 + b'"}'
    cache.set(key, (versions, "application/json", elsewhere, time.time() + 60), 60)
    answer = auth_client.get(NOTIFICATIONS)
    assert answer["X-Read-Cache"] == "hit" and answer.json()["stored"] == "elsewhere"  # read, not made again
    assert near.get(key)[2] == elsewhere  # and held here now


def test_small_answers_are_not_held(auth_client, user, settings):
    from skincare.core import readcache

    _on_redis()
    notification_create(user=user, kind="x", title="one")
    assert len(auth_client.get(NOTIFICATIONS).content) < settings.READ_CACHE_NEAR_MIN_BYTES
    assert not [key for key in readcache.near._items if key.endswith(NOTIFICATIONS)]


def test_held_copies_expire_with_their_entry_and_stay_within_their_bytes(settings, monkeypatch):
    import time

    from skincare.core.readcache import NearCopies

    settings.READ_CACHE_NEAR_BYTES = 4000
    settings.READ_CACHE_NEAR_MIN_BYTES = 100
    near = NearCopies()
    now = time.time()

    def entry(size: int, expires: float = now + 60) -> tuple:
        return ((1, 2), "application/json", b"x" * size, expires)

    near.put("old", entry(900, now - 1))  # already expired
    near.put("small", entry(99))
    near.put("huge", entry(1001))  # over a quarter of the bytes
    near.put("older", ((1, 2), "application/json", b"x" * 900))  # no expiry: made by an older release
    assert near._items == {}
    for name in "abcd":
        near.put(name, entry(900))
    assert near.get("a") is not None  # used: the most recent now
    near.put("e", entry(900))  # 4,500 bytes: the least recently used goes
    assert sorted(near._items) == ["a", "c", "d", "e"] and near._bytes == 3600
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert near.get("a") is None and "a" not in near._items  # expired with its entry in Redis
    settings.READ_CACHE_NEAR_BYTES = 0
    near.put("off", entry(900))
    assert "off" not in near._items
