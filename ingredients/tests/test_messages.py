"""An assessment's sentences are stored in English with their message ids and params, and rendered in the reader's
language at read time (ingredients/messages.py): the same English, through gettext under another language (the
skin type and the concern translated too), and results stored as text only still read."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from ingredients import messages, services
from ingredients.models import Scan
from skincare.core import i18n

pytestmark = pytest.mark.django_db
PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[.0-9]*[a-z]|%%)")
TEXT = "Aqua, Isopropyl Myristate, Cocos Nucifera Oil, Niacinamide, Alcohol Denat., Parfum, Retinol, Glycolic Acid"
PROFILE = {
    "skin_type": "oily",
    "concerns": ["acne", "pores"],
    "preferences": ["fragrance_free", "alcohol_free"],
    "allergies": ["coconut"],
    "pregnant_or_nursing": True,
}


def _upper(text: str) -> str:
    """A stand-in translation: the text upper-cased, its placeholders kept."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else part.upper() for part in PLACEHOLDER.split(text))


def _notes(result, inci):
    return next(i["notes"] for i in result["ingredients"] if i["ingredient"] and i["ingredient"]["inci_name"] == inci)


def test_the_stored_ids_and_params_render_the_english_the_assessment_wrote(kb):
    result = json.loads(json.dumps(services.assess_ingredients(text=TEXT, profile=PROFILE)))  # as a scan stores it
    rendered = messages.result_rendered(result)
    assert [i["notes"] for i in rendered["ingredients"]] == [i["notes"] for i in result["ingredients"]]
    assert [w["message"] for w in rendered["warnings"]] == [w["message"] for w in result["warnings"]]
    assert rendered["rule"] == result["rule"] and rendered["disclaimer"] == result["disclaimer"]
    assert "note_msgs" not in rendered["ingredients"][0] and "msgid" not in rendered["warnings"][0]
    skin = next(w for w in result["warnings"] if w["code"] == "skin_type")
    assert skin["params"] == {"skin_type": "oily"} and skin["message"] == "Some ingredients may bother oily skin."
    assert "Targets one of your concerns: visible pores." in _notes(result, "Niacinamide")  # the concern as a phrase


def test_under_another_language_every_sentence_goes_through_gettext_words_included(kb, monkeypatch):
    result = services.assess_ingredients(text=TEXT, profile=PROFILE)
    fake = lambda text: "Grasa" if text == "Oily" else _upper(text)  # noqa: E731
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    with translation.override("es"):
        rendered = messages.result_rendered(result)
    by_code = {w["code"]: w["message"] for w in rendered["warnings"]}
    assert by_code["skin_type"] == "SOME INGREDIENTS MAY BOTHER grasa SKIN."  # the skin type went through gettext too
    assert by_code["comedogenic_for_acne"].startswith("ACNE IS ONE OF YOUR CONCERNS. COMEDOGENIC RATINGS")
    assert by_code["conflict"].isupper() and by_code["user_allergy"].isupper()
    assert "TARGETS ONE OF YOUR CONCERNS: VISIBLE PORES." in _notes(rendered, "Niacinamide")
    assert rendered["rule"].isupper() and rendered["disclaimer"].isupper()
    assert all(c["advice"].isupper() for c in rendered["conflicts"])
    assert result["warnings"][0]["message"] != rendered["warnings"][0]["message"]  # the stored result is untouched


def test_a_result_stored_as_text_only_still_reads(monkeypatch):
    old = {
        "ingredients": [{"name": "Aqua", "notes": ["A solvent.", "EU restricted."]}],
        "warnings": [{"code": "prohibited", "message": "Contains an ingredient prohibited in EU cosmetics."}],
        "rule": "An old rule.",
    }
    assert messages.result_rendered(old) == old
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    rendered = messages.result_rendered(old)  # a sentence without params is its own message id
    assert rendered["warnings"][0]["message"] == "CONTAINS AN INGREDIENT PROHIBITED IN EU COSMETICS."
    assert messages.result_rendered({}) == {}


def test_the_scan_page_renders_a_stored_scan_in_the_readers_language(kb, client, user, monkeypatch):
    result = services.assess_ingredients(text=TEXT, profile=PROFILE)
    scan = services.scan_create(user=user, text=TEXT, result=result)
    assert Scan.objects.get(pk=scan.pk).result["warnings"][0]["msgid"]  # the ids are stored
    client.force_login(user)
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    html = client.get(reverse("ingredients:scan_result", args=[scan.pk])).content.decode()
    assert "SOME INGREDIENTS MAY BOTHER oily SKIN." in html
