"""Who saw my photos: every serving is checked at that moment and recorded — to the owner, through a share link,
to another registered kind of viewer (a placeholder here for the dermatologist of a consultation), to staff under
an approved, expiring support grant."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from privacy import media, services
from privacy.media import Viewer, media_url
from privacy.models import MediaAccess, SupportGrant
from progress.models import ShareLink
from progress.tests.factories import make_analysis, synthetic_landmarks
from skincare.core.models import AuditEntry
from skincare.core.tests.factories import staff_user

pytestmark = pytest.mark.django_db
LINK = re.compile(r'(?:src|href)="((?:http://testserver)?/media/s/[^"]+)"')


def links(html: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in LINK.findall(html)]


def test_the_owner_opening_their_photo_is_recorded(auth_client):
    a = make_analysis(auth_client.user)
    url = auth_client.get(f"/api/v1/analysis/{a.pk}").json()["image_url"]
    assert Client().get(url).status_code == 200  # an <img> tag sends no token: the link is the permission
    record = MediaAccess.objects.get()
    assert record.viewer_kind == "owner" and record.viewer_name == "" and record.media_kind == "photo"
    assert record.viewer_words == "You"
    with translation.override("es"):
        assert record.viewer_words == "Tú"  # written when read, in the reader's language
    assert record.media_created_at is not None


def test_a_share_link_serves_only_its_images_while_it_is_live(client, user, other_user):
    a = make_analysis(user)
    other = make_analysis(user)
    share = ShareLink.objects.create(
        user=user, kind="analysis", analysis=a, expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(1)
    )
    page = client.get(f"/progress/s/{share.token}")
    assert page.status_code == 200
    [url] = links(page.content.decode())
    assert client.get(url).status_code == 200
    record = MediaAccess.objects.get()
    assert (record.viewer_kind, record.ref, record.viewer_id) == ("share", str(share.pk), None)
    assert record.viewer_name == "" and record.viewer_words == "Someone with your share link"
    with translation.override("de"):  # progress registers the kind with a fixed text: looked up when read
        assert record.viewer_words == "Jemand mit deinem Freigabelink"
    # The share does not show the other analysis: a link for it under this share opens nothing.
    assert client.get(media_url(other.image.name, viewer=Viewer.share(share))).status_code == 404
    # Revoked: the link that worked a second ago is refused.
    services_revoke(share)
    assert client.get(url).status_code == 404
    assert MediaAccess.objects.count() == 1


def services_revoke(share):
    from progress.services import share_revoke

    share_revoke(share=share)


def test_the_share_card_is_recorded_each_time_even_from_its_cache(client, user):
    a = make_analysis(user)
    share = ShareLink.objects.create(
        user=user, kind="analysis", analysis=a, expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(1)
    )
    assert client.get(f"/progress/s/{share.token}/card.png").status_code == 200
    assert client.get(f"/progress/s/{share.token}/card.png").status_code == 200
    assert MediaAccess.objects.filter(via="card", viewer_kind="share").count() == 2


def test_a_registered_viewer_kind_sees_what_its_check_allows(client, user, other_user):
    """The API issue 16's consultations use: register a check for "dermatologist", make links for that kind."""
    a = make_analysis(user)
    booked = {("consult-1", str(other_user.pk), str(user.pk))}
    media.register_viewer_check(
        "placeholder_doctor",
        lambda viewer, m: (viewer.ref, viewer.user_id, str(m.owner_id)) in booked,
        name=lambda viewer: f"Dr. placeholder ({viewer.ref})",
        words=lambda name: f"{name}, in the reader's words",
        same_session=True,
    )
    try:
        url = media_url(a.image.name, viewer=Viewer(kind="placeholder_doctor", user_id=other_user.pk, ref="consult-1"))
        assert client.get(url).status_code == 404  # same_session: only in the doctor's own session
        client.force_login(other_user)
        assert client.get(url).status_code == 200
        record = MediaAccess.objects.get()
        assert record.viewer_kind == "placeholder_doctor" and record.viewer_id == other_user.pk
        assert record.viewer_name == "Dr. placeholder (consult-1)" and record.ref == "consult-1"
        assert record.viewer_words == "Dr. placeholder (consult-1), in the reader's words"
        wrong = media_url(a.image.name, viewer=Viewer(kind="placeholder_doctor", user_id=str(other_user.pk), ref="x"))
        assert client.get(wrong).status_code == 404
    finally:
        media._CHECKS.pop("placeholder_doctor", None)
    # Unregistered kinds fail closed, whatever the link says; a dermatologist link without its consultation too.
    assert client.get(url).status_code == 404
    assert (
        client.get(media_url(a.image.name, viewer=Viewer(kind="dermatologist", user_id=str(other_user.pk)))).status_code
        == 404
    )
    assert MediaAccess.objects.count() == 1


