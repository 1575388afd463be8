"""Each role sees only what it should: 200 or 403 on changelists and staff pages, per group."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from skincare.core.roles import ADMIN, DATA_SCIENTIST, DERMATOLOGIST, MODERATOR, ROLES, SUPPORT

from .factories import analysis, model_version, staff_user

pytestmark = pytest.mark.django_db

PAGES = {
    "users": "admin:accounts_user_changelist",
    "analyses": "admin:analysis_skinanalysis_changelist",
    "model_versions": "admin:analysis_modelversion_changelist",
    "feedback": "admin:analysis_feedback_changelist",
    "shares": "admin:progress_sharelink_changelist",
    "reports": "admin:progress_sharereport_changelist",
    "config": "admin:core_siteconfig_changelist",
    "audit": "admin:core_auditentry_changelist",
    "analytics": "admin:core-analytics",
    "ml": "admin:core-ml",
    "training_data": "admin:core-training-data",
    "consultations": "admin:consultations_consultation_changelist",
    "slots": "admin:consultations_availabilityslot_changelist",
}
ALLOWED = {
    SUPPORT: {"users", "analyses"},
    MODERATOR: {"shares", "reports"},
    DATA_SCIENTIST: {"analyses", "model_versions", "feedback", "analytics", "ml", "training_data"},
    DERMATOLOGIST: {"consultations", "slots"},
    ADMIN: set(PAGES),
}


def url_or_skip(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name}: that app registers no admin for this model yet")


def test_create_roles_is_idempotent(roles):
    counts = {g.name: g.permissions.count() for g in Group.objects.filter(name__in=ROLES)}
    call_command("create_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {g.name: g.permissions.count() for g in Group.objects.filter(name__in=ROLES)} == counts
    assert Group.objects.filter(name__in=ROLES).count() == 5
    support = Group.objects.get(name=SUPPORT)
    codes = set(support.permissions.values_list("codename", flat=True))
    assert {"change_user", "view_skinanalysis"} <= codes
    assert "change_skinanalysis" not in codes and "delete_user" not in codes


def test_create_roles_tolerates_missing_models(monkeypatch, roles):
    from skincare.core import roles as roles_module

    monkeypatch.setitem(roles_module.ROLES, "support", ["accounts.view_user", "nosuchapp.view_thing"])
    results = {r.name: r for r in roles_module.roles_create()}
    assert results["support"].missing == ["nosuchapp.view_thing"]
    assert results["support"].permissions == 1


@pytest.mark.parametrize("role", [SUPPORT, MODERATOR, DATA_SCIENTIST, DERMATOLOGIST, ADMIN])
@pytest.mark.parametrize("page", list(PAGES))
def test_role_sees_only_its_pages(roles, client, role, page):
    url = url_or_skip(PAGES[page])
    client.force_login(staff_user(role))
    response = client.get(url, follow=page == "config")
    expected = 200 if page in ALLOWED[role] else 403
    assert response.status_code == expected, (role, page, response.status_code)


def test_support_views_analyses_read_only(roles, client):
    url_or_skip(PAGES["analyses"])
    row = analysis()
    client.force_login(staff_user(SUPPORT))
    change_url = reverse("admin:analysis_skinanalysis_change", args=[row.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # view only
    assert client.post(change_url, {"status": "failed"}).status_code == 403


def test_support_can_change_a_user(roles, client):
    url_or_skip(PAGES["users"])
    client.force_login(staff_user(SUPPORT))
    target = staff_user()
    assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_delete", args=[target.pk])).status_code == 403


def test_staff_without_group_sees_nothing(db, client):
    client.force_login(staff_user())
    assert client.get(reverse("admin:core-analytics")).status_code == 403
    assert client.get(reverse("admin:core-ml")).status_code == 403


def test_non_staff_is_sent_to_login(user, client):
    client.force_login(user)
    response = client.get(reverse("admin:core-analytics"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_index_links_depend_on_role(roles, client):
    client.force_login(staff_user(DATA_SCIENTIST))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core-analytics") in page and reverse("admin:core-ml") in page
    client.force_login(staff_user(MODERATOR))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:core-analytics") not in page


def test_data_scientist_sees_ml_version_page_and_support_does_not(roles, client):
    version = model_version("v1")
    url = reverse("admin:core-ml-version", args=[version.pk])
    client.force_login(staff_user(DATA_SCIENTIST))
    assert client.get(url).status_code == 200
    client.force_login(staff_user(SUPPORT))
    assert client.get(url).status_code == 403


def test_every_registered_admin_is_audited(client, superuser):
    client.force_login(superuser)
    client.get(reverse("admin:index"))
    from skincare.core.audit import AuditMixin

    assert all(isinstance(model_admin, AuditMixin) for model_admin in admin.site._registry.values())
