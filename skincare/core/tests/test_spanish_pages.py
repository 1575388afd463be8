"""Pages rendered in Spanish carry no English sentence of the app's own (skincare.core.tests.english).

The pages checked are those marked `translated` in skincare/core/tests/pages.py (phase 2 marks more).
"""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import Client, RequestFactory
from django.utils import translation

from accounts.tests.factories import UserFactory

from .english import english_left, english_sentences
from .pages import build_world, translated_pages

pytestmark = pytest.mark.django_db

PAGES = translated_pages()


@pytest.fixture
def world(password):
    """Everything the pages show (analyses, scans, consultations, access records...), so that what a page says
    about its data is checked too, not only its headings."""
    user = UserFactory(password=password)
    return build_world(user, language="es")


def _render(page, world, *, language: str) -> tuple[int, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if page.signed_in:
        world.user.profile.language = language
        world.user.profile.save(update_fields=["language"])
        client.force_login(world.user)
    path = page.path(world)
    response = client.post(path, page.post) if page.post is not None else client.get(path, follow=True)
    return response.status_code, response.content.decode()


def test_the_list_of_english_sentences_is_the_apps_own():
    sentences = english_sentences()
    assert "Create an account" in sentences  # a template string (accounts/signup.html)
    assert "The two passwords differ" in sentences  # a form message (accounts/forms.py)
    assert "Photograph the ingredient list on a pack, or paste it" in sentences  # a template string (ingredients)
    assert "Say in a few words why you want to see a dermatologist" in sentences  # a service's error
    assert not any(s.startswith("{%") for s in sentences)


@pytest.mark.parametrize("page", PAGES, ids=[p.label for p in PAGES])
def test_page_in_spanish_has_no_english_sentence_left(page, world):
    status, html = _render(page, world, language="es")
    assert status < 500
    assert 'lang="es"' in html
    assert english_left(html) == [], f"{page.label} still shows English"


@pytest.mark.parametrize("page", PAGES[:3], ids=[p.label for p in PAGES[:3]])
def test_the_same_page_in_english_is_caught(page, world):
    """The check can fail: the English rendering of the same page trips it."""
    _status, html = _render(page, world, language="en")
    assert len(english_left(html)) >= 2


UNMARKED_PAGE = """{% extends "base.html" %}{% block content %}
<h1>Photograph the ingredient list on a pack, or paste it.</h1>{% endblock %}"""


def test_an_untranslated_page_is_caught(world):
    """A page whose text nobody marked (a new template, say): its layout is Spanish, its own text is not."""
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    request.user = world.user
    with translation.override("es"):
        html = engines["django"].from_string(UNMARKED_PAGE).render({}, request)
    assert "Escáner de ingredientes" in html  # the navigation, translated
    assert "Photograph the ingredient list on a pack, or paste it" in english_left(html)
