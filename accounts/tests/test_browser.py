"""A real browser (headless Chromium via Playwright): sign up, land on the profile, save it."""

from __future__ import annotations

import pytest

from accounts.models import Consent, Profile, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_then_edit_profile(browser_page, live_server):
    page = browser_page
    page.goto(live_server.url + "/signup/")
    page.get_by_label("Email").fill("browser@example.com")
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Password", exact=True).fill("a-Long-pass-9")
    page.get_by_label("Password again").fill("a-Long-pass-9")

    # Without the terms box the form explains what is missing.
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Accept the terms of use").first.wait_for()
    assert not User.objects.filter(email="browser@example.com").exists()

    page.get_by_label("Password", exact=True).fill("a-Long-pass-9")
    page.get_by_label("Password again").fill("a-Long-pass-9")
    page.get_by_label("I accept the terms of use and the privacy policy").check()
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(live_server.url + "/profile/")
    assert page.get_by_role("heading", name="Your profile").is_visible()
    page.get_by_label("Skin type").select_option("oily")
    page.get_by_label("Acne").check()
    page.get_by_label("Timezone").select_option("Europe/Lisbon")
    page.get_by_label("Morning reminder").fill("06:15")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()

    user = User.objects.get(email="browser@example.com")
    profile = Profile.objects.get(user=user)
    assert profile.skin_type == "oily"
    assert profile.concerns == ["acne"]
    assert profile.timezone == "Europe/Lisbon"
    assert profile.reminder_times["am"] == "06:15"
    assert Consent.objects.filter(user=user, kind="terms").exists()

    # Signed in: the nav offers sign out, which works.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in", exact=True).first.wait_for()