def test_server_side_operator_reads_are_never_links(client, user):
    a = make_analysis(user)
    assert client.get(media_url(a.image.name, viewer=Viewer(kind="operator", ref="export_feedback"))).status_code == 404
    data, _ = media.media_read(a.image.name, viewer=Viewer(kind="operator", ref="export_feedback"), via="export")
    assert data.startswith(b"\xff\xd8")
    record = MediaAccess.objects.get()
    assert record.viewer_name == "export_feedback"
    assert record.viewer_words == "The server's operators (export_feedback)"


# --- staff: an explicit, expiring, audited grant the person approves ------------------------------------
@pytest.fixture
def analysis_with_photo(user):
    return make_analysis(user, landmarks=synthetic_landmarks())


def admin_page(client, analysis) -> str:
    r = client.get(f"/admin/analysis/skinanalysis/{analysis.pk}/change/")
    assert r.status_code == 200
    return r.content.decode()


def test_staff_see_measurements_only_until_the_person_approves(client, user, analysis_with_photo, auth_client):
    support = staff_user(superuser=True)
    client.force_login(support)
    html = admin_page(client, analysis_with_photo)
    assert "Measurements only" in html and "Ask to see the photos" in html and not links(html)
    assert "<svg" in html  # the face map, drawn from the measurements

    r = client.post(
        f"/admin/privacy/supportgrant/ask/{user.pk}/", {"reason": "Checking a wrong redness score", "hours": 2}
    )
    assert r.status_code == 302
    grant = SupportGrant.objects.get(user=user)
    assert grant.status == "pending" and grant.staff == support
    assert user.notifications.filter(kind="support_grant").exists()
    assert AuditEntry.objects.filter(name="support_grant_request", actor=support).exists()
    assert not links(admin_page(client, analysis_with_photo))  # still pending

    r = auth_client.post(f"/api/v1/privacy/grants/{grant.pk}/approve")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    assert AuditEntry.objects.filter(name="support_grant_approve").exists()
    with time_machine.travel(datetime.timedelta(minutes=1)):
        photo_links = links(admin_page(client, analysis_with_photo))
        assert photo_links
        assert client.get(photo_links[0]).status_code == 200
        assert Client().get(photo_links[0]).status_code == 404  # outside the staff member's session: nothing
        record = MediaAccess.objects.get()
        assert record.viewer_kind == "staff" and record.viewer_id == support.pk and record.ref == str(grant.pk)
        assert record.viewer_name == support.email and support.email in record.viewer_words
    # Two hours after the approval the grant has expired: the same link, and the page, show no photo.
    with time_machine.travel(datetime.timedelta(hours=2, minutes=1)):
        assert SupportGrant.objects.active().count() == 0
        assert SupportGrant.objects.get().state == "expired"
        html = admin_page(client, analysis_with_photo)
        assert "Measurements only" in html and not links(html)


