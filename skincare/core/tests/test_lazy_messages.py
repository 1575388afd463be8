"""Django's messages, their storage made only for a request that uses it (skincare.core.middleware)."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import BaseStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from skincare.core.middleware import LazyMessageMiddleware

pytestmark = pytest.mark.django_db


def _chain(view):
    return SessionMiddleware(LazyMessageMiddleware(view))


def _storages_made(monkeypatch) -> list:
    made = []
    init = BaseStorage.__init__

    def counted(self, *args, **kwargs):
        made.append(type(self).__name__)
        init(self, *args, **kwargs)

    monkeypatch.setattr(BaseStorage, "__init__", counted)
    return made


def test_an_api_request_makes_no_message_storage(auth_client, monkeypatch):
    made = _storages_made(monkeypatch)
    answer = auth_client.get("/api/v1/auth/me")
    assert answer.status_code == 200
    assert made == []  # Django's middleware makes three (the fallback, its cookie and session stores) every time
    assert "messages" not in answer.cookies


def test_a_message_added_is_stored_and_shown_on_the_next_request(monkeypatch):
    def add(request):
        messages.success(request, "Saved.")
        return HttpResponse()

    def show(request):
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    made = _storages_made(monkeypatch)
    stored = _chain(add)(RequestFactory().get("/"))
    assert "FallbackStorage" in made
    cookie = stored.cookies["messages"].value
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = cookie
    shown = _chain(show)(request)
    assert shown.content == b"Saved."
    assert shown.cookies["messages"].value == ""  # read, so cleared, as Django does


def test_a_request_that_does_not_read_its_messages_keeps_them(monkeypatch):
    stored = _chain(lambda request: messages.info(request, "Later.") or HttpResponse())(RequestFactory().get("/"))
    request = RequestFactory().get("/")
    request.COOKIES["messages"] = stored.cookies["messages"].value
    untouched = _chain(lambda request: HttpResponse())(request)
    assert "messages" not in untouched.cookies  # the cookie is left as it is, for the page that shows them
