"""A real browser: a person books a free time with a reason; the dermatologist opens the booking, writes a note;
the person reads it in the app."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from consultations.models import Consultation
from skincare.core.roles import roles_create

from .factories import dermatologist, slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_book_then_read_the_dermatologists_note(browser_page, live_server, user):
    roles_create()
    derm = dermatologist(tz="UTC")
    free = slot(derm, hours_ahead=50)
    page = browser_page
    # The person picks the day and the time, says why, and books
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/consultations/book/?date={free.starts_at.date().isoformat()}")
    page.locator('[data-testid="slot"]').first.check()
    page.get_by_label("Why do you want to see a dermatologist?").fill("Itchy red patches on my cheeks")
    page.get_by_role("button", name="Book").click()
    page.get_by_role("heading", name=f"Consultation with {derm.display_name}").wait_for()
    consultation = Consultation.objects.get(user=user)
    assert consultation.reason == "Itchy red patches on my cheeks" and consultation.slot_id == free.pk

    # The dermatologist sees it on their schedule and writes a note
    _sign_in(page, live_server, derm.user)
    page.goto(f"{live_server.url}/consultations/dermatologist/")
    page.locator('[data-testid="booking"] a').first.click()
    assert "Itchy red patches" in page.locator('[data-testid="reason"]').inner_text()
    page.get_by_label("Note or recommendation for the person").fill("A gentle cleanser and azelaic acid at night.")
    page.get_by_role("button", name="Save").click()
    page.locator(".message").first.wait_for()

    # The person reads it
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    assert "azelaic acid at night" in page.locator('[data-testid="note"]').inner_text()
