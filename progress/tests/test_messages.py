"""Stored progress sentences (milestones, alignment failures) and the trend reasons render in the reader's language
at read time: the same English as written, through gettext under another language (a param that is a word, the
concern, translated too), and rows stored as text only still read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from progress import messages, services, stats
from progress.models import Comparison, Milestone
from skincare.core import i18n

from .factories import ProgressEntryFactory, make_analysis

pytestmark = pytest.mark.django_db
PLACEHOLDER = re.compile(r"(%\([a-z_]+\)[.0-9]*[a-z]|%%)")


def _upper(text: str) -> str:
    """A stand-in translation: the text upper-cased, its placeholders kept."""
    return "".join(part if PLACEHOLDER.fullmatch(part) else part.upper() for part in PLACEHOLDER.split(text))


def test_an_improvement_milestone_keeps_its_concern_as_a_key_and_renders_the_english_it_stored(user):
    make_analysis(user, scores={"acne": 40, "redness": 70}, days_ago=30)
    make_analysis(user, scores={"acne": 52, "redness": 75})
    [milestone] = services.detect_milestones(user=user)
    assert milestone.data["params"] == {"concern": "acne", "level": 10, "first": 40, "latest": 52}
    assert milestone.title == "Acne improved by 10+ points"
    assert milestone.title_text == milestone.title
    assert milestone.body_text == milestone.data["body"] == "Your Acne score went from 40 to 52."


def test_under_another_language_a_milestone_renders_through_gettext_words_included(user, monkeypatch):
    make_analysis(user, scores={"acne": 40}, days_ago=30)
    make_analysis(user, scores={"acne": 52})
    [milestone] = services.detect_milestones(user=user)
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    with translation.override("es"):
        assert milestone.title_text == "ACNE IMPROVED BY 10+ POINTS"  # "Acne" went through gettext as well
        assert milestone.body_text == "YOUR ACNE SCORE WENT FROM 40 TO 52."


def test_a_streak_milestone_renders_in_the_readers_language_on_the_dashboard(user, client, monkeypatch):
    today = timezone.now().date()
    for d in range(7):
        ProgressEntryFactory(user=user, date=today - timedelta(days=d))
    [milestone] = services.detect_milestones(user=user)
    assert milestone.title_text == milestone.title == "Progress logged 7 days in a row"
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    client.force_login(user)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "PROGRESS LOGGED 7 DAYS IN A ROW" in html


def test_old_text_only_milestones_and_someone_elses_data_still_read(user):
    old = Milestone.objects.create(user=user, kind="streak_7", key="log:old", title="Old title", data={"body": "Old."})
    assert old.title_text == "Old title" and old.body_text == "Old."
    untitled = Milestone.objects.create(user=user, kind="streak_30", key="log:old2")
    assert untitled.title_text == "30-day streak"
    own = Milestone.objects.create(
        user=user, kind="custom", key="mine", title="Mine", data={"title_msgid": "%(x)s", "params": {}}
    )
    assert own.title_text == "Mine"  # only our own message ids are rendered


def test_alignment_failures_render_through_gettext(user, monkeypatch):
    before, after = make_analysis(user, days_ago=10), make_analysis(user)
    comparison = Comparison.objects.create(user=user, before=before, after=after, failure=messages.PHOTO_DELETED)
    assert comparison.failure_text == messages.PHOTO_DELETED
    fake = _upper
    monkeypatch.setattr(messages, "gettext", fake)
    monkeypatch.setattr(i18n, "gettext", fake)  # stored messages are said there
    assert comparison.failure_text == messages.PHOTO_DELETED.upper()


def test_trend_reasons_are_marked_and_render_through_gettext():
    assert {stats.NO_MEASUREMENT, stats.TOO_FEW_POINTS, stats.TOO_SHORT_SPAN} == set(messages.TREND_REASONS)
    today = timezone.now().date()
    trend = stats.concern_trend("acne", [(today - timedelta(days=1), 50), (today, 55)])
    english = trend.as_dict()
    assert english["reason"] == "Needs at least 3 analyses for a trend (2 so far)." and "reason_msgid" not in english
    assert trend.as_dict(_upper)["reason"] == "NEEDS AT LEAST 3 ANALYSES FOR A TREND (2 SO FAR)."
    assert trend.as_dict(lambda text: "%(nope)s")["reason"] == english["reason"]  # a broken translation: English
