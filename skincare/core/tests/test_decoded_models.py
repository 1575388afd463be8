"""skincare.core.cache.DecodedModels: the signed-in person read again in the same bytes is a copy of what they decoded
to before, sharing nothing a request could change, and changed bytes are decoded anew."""

from __future__ import annotations

import pickle
import uuid

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Profile
from skincare.core.cache import DecodedModels


def _person(concerns=("acne",)):
    user = get_user_model()(pk=uuid.uuid4(), email="copy@example.com", first_name="Ada")
    profile = Profile(user=user, concerns=list(concerns), reminder_times={"am": "07:30"})
    user._state.fields_cache["profile"] = profile
    return user


def test_the_same_bytes_give_an_equal_copy_sharing_nothing_mutable():
    raw = pickle.dumps(_person())
    memo = DecodedModels()
    first, second = memo.loads("k", raw), memo.loads("k", raw)
    plain = pickle.loads(raw)  # noqa: S301 - made here
    for got in (first, second):
        assert (got.pk, got.email, got.first_name) == (plain.pk, "copy@example.com", "Ada")
        assert got.profile.concerns == ["acne"] and got.profile.reminder_times == {"am": "07:30"}
        assert got.profile.user is got  # the row that refers back refers to its own copy
        assert (got._state.adding, got._state.db) == (plain._state.adding, plain._state.db)
    assert second is not first and second.profile is not first.profile
    assert second._state is not first._state and second._state.fields_cache is not first._state.fields_cache
    second.profile.concerns.append("redness")
    second.profile.reminder_times["pm"] = "21:00"
    second.first_name = "Changed"
    third = memo.loads("k", raw)
    assert third.profile.concerns == ["acne"] and third.profile.reminder_times == {"am": "07:30"}
    assert third.first_name == "Ada" and first.profile.concerns == ["acne"]


def test_changed_bytes_are_decoded_anew():
    memo = DecodedModels()
    memo.loads("k", pickle.dumps(_person(["acne"])))
    assert memo.loads("k", pickle.dumps(_person(["dryness"]))).profile.concerns == ["dryness"]


def test_other_values_are_unpickled_and_not_held():
    memo = DecodedModels()
    entry = (("v1", "v2"), "application/json", b"{}", 1.0)
    assert memo.loads("e", pickle.dumps(entry)) == entry
    assert "e" not in memo._held


def test_bounded():
    memo = DecodedModels(size=2)
    for key in "abc":
        memo.loads(key, pickle.dumps(_person()))
    assert len(memo._held) <= 2 and "c" in memo._held


def test_the_same_bytes_are_unpickled_once(monkeypatch):
    raw = pickle.dumps(_person())
    unpickled = []
    loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: unpickled.append(data) or loads(data))
    memo = DecodedModels()
    people = [memo.loads("k", raw) for _ in range(3)]
    assert len(unpickled) == 1 and len({id(p) for p in people}) == 3


def test_the_person_read_with_the_counts_is_a_copy(settings, db):
    """Through the request's round trip (skincare.core.throttling.window_hits), as the authenticator reads them."""
    from django.core.cache import cache

    from skincare.core.cache import decoded_models
    from skincare.core.throttling import window_hits

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL: values are read in the count's round trip on Redis only")
    person = _person()
    cache.set("decode-test:person", person, 30)
    first = window_hits([], ["decode-test:person"])[1]["decode-test:person"]
    second = window_hits([], ["decode-test:person"])[1]["decode-test:person"]
    assert first.pk == second.pk == person.pk and first is not second
    assert decoded_models._held  # held for the next read
    cache.set("decode-test:person", _person(["dryness"]), 30)
    assert window_hits([], ["decode-test:person"])[1]["decode-test:person"].profile.concerns == ["dryness"]
