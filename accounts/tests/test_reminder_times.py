"""A person's reminder times as the API and the profile page show them: their own choice or the site's default
(staff set it), and when each reminder really goes out (the site's reminder window)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Profile
from accounts.selectors import reminder_times
from skincare.core.config import config_update

from .test_pages import profile_data

pytestmark = pytest.mark.django_db


def test_a_new_account_follows_the_site_defaults(auth_client, user):
    assert Profile.objects.get(user=user).reminder_times == {}
    config_update(reminder_am_default=dt.time(8, 0))
    profile = auth_client.get("/api/v1/auth/me").json()["profile"]
    assert profile["reminder_times"] == {"am": "08:00", "pm": "21:30"}
    assert profile["reminder_times_custom"] is False
    assert profile["reminder_send_times"] == {"am": "08:00", "pm": "21:30"}
    assert profile["reminder_window"] == {"earliest": "06:00", "latest": "23:00"}


def test_a_time_outside_the_window_shows_when_it_is_really_sent(auth_client, user):
    response = auth_client.patch(
        "/api/v1/auth/profile", {"reminder_times": {"am": "05:15", "pm": "23:40"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["reminder_times"] == {"am": "05:15", "pm": "23:40"}  # what the person chose, kept
    assert body["reminder_times_custom"] is True
    assert body["reminder_send_times"] == {"am": "06:00", "pm": "23:00"}
    # Staff widen the window: the person's own times apply again, with no edit on their side
    config_update(reminder_earliest=dt.time(5, 0), reminder_latest=dt.time(23, 59))
    body = auth_client.get("/api/v1/auth/profile").json()
    assert body["reminder_send_times"] == {"am": "05:15", "pm": "23:40"}


def test_an_empty_choice_goes_back_to_the_defaults(auth_client, user):
    auth_client.patch("/api/v1/auth/profile", {"reminder_times": {"am": "06:45", "pm": "22:10"}}, format="json")
    response = auth_client.patch("/api/v1/auth/profile", {"reminder_times": {}}, format="json")
    assert response.status_code == 200
    assert response.json()["reminder_times"] == {"am": "07:30", "pm": "21:30"}
    assert response.json()["reminder_times_custom"] is False
    assert Profile.objects.get(user=user).reminder_times == {}


def test_the_profile_page_explains_the_window_and_keeps_defaults_unchosen(client, user):
    client.force_login(user)
    Profile.objects.filter(user=user).update(reminder_times={"am": "05:00", "pm": "21:30"})
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "reminders are sent between 06:00 and 23:00" in html
    assert "Yours is outside that window, so it comes at 06:00." in html
    # Saving the site's default times unchanged is not a choice: the person keeps following the defaults
    response = client.post(reverse("accounts:profile"), profile_data(reminder_am="07:30", reminder_pm="21:30"))
    assert response.status_code == 302
    assert Profile.objects.get(user=user).reminder_times == {}
    response = client.post(reverse("accounts:profile"), profile_data(reminder_am="07:45", reminder_pm="21:30"))
    assert Profile.objects.get(user=user).reminder_times == {"am": "07:45", "pm": "21:30"}


def test_unreadable_stored_times_fall_back_to_the_defaults(user):
    profile = Profile.objects.get(user=user)
    profile.reminder_times = {"am": "soon", "pm": "21:05"}
    times = reminder_times(profile=profile)
    assert (times["am"].chosen, times["am"].sends_at) == (None, dt.time(7, 30))
    assert times["pm"].chosen == dt.time(21, 5)


def test_migration_turns_the_old_built_in_times_into_following_the_defaults(user, other_user):
    migration = importlib.import_module("accounts.migrations.0003_reminder_times_follow_site_defaults")
    Profile.objects.filter(user=user).update(reminder_times={"am": "07:30", "pm": "21:30"})
    Profile.objects.filter(user=other_user).update(reminder_times={"am": "07:30", "pm": "22:00"})
    migration.follow_site_defaults(apps, None)
    assert Profile.objects.get(user=user).reminder_times == {}
    assert Profile.objects.get(user=other_user).reminder_times == {"am": "07:30", "pm": "22:00"}  # a real choice
    migration.back_to_stored_times(apps, None)
    assert Profile.objects.get(user=user).reminder_times == {"am": "07:30", "pm": "21:30"}
