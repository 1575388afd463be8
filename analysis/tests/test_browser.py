"""A real browser against the live server and a real worker: capture page → processing page → result.

The live test server speaks WSGI only, so the page's WebSocket fails and its polling fallback is what
brings the result: that fallback is under test here (the WebSocket path is covered in test_live)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from . import images

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.timeout(240)]


def test_capture_to_result_in_a_browser(live_worker, browser_page, live_server, user, tmp_path):
    client = Client()
    client.force_login(user)
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(images.face_jpeg())

    page = browser_page
    page.goto(live_server.url + "/analysis/")
    assert page.locator("#photo").get_attribute("capture") == "user"
    page.set_input_files("#photo", str(photo))
    # The preview has a size (is visible) once the browser has decoded the chosen photo: wait for it, as a person does.
    page.locator("#photo-preview").wait_for(state="visible", timeout=10_000)
    page.check("input[name=consent]")
    page.click("#capture-submit")
    page.wait_for_url(re.compile(r"/analysis/[0-9a-f-]{36}/$"))
    page.locator("#overall-score").wait_for(timeout=150_000)
    assert page.locator("article.concern").count() == 9
    assert "no age model is installed" in page.content()
    assert page.locator("img.overlay").evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(tmp_path / "result.png"), full_page=True)
