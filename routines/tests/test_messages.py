"""The builder's stored sentences in the reader's language (routines.messages).

(a) every sentence of a built routine is stored twice, its English text and its message, and the message says
    exactly the text; (b) rendered in another language, gettext is asked for the msgid and for the words inside
    it (actives, concerns, regions, weekdays); (c) an old row with text only, or a text the person edited,
    shows its text as it is.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from analysis.models import SkinAnalysis
from domain import messages as M
from routines import messages, services
from routines.builder import build_routines
from routines.models import Routine, RoutineStep
from skincare.core import i18n

from .factories import RoutineFactory, RoutineStepFactory, small_catalog
from .test_builder_properties import catalogs, measured, profiles


def _shout(text: str) -> str:
    """A fake translation: upper case, placeholders kept (a real catalogue keeps them too)."""
    return "".join(p if p.startswith("%(") else p.upper() for p in re.split(r"(%\([a-z_]+\)s)", text))


@pytest.fixture
def shouting(monkeypatch):
    asked: list[str] = []

    def fake(text):
        asked.append(text)
        return _shout(text)

    monkeypatch.setattr(i18n, "gettext", fake)  # the one place stored messages are said
    with translation.override("es"):
        yield asked


def _sentences(plan):
    for s in plan.steps:
        yield s.reason, s.reason_msg
        yield s.instructions, s.instructions_msg
        if s.timing:
            yield s.timing, s.timing_msg
    for rule in plan.rules:
        yield rule["text"], rule["msg"]
    yield from zip(plan.warnings, plan.warning_msgs, strict=True)
    yield plan.name, plan.name_msg


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles, catalog=catalogs(), concerns=measured)
def test_every_sentence_of_every_plan_is_its_message(profile, catalog, concerns):
    for plan in build_routines(profile=profile, measured=concerns, candidates=catalog):
        for text, message in _sentences(plan):
            assert text and message, "a sentence without its message"
            assert M.render(message) == text


def _built(user):
    small_catalog()
    user.profile.skin_type = "oily"
    user.profile.concerns = ["wrinkles", "acne"]
    user.profile.save()
    SkinAnalysis.objects.create(
        user=user,
        status="done",
        image="analyses/x.jpg",
        concerns=[{"key": "oiliness", "score": 41, "severity": "moderate", "regions": {"forehead": 30, "nose": 35}}],
    )
    return services.routine_generate(user=user)


@pytest.mark.django_db
def test_a_saved_routine_renders_its_stored_text_in_english(user):
    """Round trip through the database: what every reader shows in English is the stored text, and every
    sentence the builder wrote has its message."""
    routines = [Routine.objects.get(pk=r.pk) for r in _built(user)]
    checked = 0
    with translation.override("en"):
        for routine in routines:
            assert routine.msgs["name"] and routine.name_text == routine.name
            assert routine.warnings_text == routine.warnings
            assert set(routine.msgs["warnings"]) == set(routine.warnings)
            for rule, shown in zip(routine.rules, routine.rules_text, strict=True):
                assert rule["msg"] and shown["text"] == rule["text"]
                checked += 1
            for step in routine.steps.all():
                assert step.msgs["reason"] and step.reason_text == step.reason
                assert step.msgs["instructions"] and step.instructions_text == step.instructions
                assert step.timing_text == step.timing
                assert bool(step.msgs.get("timing")) == bool(step.timing)
                checked += 1
    assert checked >= 8
    assert any(s.timing for r in routines for s in r.steps.all())  # a scheduled active: a timing sentence


@pytest.mark.django_db
def test_in_another_language_the_msgid_and_the_words_inside_it_are_translated(user, shouting):
    am, pm = _built(user)
    treat = am.steps.get(category="treat")
    assert treat.reason.startswith("Niacinamide targets the shine measured in your T-zone")
    assert treat.reason_text == treat.reason.upper()  # nothing in it is a name: all of it went through gettext
    assert "%(subject)s targets %(concern)s." in shouting
    assert "the %(concern)s measured in your T-zone (%(severity)s)" in shouting
    assert {"niacinamide", "shine", "moderate"} <= set(shouting)  # the words: active, concern, severity
    assert am.name_text == "MORNING ROUTINE" and pm.name_text == "EVENING ROUTINE"
    # a timing sentence: the product's name as it is, the rest (weekdays included) translated
    timed = next(s for r in (am, pm) for s in r.steps.all() if s.timing and s.schedule)
    assert timed.product_name in timed.timing_text
    weekdays = re.findall(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", timed.timing)
    assert weekdays and all(day in shouting for day in weekdays)
    assert all(day.upper() in timed.timing_text for day in weekdays)
    rules = pm.rules_text
    assert rules and all(r["text"] != o["text"] for r, o in zip(rules, pm.rules, strict=True))
    assert am.warnings_text == [w.upper() for w in am.warnings] or not am.warnings


@pytest.mark.django_db
def test_the_api_and_the_page_render_in_the_readers_language(user, auth_client, client, shouting):
    am, _pm = _built(user)
    data = auth_client.get(f"/api/v1/routine/{am.id}").json()
    step = next(s for s in data["steps"] if s["category"] == "treat")
    assert step["reason"] == am.steps.get(category="treat").reason.upper()
    assert data["name"] == "MORNING ROUTINE"
    assert data["rules"][0]["text"] == am.rules[0]["text"].upper()
    client.force_login(user)
    html = client.get(reverse("routines:detail", args=[am.pk])).content.decode()
    assert "MORNING ROUTINE" in html and am.steps.get(category="treat").reason.upper() in html


@pytest.mark.django_db
def test_old_rows_with_text_only_show_their_text(shouting):
    routine = RoutineFactory(
        name="My evening",
        warnings=["An old warning."],
        rules=[{"code": "x", "text": "An old rule.", "source": "AAD", "url": ""}],
    )
    step = RoutineStepFactory(routine=routine, reason="An old reason.", instructions="Massage and rinse.")
    step = RoutineStep.objects.get(pk=step.pk)
    assert (step.reason_text, step.instructions_text, step.timing_text) == ("An old reason.", "Massage and rinse.", "")
    assert routine.name_text == "My evening"
    assert routine.warnings_text == ["An old warning."]
    assert routine.rules_text[0]["text"] == "An old rule."
    assert messages.render(None, "Plain text") == "Plain text"


@pytest.mark.django_db
def test_an_edited_text_shows_as_written_and_an_unchanged_one_keeps_its_message(user, shouting):
    am, _pm = _built(user)
    step = am.steps.get(category="cleanse")
    shown = step.instructions_text
    assert shown == step.instructions.upper()
    # the page sends back what it showed (in the reader's language): nothing changes
    services.routine_update(
        routine=am,
        name=am.name_text,
        steps=[{"id": s.id, "category": s.category, "instructions": s.instructions_text} for s in am.steps.all()],
    )
    step.refresh_from_db()
    am.refresh_from_db()
    assert am.name == "Morning routine" and step.instructions_text == shown
    # the person writes their own words: they are shown as written, in every language
    services.routine_update(
        routine=am, name="Mine", steps=[{"id": s.id, "category": s.category} for s in am.steps.all()]
    )
    services.routine_update(
        routine=am,
        steps=[
            {"id": s.id, "category": s.category, **({"instructions": "Two pumps."} if s.pk == step.pk else {})}
            for s in am.steps.all()
        ],
    )
    step.refresh_from_db()
    am.refresh_from_db()
    assert step.instructions_text == "Two pumps." and am.name_text == "Mine"


def test_a_translation_with_broken_placeholders_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(i18n, "gettext", lambda text: "%(nope)s")
    message = M.msg("%(product)s first", product="Serum")
    assert messages.render(message, "Serum first") == "Serum first"
