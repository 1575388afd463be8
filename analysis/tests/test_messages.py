"""The engine's sentences are stored as message ids and numbers and rendered in the reader's language at read time
(analysis/messages.py): the same English the engine wrote, through gettext under another language, and old rows
that hold only text still read."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from analysis import messages, services
from analysis.models import SkinAnalysis
from ml.vision import analyze
from ml.vision.measures import EXPLANATIONS as ENGINE_EXPLANATIONS
from ml.vision.quality import ADVICE as ENGINE_ADVICE
from skincare.core import i18n

from . import images
from .factories import SkinAnalysisFactory


@pytest.fixture
def page_client(client, user):
    client.force_login(user)
    client.user = user
    return client


PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[.0-9]*[a-z]|%%)")


def _upper(text: str) -> str:
    """A stand-in translation: the text upper-cased, its placeholders kept."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else part.upper() for part in PLACEHOLDER.split(text))


@pytest.fixture(scope="module")
def engine_result():
    return analyze(images.astronaut())


def test_the_translatable_copies_are_the_engines_english_word_for_word():
    assert messages.EXPLANATIONS == ENGINE_EXPLANATIONS
    assert messages.QUALITY_ADVICE == ENGINE_ADVICE


def test_the_units_with_words_are_marked():
    from ml.vision.measures import UNITS

    worded = {u for u in UNITS.values() if re.search(r"[a-z]{4,}|\bof\b", u)}  # not symbols like "L* rms"
    assert set(messages.UNIT_WORDS) == worded


def test_a_real_engine_run_stored_as_key_and_params_renders_the_engines_english(engine_result):
    assert {c.key for c in engine_result.concerns} == set(messages.EXPLANATIONS)
    for concern in engine_result.concerns:
        stored = json.loads(json.dumps(services._concern_dict(concern)))  # what the JSON column gives back
        assert stored["explanation_key"] == concern.key
        assert messages.explanation_text(stored) == concern.explanation
    # a measure with numbers in it keeps them (acne counts spots, oiliness gives two percentages)
    oil = next(c for c in engine_result.concerns if c.key == "oiliness")
    assert set(oil.explanation_params) == {"t_zone", "cheeks"}
    assert f"{oil.explanation_params['t_zone']:.1f}%" in oil.explanation


def test_quality_issues_render_their_advice_by_code(engine_result):
    report = services.quality_report_dict(engine_result.quality)
    for issue in report["issues"]:
        assert messages.issue_text(issue) == issue["message"]
    for code, advice in ENGINE_ADVICE.items():
        assert messages.issue_text({"code": code, "message": "whatever was stored"}) == advice


def test_under_another_language_the_rendering_goes_through_gettext(monkeypatch, engine_result):
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    acne = next(c for c in engine_result.concerns if c.key == "acne")
    stored = services._concern_dict(acne)
    with translation.override("es"):
        text = messages.explanation_text(stored)
        assert text == _upper(ENGINE_EXPLANATIONS["acne"]) % acne.explanation_params
        assert "RED SPOT(S)" in text and str(acne.explanation_params["count"]) in text
        assert text != acne.explanation
        assert messages.issue_text({"code": "image_blurry", "message": "x"}) == ENGINE_ADVICE["image_blurry"].upper()
        assert messages.error_text("face_occluded", "Too much covered.") == ENGINE_ADVICE["face_occluded"].upper()
        assert messages.error_text("not_an_image", "not a decodable image: oops") == (
            messages.ERROR_TEXTS["not_an_image"].upper()
        )


def test_a_translation_that_does_not_fit_its_params_falls_back_to_the_english(monkeypatch):
    fake = lambda text: "%(missing)s"  # noqa: E731
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    stored = {"key": "acne", "explanation_key": "acne", "explanation_params": {"count": 2}, "explanation": "x"}
    assert messages.explanation_text(stored) == ENGINE_EXPLANATIONS["acne"] % {"count": 2}


def test_old_rows_with_text_only_still_render():
    old = {"key": "acne", "explanation": "We found 2 red spot(s)."}  # stored before the ids were kept
    assert messages.explanation_text(old) == "We found 2 red spot(s)."
    assert messages.explanation_text({**old, "explanation_key": "retired_key"}) == "We found 2 red spot(s)."
    assert messages.issue_text({"code": "some_old_code", "message": "Old advice."}) == "Old advice."
    assert messages.error_text("some_old_code", "It broke.") == "It broke."
    assert messages.error_text("", "") == "The analysis failed."


@pytest.mark.django_db
def test_the_result_page_and_the_api_render_in_the_readers_language(page_client, monkeypatch, engine_result):
    concerns = [services._concern_dict(c) for c in engine_result.concerns]
    concerns.append(
        {"key": "legacy", "score": 50, "severity": "mild", "explanation": "An old sentence.", "regions": {}}
    )
    quality = {"ok": False, "issues": [{"code": "image_too_dark", "message": "stored"}, {"code": "x", "message": "Y."}]}
    a = SkinAnalysisFactory(
        user=page_client.user, status=SkinAnalysis.Status.DONE, overall_score=70, concerns=concerns, quality=quality
    )
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    with translation.override("es"):
        html = page_client.get(reverse("analysis:detail", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
        body = page_client.get(reverse("analysis:status_json", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="es").json()
    redness = _upper(ENGINE_EXPLANATIONS["redness"])
    oil = next(c for c in engine_result.concerns if c.key == "oiliness")
    assert _upper(ENGINE_EXPLANATIONS["oiliness"]) % oil.explanation_params in html
    assert redness.replace("'", "&#x27;") in html and "An old sentence." in html
    assert ENGINE_ADVICE["image_too_dark"].upper() in html and "Y." in html
    by_key = {c["key"]: c for c in body["concerns"]}
    assert by_key["redness"]["explanation"] == redness and by_key["legacy"]["explanation"] == "An old sentence."
    assert "explanation_key" not in by_key["redness"]  # the API shows the sentence, as before
    assert body["quality"]["issues"][0]["message"] == ENGINE_ADVICE["image_too_dark"].upper()


@pytest.mark.django_db
def test_a_failed_row_renders_its_error_by_code(page_client):
    a = SkinAnalysisFactory(
        user=page_client.user, status=SkinAnalysis.Status.FAILED, error_code="image_too_dark", error_detail="Dark."
    )
    assert a.error_text == ENGINE_ADVICE["image_too_dark"]
    html = page_client.get(reverse("analysis:history")).content.decode()
    assert ENGINE_ADVICE["image_too_dark"][:60] in html
