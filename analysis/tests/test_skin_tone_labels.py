"""A person's own skin tone, set in the profile, kept beside what their analysis measured (labelled data)."""

from __future__ import annotations

import pytest

from accounts.services import profile_update
from analysis import gdpr
from analysis.models import SkinToneLabel

from .factories import SkinAnalysisFactory

pytestmark = pytest.mark.django_db


def test_setting_the_tone_in_the_profile_records_it_beside_the_latest_measurement(user):
    SkinAnalysisFactory(user=user, done=True, skin_tone_ita=20.0, skin_tone_category="tan", skin_tone_hex="#a06a4a")
    latest = SkinAnalysisFactory(
        user=user, done=True, skin_tone_ita=-35.0, skin_tone_category="dark", skin_tone_hex="#3b2418"
    )
    SkinAnalysisFactory(user=user, status="failed")  # no measurement: not the one labelled
    profile_update(user=user, data={"skin_tone": "brown"})
    label = SkinToneLabel.objects.get(user=user)
    assert label.analysis == latest and label.label == "brown" and label.source == "profile"
    assert (label.measured_ita, label.measured_category, label.measured_hex) == (-35.0, "dark", "#3b2418")
    user.profile.refresh_from_db()
    assert user.profile.skin_tone == "brown"
    # saving the profile again with the same tone adds nothing; a change adds a new label
    profile_update(user=user, data={"skin_tone": "brown", "budget": "low"})
    assert SkinToneLabel.objects.filter(user=user).count() == 1
    profile_update(user=user, data={"skin_tone": "dark"})
    assert list(SkinToneLabel.objects.filter(user=user).values_list("label", flat=True)) == ["dark", "brown"]
    assert [t["label"] for t in gdpr.export(user)["skin_tone_labels"]] == ["dark", "brown"]


def test_a_tone_without_any_analysis_is_kept_too(user):
    profile_update(user=user, data={"skin_tone": "very_light"})
    label = SkinToneLabel.objects.get(user=user)
    assert label.analysis is None and label.measured_ita is None


def test_an_unknown_tone_is_refused_by_the_profile_api(auth_client):
    r = auth_client.patch("/api/v1/auth/profile", {"skin_tone": "purple"}, format="json")
    assert r.status_code == 400
    assert not SkinToneLabel.objects.exists()
    r = auth_client.patch("/api/v1/auth/profile", {"skin_tone": "intermediate"}, format="json")
    assert r.status_code == 200 and r.json()["skin_tone"] == "intermediate"
    assert SkinToneLabel.objects.get().label == "intermediate"