def test_a_revoked_grant_ends_access_at_once(client, user, analysis_with_photo):
    support = staff_user(superuser=True)
    grant = services.grant_request(staff=support, user=user, reason="Support ticket 42", hours=24)
    services.grant_decide(grant=grant, decision="approve")
    client.force_login(support)
    [photo] = links(admin_page(client, analysis_with_photo))[:1]
    services.grant_decide(grant=grant, decision="revoke")
    assert client.get(photo).status_code == 404
    assert not links(admin_page(client, analysis_with_photo))


def test_a_grant_is_for_its_staff_member_and_its_person_only(client, user, other_user, analysis_with_photo):
    support, colleague = staff_user(superuser=True), staff_user(superuser=True)
    grant = services.grant_request(staff=support, user=user, reason="r", hours=1)
    services.grant_decide(grant=grant, decision="approve")
    client.force_login(colleague)
    assert not links(admin_page(client, analysis_with_photo))
    forged = media_url(analysis_with_photo.image.name, viewer=Viewer.staff(colleague, grant))
    assert client.get(forged).status_code == 404
    theirs = make_analysis(other_user)
    client.force_login(support)
    assert client.get(media_url(theirs.image.name, viewer=Viewer.staff(support, grant))).status_code == 404


def test_grant_decisions_are_checked(user):
    from skincare.core.errors import DomainError

    support = staff_user(superuser=True)
    grant = services.grant_request(staff=support, user=user, reason="r", hours=1)
    services.grant_decide(grant=grant, decision="deny")
    with pytest.raises(DomainError):
        services.grant_decide(grant=grant, decision="approve")
    with pytest.raises(DomainError):
        services.grant_request(staff=support, user=user, reason="", hours=1)
    with pytest.raises(DomainError):
        services.grant_request(staff=support, user=user, reason="r", hours=SupportGrant.MAX_HOURS + 1)
    with pytest.raises(DomainError):
        services.grant_request(staff=user, user=support, reason="r", hours=1)


def test_the_privacy_page_and_the_export_show_who_saw_what(client, user, password, auth_client):
    a = make_analysis(user)
    assert Client().get(media_url(a.image.name, viewer=Viewer.owner(user))).status_code == 200
    support = staff_user(superuser=True)
    services.grant_request(staff=support, user=user, reason="Ticket 7: blurry overlay", hours=3)
    client.login(email=user.email, password=password)
    html = client.get("/privacy/").content.decode()
    assert "Who saw your photos" in html and "1 time" in html and "Ticket 7: blurry overlay" in html
    assert "encrypted" in html and "Approve" in html
    export = auth_client.get("/api/v1/account/export").json()["apps"]["privacy"]
    assert [x["viewer_kind"] for x in export["image_accesses"]] == ["owner"]
    assert export["support_grants"][0]["reason"] == "Ticket 7: blurry overlay"
    # The zip export decrypts the person's own photos and records that as theirs.
    assert auth_client.get("/api/v1/account/export?format=zip").status_code == 200
    assert MediaAccess.objects.filter(via="export", viewer_kind="owner", media_name=a.image.name).count() == 1


def test_records_written_before_the_rename_keep_only_the_name(user):
    """Migration 0002 turns the English sentences stored so far into the names they carried."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("privacy.migrations.0002_access_viewer_name")
    old = {
        "owner": "You",
        "share": "Someone with your share link",
        "staff": "Support staff (help@example.com), under a grant you approved",
        "operator": "The server's operators (export_feedback)",
        "dermatologist": "Dr Ana Costa, for your consultation on 2026-12-03",
        "clinic_partner": "A partner clinic (Lisbon)",
    }
    for kind, sentence in old.items():
        MediaAccess.objects.create(
            owner=user, media_name="x.jpg", media_kind="photo", viewer_kind=kind, viewer_name=sentence
        )
    migration.names_from_sentences(apps, None)
    names = dict(MediaAccess.objects.values_list("viewer_kind", "viewer_name"))
    assert names == {
        "owner": "",
        "share": "",
        "staff": "help@example.com",
        "operator": "export_feedback",
        "dermatologist": "Dr Ana Costa",
        "clinic_partner": "A partner clinic (Lisbon)",  # another app's kind: left as it was
    }
