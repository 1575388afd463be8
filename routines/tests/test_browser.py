"""A real browser: one tap on today's checklist completes the step in place (fetch with the CSRF token)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from routines.models import StepCompletion

from .factories import RoutineFactory, RoutineStepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_tap_completion_updates_the_checklist_in_place(browser_page, live_server, user):
    routine = RoutineFactory(user=user, is_active=True, name="Evening routine")
    first = RoutineStepFactory(routine=routine, category="cleanse", product_name="Gentle Cleanser")
    RoutineStepFactory(routine=routine, category="moisturize", product_name="Barrier Cream")
    client = Client()
    client.force_login(user)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = browser_page
    page.goto(live_server.url + "/routines/")
    assert page.locator("[data-done]").inner_text() == "0"
    page.get_by_role("button", name="Mark Cleanse done").click()
    page.locator("li.done").first.wait_for()
    assert page.locator("[data-done]").inner_text() == "1"
    assert page.url == live_server.url + "/routines/"  # no reload: the fetch did it
    assert list(StepCompletion.objects.values_list("step_id", flat=True)) == [first.id]
    assert page.get_by_role("button", name="Mark Cleanse done").is_disabled()
