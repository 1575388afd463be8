"""A person's read-heavy API answers, cached until their data changes (a per-person version, as generational caching).

A mobile app reads the same lists again and again (history, routines, notifications, a catalogue search) while
they rarely change. Each such GET's rendered JSON is kept in the shared cache under a key holding the person, the
language the answer is written in, the absolute URL and what else the view says it depends on (the person's local
date for a routine's week), together with the two versions it was made under: the person's data version and the
shared data's version (catalogue, site settings), each bumped on every change. One MGET reads both versions and the
entry; the entry answers only while its versions are the current ones, so a changed row is never answered from the
cache. READ_CACHE_SECONDS (default 60, 0 = off; off on the embedded file cache) bounds an entry's life, which also
keeps the signed photo links inside (valid SIGNED_URL_MAX_AGE, 600 s) fresh.

On Redis both versions and the entry are read in the one round trip that reads the signed-in person and counts the
request in the throttles (skincare.core.throttling.count_at_authentication; `planned_reads`, `prefetched`), the
entry's key guessed from what the last such request used: a cached answer costs that one round trip.

Versions move when a row changes (post_save, post_delete on the models in `WATCHED`) and again when its
transaction commits: a request that read the new version but the old rows, before the commit, stored them under
versions that are no longer current once it commits. Writes that bypass signals (QuerySet.update, bulk_create) call
`changed(user_id)` or `shared_changed()` themselves. A version that expired or was evicted restarts from the clock,
never from 0, so an old entry cannot come back under a reused number.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

USER_KEY = "rc:v:user:{}"
SHARED_KEY = "rc:v:shared"
VERSION_SECONDS = 7 * 24 * 3600


def _seconds() -> int:
    return int(getattr(settings, "READ_CACHE_SECONDS", 0) or 0)


class NearCopies:
    """This process's own copies of its large cached answers, so that a hit reads only the two versions from Redis.

    A 122 KB history answer went from Redis to the web process on every hit: Redis's write of it, the read and parse
    of it here and its unpickling were 7-8% of the request's CPU on this 2-core machine (the load bench), for bytes
    the process had received a moment before. A copy is held here only with its expiry (the entry's, the same as
    Redis's for it), and it answers exactly as the entry in Redis would: only while the versions it was made under
    are the current ones, read from Redis in the request's round trip. Answers of at least READ_CACHE_NEAR_MIN_BYTES
    (16 KiB) are kept, the most recently used first, up to READ_CACHE_NEAR_BYTES (8 MiB, 0 = off) per process.
    """

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # a process's request threads share it

    @staticmethod
    def _limits() -> tuple[int, int]:
        return (
            int(getattr(settings, "READ_CACHE_NEAR_BYTES", 0) or 0),
            int(getattr(settings, "READ_CACHE_NEAR_MIN_BYTES", 0) or 0),
        )

    def get(self, key: str | None):
        if key is None or not self._items:
            return None
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            if entry[3] <= time.time():  # expired, as its copy in Redis has
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return entry

    def put(self, key: str, entry) -> None:
        """Keep `entry` (versions, content type, content, expiry) if it is large enough and not yet expired; an
        entry without an expiry (made by an older release) is not kept."""
        most, least = self._limits()
        if entry is None or len(entry) < 4 or not most:
            return
        size = len(entry[2])
        if size < least or size > most // 4 or entry[3] <= time.time():
            return
        with self._lock:
            self._drop(key)
            self._items[key] = entry
            self._bytes += size
            while self._bytes > most:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        entry = self._items.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[2])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


near = NearCopies()


def _forget_near(*, setting, **kwargs) -> None:
    if setting.startswith("READ_CACHE") or setting == "CACHES":  # tests: other rules, another cache
        near.clear()


setting_changed.connect(_forget_near)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing: start from the clock, above any number an expired copy may have held
        cache.add(key, time.time_ns(), VERSION_SECONDS)


def _bump_now_and_on_commit(key: str) -> None:
    _bump(key)
    if transaction.get_connection().in_atomic_block:
        # Again when it commits: a request that read the version after the first bump but the rows before the
        # commit cached the old rows under that version.
        transaction.on_commit(lambda: _bump(key))


def changed(user_id) -> None:
    """The person's data changed: their cached answers are stale now, and again when the transaction commits."""
    if not _seconds() or user_id is None:
        return
    _bump_now_and_on_commit(USER_KEY.format(user_id))


def shared_changed() -> None:
    if not _seconds():
        return
    _bump_now_and_on_commit(SHARED_KEY)


def shared_version():
    """The shared data's version now (the catalogue, the ingredient knowledge base, site settings: moved by every
    change of them), for a process's own copies of shared data to know they are current; None where the read cache
    is off (its versions do not move then)."""
    if not _seconds():
        return None
    found = cache.get(SHARED_KEY)
    if found is None:  # expired or evicted: restart from the clock (`_bump`)
        cache.add(SHARED_KEY, time.time_ns(), VERSION_SECONDS)
        found = cache.get(SHARED_KEY)
    return found


def _version_keys(user_id) -> list[str]:
    return [USER_KEY.format(user_id), SHARED_KEY]


def _lookup(user_id, key: str) -> tuple:
    """The person's and the shared version, and the entry under `key`: one round trip (MGET)."""
    keys = _version_keys(user_id)
    return _versions_and_entry(keys, cache.get_many([*keys, key]), key)


def _versions_and_entry(keys: list[str], found: dict, key: str) -> tuple:
    missing = [k for k in keys if k not in found]
    for version_key in missing:
        cache.add(version_key, time.time_ns(), VERSION_SECONDS)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return found.get(keys[0]), found.get(keys[1]), found.get(key)


def _entry_key(view, request, vary) -> str:
    extra = vary(request) if vary else ""
    return (
        # e2: entries carry their expiry now (NearCopies), which the release before could not unpack; under keys
        # of their own, both can serve side by side during a rolling deploy
        f"rc:e2:{type(view).__module__}.{type(view).__qualname__}:{request.user.pk}:{get_language()}:{extra}:"
        f"{request.build_absolute_uri()}"  # pages link to the next by host
    )


_NOT_CACHED = object()


_VARY_OF: dict[type, object] = {}


def _cached_vary(view_class: type):
    """The `vary` of the cached `get` a view class has or inherits (a subclass's own `get` may call it through super),
    or _NOT_CACHED; looked up once per class."""
    if view_class not in _VARY_OF:
        found = _NOT_CACHED
        for klass in view_class.__mro__:
            found = getattr(klass.__dict__.get("get"), "readcache_vary", _NOT_CACHED)
            if found is not _NOT_CACHED:
                break
        _VARY_OF[view_class] = found
    return _VARY_OF[view_class]


# What the cached GETs' entry keys were, by what is known of a request before it is authenticated (the view class,
# the person of the token, the language then, host and path): the guess that lets the authenticator's round trip read
# the entry too (`planned_reads`). A wrong guess costs a read, never a wrong answer: the view reads the entry under the
# key it makes, checked against the guess (`cached_get`).
_GUESSED: dict[tuple, str] = {}
_GUESSES = 4096


def _guess(view, request, user_pk) -> tuple:
    return (type(view), user_pk, get_language(), request.META.get("HTTP_HOST"), request.get_full_path())


def _remember(guess: tuple, key: str) -> None:
    if len(_GUESSED) >= _GUESSES:
        _GUESSED.clear()  # people come and go; the busy ones are back in one request
    _GUESSED[guess] = key


def planned_reads(request, view, user_pk) -> list[str]:
    """The cache keys a cached GET of `view` for `request` by the person `user_pk` will read: both versions and the
    entry where it can be guessed (`_GUESSED`); [] where the view is not cached or nobody is signed in.

    The throttles, which count the request in one round trip when the authenticator reads the person
    (skincare.core.throttling.count_at_authentication), read them in it (`prefetched`): a cached answer costs one
    round trip for the person, the throttles and the answer.
    """
    vary = _cached_vary(type(view)) if request.method == "GET" else _NOT_CACHED
    if vary is _NOT_CACHED or not _seconds() or user_pk is None:
        return []
    guess = _guess(view, request, user_pk)
    request._readcache_guess = guess
    entry = _GUESSED.get(guess)
    if entry is None or near.get(entry) is not None:  # nothing to guess, or the answer is held here (NearCopies)
        return _version_keys(user_pk)
    return [*_version_keys(user_pk), entry]


def prefetched(request, view, keys: list[str], found: dict) -> None:
    """What the throttles' round trip read of `planned_reads(...)` (key -> value; a key with no value is absent)."""
    request._readcache_prefetched = (view, keys, found)


def _read_before(view, request, key: str):
    """The versions and the entry under `key` as the request's round trip read them: (user version, shared version,
    entry), reading what it did not (the entry, where the guess was not `key`); None where nothing was read for
    `view`."""
    planned = getattr(request, "_readcache_prefetched", None)
    if planned is None or planned[0] is not view:
        return None
    _, keys, found = planned
    guess = getattr(request, "_readcache_guess", None)
    if guess is not None:
        _remember(guess, key)
    held = None
    if keys[2:] != [key]:  # held here, no guess, or a wrong one (a new language, another day): the versions only
        found = {k: v for k, v in found.items() if k in keys[:2]}
        entry = held = near.get(key)
        if entry is None and (entry := cache.get(key)) is not None:
            near.put(key, entry)
        if entry is not None:
            found[key] = entry
    else:
        near.put(key, found.get(key))
    user_version, shared_version, entry = _versions_and_entry(keys[:2], found, key)
    if held is not None and held[0] != (user_version, shared_version):
        # The copy held here is out of date; another process may have stored the current answer since.
        if (entry := cache.get(key)) is not None:
            near.put(key, entry)
    return user_version, shared_version, entry


def cached_get(*, vary=None):
    """For a DRF view's `get`/`list`: answer a signed-in person's 200 from the cache while their data is unchanged.

    `vary(request)` adds what else the answer depends on (a string). Only 200 JSON answers are kept. An entry holds
    the versions it was made under; it is an answer only while both are still the current ones.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, request, *args, **kwargs):
            seconds = _seconds()
            user = getattr(request, "user", None)
            if not seconds or user is None or not user.is_authenticated:
                return method(self, request, *args, **kwargs)
            key = _entry_key(self, request, vary)
            read = _read_before(self, request, key)  # in the request's round trip (planned_reads)
            user_version, shared_version, entry = read if read is not None else _lookup(user.pk, key)
            if user_version is None or shared_version is None:  # the cache did not keep them: do not cache
                return method(self, request, *args, **kwargs)
            versions = (user_version, shared_version)
            if entry is not None and entry[0] == versions:
                content_type, content = entry[1], entry[2]  # (versions, type, content[, expiry])
                response = HttpResponse(content, content_type=content_type)
                response["X-Read-Cache"] = "hit"
                return response
            response = method(self, request, *args, **kwargs)
            if response.status_code == 200 and hasattr(response, "add_post_render_callback"):

                def store(rendered):
                    if rendered.get("Content-Type", "").startswith("application/json"):
                        made = (versions, rendered["Content-Type"], rendered.content, time.time() + seconds)
                        cache.set(key, made, seconds)
                        near.put(key, made)

                response.add_post_render_callback(store)
            return response

        wrapper.readcache_vary = vary  # planned_reads: the throttles' round trip reads what this one needs
        return wrapper

    return decorate


def _user_of(attribute: str):
    """The person a row belongs to: `user_id`, or through a parent (`routine.user_id`); None if the parent is gone."""

    def get(instance):
        if "." not in attribute:
            return getattr(instance, attribute, None)
        parent, field = attribute.split(".")
        try:
            return getattr(getattr(instance, parent), field)
        except ObjectDoesNotExist:  # deleted with its parent, whose own signal moved the version
            return None

    return get


# The rows the cached answers are made of: model label -> how to find the person (None: shared data).
WATCHED = {
    "accounts.User": "pk",
    "accounts.Profile": "user_id",
    "accounts.Notification": "user_id",
    "analysis.SkinAnalysis": "user_id",
    "analysis.Lesion": "analysis.user_id",
    "analysis.SkinToneLabel": "user_id",
    "routines.Routine": "user_id",
    "routines.RoutineStep": "routine.user_id",
    "routines.ShelfItem": "user_id",
    "ingredients.Favorite": "user_id",
    "privacy.PrivacySettings": "user_id",
    "ingredients.Product": None,
    "ingredients.Ingredient": None,
    "ingredients.ProductIngredient": None,
    "core.SiteConfig": None,
}


def _receiver(attribute: str | None):
    if attribute is None:

        def shared(sender, instance, **kwargs) -> None:
            shared_changed()

        return shared
    user_of = _user_of(attribute)

    def personal(sender, instance, **kwargs) -> None:
        changed(user_of(instance))

    return personal


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label, attribute in WATCHED.items():
        receiver = _receiver(attribute)
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=apps.get_model(label), weak=False, dispatch_uid=f"readcache-{label}-{id(signal)}"
            )
