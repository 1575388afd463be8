"""A real browser and a real worker: a photo-free analysis from the capture page, then the privacy page."""

from __future__ import annotations

import os
import re

import pytest
from django.test import Client

from analysis.models import SkinAnalysis
from analysis.tests import images
from privacy.models import StoredMedia

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.timeout(240)]


def test_photo_free_capture_shows_a_face_map_and_the_privacy_page(
    live_worker, browser_page, live_server, user, tmp_path
):
    client = Client()
    client.force_login(user)
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(images.face_jpeg())
    shots = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)

    page = browser_page
    page.goto(live_server.url + "/analysis/")
    page.set_input_files("#photo", str(photo))
    page.check("#photo-free")
    page.check("input[name=consent]")
    page.click("#capture-submit")
    page.wait_for_url(re.compile(r"/analysis/[0-9a-f-]{36}/$"))
    page.locator("#overall-score").wait_for(timeout=150_000)
    assert page.locator("#face-map svg").is_visible()
    assert page.locator("img.overlay").count() == 0
    assert "Photo-free analysis" in page.locator("#photo-state").inner_text()
    page.screenshot(path=os.path.join(shots, "photo-free-result.png"), full_page=True)
    a = SkinAnalysis.objects.get(user=user)
    assert a.photo_free and not a.image and not StoredMedia.objects.filter(data_key__user=user).exists()

    page.goto(live_server.url + "/privacy/")
    assert page.locator("#stored-files").inner_text() == "0 files"
    assert "Nobody has seen your photos yet" in page.locator("#access-summary").inner_text()
    page.check("input[name=photo_retention][value=days]")
    page.fill("#retention-days", "30")
    page.click("#retention button[type=submit]")
    page.wait_for_url(re.compile(r"/privacy/$"))
    assert "30 days after they were taken" in page.locator("#retention-now").inner_text()
    page.screenshot(path=os.path.join(shots, "privacy.png"), full_page=True)
