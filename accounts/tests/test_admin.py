"""The admin: staff only; users searchable and filterable with the profile inline; consents read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Consent, User
from accounts.services import consent_record, notification_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = User.objects.create_superuser(email="admin@example.com", password="a-Long-pass-9")
    client.force_login(admin)
    return client


def test_admin_is_staff_only(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_user_search_and_filters(staff_client, user, other_user):
    user.phone = "+33699998888"
    user.save()
    response = staff_client.get(reverse("admin:accounts_user_changelist"), {"q": "99998888"})
    assert response.status_code == 200
    assert user.email in response.content.decode()
    assert other_user.email not in response.content.decode()
    for query in ({"is_staff__exact": "0"}, {"is_active__exact": "1"}, {"email_verified__exact": "0"}):
        assert staff_client.get(reverse("admin:accounts_user_changelist"), query).status_code == 200


def test_user_change_page_has_profile_inline(staff_client, user):
    consent_record(user=user, kind="photo_analysis", granted=True)
    response = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "profile-group" in html or 'id="profile-0"' in html
    assert "photo_analysis" in html


def test_user_add_page(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "made@example.com",
            "usable_password": "true",
            "password1": "a-Long-pass-9",
            "password2": "a-Long-pass-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="made@example.com").exists()


def test_consent_admin_is_read_only(staff_client, user):
    consent = consent_record(user=user, kind="terms", granted=True)
    assert staff_client.get(reverse("admin:accounts_consent_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:accounts_consent_add")).status_code == 403
    staff_client.post(reverse("admin:accounts_consent_change", args=[consent.pk]), {"granted": ""})
    assert Consent.objects.get(pk=consent.pk).granted is True


def test_notification_and_otp_admin_pages(staff_client, user):
    notification_create(user=user, kind="x", title="Hello admin")
    response = staff_client.get(reverse("admin:accounts_notification_changelist"))
    assert "Hello admin" in response.content.decode()
    assert staff_client.get(reverse("admin:accounts_otpcode_changelist")).status_code == 200
