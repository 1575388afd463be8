"""Pages: dashboard, comparison slider, share management, the public page (no personal data), card, admin."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.tests.factories import UserFactory
from progress import services
from progress.models import ShareLink, ShareReport

from .factories import ProgressEntryFactory, make_analysis
from .test_services import _aligned_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return UserFactory(email="zebediah.quill@example.org", first_name="Zebediah", last_name="Quixotewell")


@pytest.fixture
def page_client(client, person):
    client.force_login(person)
    return client


def test_dashboard_requires_login(client):
    r = client.get(reverse("progress:dashboard"))
    assert r.status_code == 302 and "/login" in r["Location"]


def test_dashboard_shows_charts_and_calendar(page_client, person):
    from routines.models import Routine, RoutineStep, StepCompletion

    for i, score in enumerate([40, 48, 55]):
        make_analysis(person, scores={"acne": score}, overall=50 + i, days_ago=14 - 7 * i)
    ProgressEntryFactory(user=person, notes="tried the new serum")
    routine = Routine.objects.create(
        user=person, name="AM", period="am", is_active=True, started_at=timezone.now() - timedelta(days=40)
    )
    step = RoutineStep.objects.create(routine=routine, order=1, category="cleanse", days=[])
    StepCompletion.objects.create(user=person, routine=routine, step=step, date=timezone.now().date())
    r = page_client.get(reverse("progress:dashboard"))
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count('class="trend-chart"') == 2  # overall + acne
    assert 'class="adherence-calendar"' in html and "<rect" in html
    assert "improving" in html and "tried the new serum" in html
    assert 'data-testid="adherence"' in html
    assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", html).replace(
        "http://testserver", ""
    )  # nothing fetched from elsewhere


def test_log_from_the_page(page_client, person):
    analysis = make_analysis(person)
    r = page_client.post(reverse("progress:log"), {"rating": "4", "notes": "ok", "analysis": str(analysis.pk)})
    assert r.status_code == 302
    entry = person.progress_entries.get()
    assert entry.rating == 4 and entry.analysis == analysis


def test_compare_page_has_the_slider(page_client, person):
    before, after = _aligned_pair(person)
    r = page_client.get(reverse("progress:compare") + f"?before={before.pk}&after={after.pk}")
    html = r.content.decode()
    assert r.status_code == 200
    assert "data-compare-slider" in html and 'type="range"' in html
    assert html.count("/media/s/") >= 2 and "Aligned on 18 face landmarks" in html
    # defaults to first vs latest
    assert page_client.get(reverse("progress:compare")).status_code == 200


def test_compare_page_404_for_someone_elses_analysis(page_client, person, other_user):
    mine = make_analysis(person)
    theirs = make_analysis(other_user)
    r = page_client.get(reverse("progress:compare") + f"?before={mine.pk}&after={theirs.pk}")
    assert r.status_code == 404


def test_share_management(page_client, person):
    analysis = make_analysis(person)
    r = page_client.post(reverse("progress:shares"), {"analysis": str(analysis.pk), "expires_in_days": "3"})
    assert r.status_code == 302
    share = ShareLink.objects.get(user=person)
    listing = page_client.get(reverse("progress:shares")).content.decode()
    assert share.token in listing and "live" in listing
    page_client.post(reverse("progress:share-revoke", args=[share.pk]))
    share.refresh_from_db()
    assert share.revoked_at is not None


def _assert_no_personal_data(html: str, person) -> None:
    for secret in (person.email, person.first_name, person.last_name, str(person.pk), person.email.split("@")[0]):
        assert secret.lower() not in html.lower(), secret


def test_public_analysis_page_leaks_no_personal_data(client, person):
    analysis = make_analysis(person, scores={"acne": 64, "redness": 71})
    share = services.share_create(user=person, analysis_id=analysis.pk)
    r = client.get(reverse("progress:public", args=[share.token]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Acne" in html and "64" in html and "/media/s/" in html
    assert str(analysis.pk) not in html
    _assert_no_personal_data(html, person)
    assert r["X-Robots-Tag"].startswith("noindex")
    share.refresh_from_db()
    assert share.view_count == 1


def test_public_page_leaks_nothing_even_to_the_signed_in_owner(page_client, person):
    share = services.share_create(user=person, analysis_id=make_analysis(person).pk)
    html = page_client.get(reverse("progress:public", args=[share.token])).content.decode()
    _assert_no_personal_data(html, person)


def test_public_comparison_page(client, person):
    before, after = _aligned_pair(person)
    share = services.share_create(user=person, before_id=before.pk, after_id=after.pk)
    r = client.get(reverse("progress:public", args=[share.token]))
    html = r.content.decode()
    assert r.status_code == 200 and "data-compare-slider" in html and "+18" in html
    _assert_no_personal_data(html, person)


def test_public_page_404_when_expired_revoked_or_hidden(client, person):
    analysis = make_analysis(person)
    expiring = services.share_create(user=person, analysis_id=analysis.pk, expires_in_days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=5)):
        assert client.get(reverse("progress:public", args=[expiring.token])).status_code == 404
        assert client.get(reverse("progress:public-card", args=[expiring.token])).status_code == 404
    revoked = services.share_revoke(share=services.share_create(user=person, analysis_id=analysis.pk))
    assert client.get(reverse("progress:public", args=[revoked.token])).status_code == 404
    hidden = services.share_create(user=person, analysis_id=analysis.pk)
    services.share_hide(share=hidden, reason="test")
    assert client.get(reverse("progress:public", args=[hidden.token])).status_code == 404
    assert client.get(reverse("progress:public", args=["x" * 32])).status_code == 404


@pytest.mark.parametrize("kind", ["analysis", "compare"])
def test_share_card_is_a_png(client, person, kind):
    before, after = _aligned_pair(person)
    if kind == "analysis":
        share = services.share_create(user=person, analysis_id=after.pk)
    else:
        share = services.share_create(user=person, before_id=before.pk, after_id=after.pk)
    r = client.get(reverse("progress:public-card", args=[share.token]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    img = Image.open(io.BytesIO(r.content))
    assert img.size == (1200, 630)
    # the face thumbnail is really drawn: the photo area is not the plain background
    photo_area = img.convert("L").crop((40, 40, 500, 540))
    assert max(photo_area.getextrema()) - min(photo_area.getextrema()) > 100


def test_report_from_the_public_page(client, person):
    share = services.share_create(user=person, analysis_id=make_analysis(person).pk)
    url = reverse("progress:public-report", args=[share.token])
    r = client.post(url, {"reason": "not_me", "details": "This is my photo"})
    assert r.status_code == 200 and "Thank you" in r.content.decode()
    assert ShareReport.objects.get().reason == "not_me"
    assert client.post(url, {"reason": "nonsense"}).status_code == 400


def test_admin_hides_a_reported_page_with_a_reason(client, person):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    share = services.share_create(user=person, analysis_id=make_analysis(person).pk)
    report = services.share_report_create(token=share.token, reason="inappropriate")
    changelist = reverse("admin:progress_sharereport_changelist")
    # first step asks for a reason
    r = client.post(changelist, {"action": "hide_reported", "_selected_action": [str(report.pk)]})
    assert r.status_code == 200 and "reason" in r.content.decode()
    r = client.post(
        changelist,
        {"action": "hide_reported", "_selected_action": [str(report.pk)], "apply": "1", "reason": "Not a face"},
    )
    assert r.status_code == 302
    share.refresh_from_db()
    report.refresh_from_db()
    assert share.hidden and share.hidden_reason == "Not a face"
    assert report.status == "hidden" and report.reviewer == staff
    client.logout()
    assert client.get(reverse("progress:public", args=[share.token])).status_code == 404
    # and restores it
    client.force_login(staff)
    client.post(
        reverse("admin:progress_sharelink_changelist"),
        {"action": "restore_shares", "_selected_action": [str(share.pk)], "apply": "1", "reason": "Reviewed"},
    )
    client.logout()
    assert client.get(reverse("progress:public", args=[share.token])).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["progressentry", "milestone", "comparison", "sharelink", "sharereport"],
)
def test_admin_pages_render(client, person, name):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    share = services.share_create(user=person, analysis_id=make_analysis(person).pk)
    services.share_report_create(token=share.token, reason="spam")
    ProgressEntryFactory(user=person)
    assert client.get(reverse(f"admin:progress_{name}_changelist")).status_code == 200


def test_a_photo_from_the_page_needs_the_photo_consent_once(page_client, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Consent

    from .factories import astronaut, jpeg

    def photo():
        return SimpleUploadedFile("me.jpg", jpeg(astronaut()), content_type="image/jpeg")

    assert "I agree that my photo" in page_client.get(reverse("progress:dashboard")).content.decode()
    page_client.post(reverse("progress:log"), {"photo": photo()})
    assert not person.progress_entries.exists()
    page_client.post(reverse("progress:log"), {"photo": photo(), "consent": "on"})
    entry = person.progress_entries.get()
    assert entry.analysis is not None
    assert Consent.objects.filter(user=person, kind="photo_analysis", granted=True).count() == 1
    assert "I agree that my photo" not in page_client.get(reverse("progress:dashboard")).content.decode()


def test_a_cached_card_still_dies_with_its_link(client, person):
    share = services.share_create(user=person, analysis_id=make_analysis(person).pk)
    url = reverse("progress:public-card", args=[share.token])
    assert client.get(url).status_code == 200
    services.share_revoke(share=share)
    assert client.get(url).status_code == 404
