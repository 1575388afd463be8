"""In a real browser: sign in, paste a label, read the colour-coded result."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paste_a_label_and_read_the_result(kb, browser_page, live_server, user, password):
    page = browser_page
    page.goto(live_server.url + "/ingredients/")
    # Given a signed-in user (the scanner redirects to the login page first)
    page.fill("input[name=username], input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/ingredients/")
    # When they paste an ingredient list and analyse it
    page.fill("textarea[name=text]", "Ingredients: Aqua, Glycerin, Niacinamide, Parfum, Limonene, Retinol.")
    page.click("form.card button[type=submit]")
    # Then each ingredient is listed with its colour and the disclaimer is shown
    page.wait_for_selector("ol.ing-list")
    assert page.locator("li.ing-item.green").count() >= 3
    assert page.locator("li.ing-item.yellow").count() >= 2
    assert "Cosmetic guidance" in page.content()
    if os.environ.get("INGREDIENTS_SCREENSHOT"):
        page.screenshot(path=os.environ["INGREDIENTS_SCREENSHOT"], full_page=True)
