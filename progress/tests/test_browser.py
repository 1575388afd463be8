"""The comparison slider in a real headless Chromium: moving the range moves the clip of the after photo."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.factories import UserFactory

from .test_services import _aligned_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_slider_moves_between_before_and_after(live_server, browser_page):
    person = UserFactory()
    before, after = _aligned_pair(person)
    client = Client()
    client.force_login(person)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]  # fmt: skip
    )
    browser_page.goto(f"{live_server.url}/progress/compare/?before={before.pk}&after={after.pk}")
    slider = browser_page.locator("[data-compare-slider]")
    after_img = slider.locator("img.after")
    # both photos load through their signed links
    browser_page.wait_for_function(
        "() => [...document.querySelectorAll('[data-compare-slider] img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert "50%" in after_img.evaluate("el => getComputedStyle(el).clipPath")
    browser_page.locator("#compare-range").fill("20")
    assert "20%" in after_img.evaluate("el => getComputedStyle(el).clipPath")
    # the labels stay small labels in the corners (they must not cover and darken the photos)
    frame = slider.locator(".frame").bounding_box()
    tag = slider.locator(".tag.after").bounding_box()
    assert tag["width"] < frame["width"] / 4 and tag["x"] > frame["x"] + frame["width"] / 2
