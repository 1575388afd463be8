"""Every staff change leaves an audit entry: who, what, when, which fields, before and after."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse

from skincare.core.models import AuditEntry

from .adminforms import change_form_data
from .factories import analysis, model_version, staff_user

pytestmark = pytest.mark.django_db


def url_or_skip(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name}: that app registers no admin for this model yet")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    client.user = superuser
    return client


def test_add_change_delete_through_the_admin(staff_client):
    perm = Permission.objects.get(codename="view_auditentry")
    # add
    response = staff_client.post(reverse("admin:auth_group_add"), {"name": "reviewers", "permissions": [perm.pk]})
    assert response.status_code == 302
    group = Group.objects.get(name="reviewers")
    added = AuditEntry.objects.get(action="add")
    assert (added.app_label, added.model, added.object_id) == ("auth", "group", str(group.pk))
    assert added.changes["name"] == [None, "reviewers"]
    assert added.changes["permissions"] == [None, [str(perm.pk)]]
    assert added.actor == staff_client.user and added.actor_email == staff_client.user.email
    # change
    response = staff_client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "checkers"})
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="change")
    assert changed.changes == {"name": ["reviewers", "checkers"], "permissions": [[str(perm.pk)], []]}
    # delete
    response = staff_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEntry.objects.get(action="delete")
    assert deleted.object_repr == "checkers"
    assert deleted.changes["name"] == ["checkers", None]
    assert AuditEntry.objects.count() == 3


def test_bulk_delete_action_records_each_object(staff_client):
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [g.pk for g in groups]}
    confirm = staff_client.post(reverse("admin:auth_group_changelist"), data)
    assert confirm.status_code == 200 and not AuditEntry.objects.exists()  # only asked to confirm
    staff_client.post(reverse("admin:auth_group_changelist"), {**data, "post": "yes"})
    assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()
    assert sorted(AuditEntry.objects.filter(action="delete").values_list("object_repr", flat=True)) == [
        "g0",
        "g1",
        "g2",
    ]


def test_user_change_and_password_change(staff_client):
    url = url_or_skip("admin:accounts_user_change", "00000000-0000-0000-0000-000000000000")
    target = staff_user(first_name="Ana")
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = staff_client.get(url)
    response = staff_client.post(url, change_form_data(page, first_name="Anna", is_staff=None))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="change", model="user")
    assert entry.changes["first_name"] == ["Ana", "Anna"]
    assert entry.changes["is_staff"] == [True, False]
    assert "password" not in entry.changes

    password_url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = staff_client.post(
        password_url, {"password1": "N3w-Pass!word-x", "password2": "N3w-Pass!word-x", "usable_password": "true"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="change", model="user").latest("created_at")
    assert entry.changes == {"password": ["•••", "•••"]}
    assert "N3w" not in str(AuditEntry.objects.values_list("changes", "detail"))


def test_admin_action_records_fields_it_changed(staff_client):
    url = url_or_skip("admin:analysis_modelversion_changelist")
    v1 = model_version("v1")
    response = staff_client.post(url, {"action": "activate", ACTION_CHECKBOX_NAME: [v1.pk]})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="action", name="activate")
    assert entry.object_id == str(v1.pk)
    assert entry.changes["is_active"] == [False, True]
    assert entry.changes["activated_at"][0] is None and entry.changes["activated_at"][1]


def test_action_that_asks_for_a_reason_is_recorded_once_with_it(staff_client):
    url = url_or_skip("admin:progress_sharelink_changelist")
    import datetime

    from django.utils import timezone

    from progress.models import ShareLink

    done = analysis()
    share = ShareLink.objects.create(
        user=done.user, kind="analysis", analysis=done, expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    data = {"action": "hide_shares", ACTION_CHECKBOX_NAME: [share.pk]}
    assert staff_client.post(url, data).status_code == 200  # the reason form
    assert not AuditEntry.objects.exists()
    staff_client.post(url, {**data, "apply": "1", "reason": "Photo of someone else"})
    entry = AuditEntry.objects.get(action="action")
    assert entry.name == "hide_shares"
    assert entry.changes["hidden"] == [False, True]
    assert entry.changes["hidden_reason"] == ["", "Photo of someone else"]
    assert "Photo of someone else" in entry.detail


def test_ml_activate_and_rollback_pages_are_audited(staff_client):
    v1, v2 = model_version("v1"), model_version("v2")
    for v in (v1, v2):
        response = staff_client.post(reverse("admin:core-ml-activate", args=[v.pk]))
        assert response.status_code == 302
    v1.refresh_from_db(), v2.refresh_from_db()
    assert v2.is_active and not v1.is_active
    entries = list(AuditEntry.objects.filter(action="model").order_by("created_at"))
    assert [e.changes["active_version"] for e in entries] == [[None, "v1"], ["v1", "v2"]]

    assert staff_client.post(reverse("admin:core-ml-rollback")).status_code == 302
    v1.refresh_from_db()
    assert v1.is_active
    rollback = AuditEntry.objects.get(name="model_version_rollback")
    assert rollback.changes == {"active_version": ["v2", "v1"]}
    assert staff_client.get(reverse("admin:core-ml-activate", args=[v1.pk])).status_code == 405


def test_training_data_export_is_audited_and_complete(staff_client):
    from analysis.models import Feedback

    row = analysis(skin_type="oily", skin_age=33.0)
    Feedback.objects.create(analysis=row, user=row.user, rating=4, corrected_skin_type="dry", corrected_age=35)
    response = staff_client.get(reverse("admin:core-training-data"))
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert len(lines) == 2
    assert ",oily," in lines[1] and ",dry," in lines[1] and ",35," in lines[1]
    assert AuditEntry.objects.filter(action="export", name="training_data_export").count() == 1


def test_audit_log_is_read_only(staff_client):
    entry = AuditEntry.objects.create(action="change", actor_email="x@example.com", changes={"a": [1, 2]})
    assert staff_client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert staff_client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {}).status_code == 403
    assert staff_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert (
        staff_client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_inline_change_is_recorded_on_the_inline_object(staff_client):
    url_or_skip("admin:accounts_user_changelist")
    target = staff_user()
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = staff_client.get(url)
    prefix = next(
        f.formset.prefix for f in page.context["inline_admin_formsets"] if f.formset.model._meta.model_name == "profile"
    )
    response = staff_client.post(url, change_form_data(page, **{f"{prefix}-0-skin_type": "oily"}))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="profile")
    assert entry.action == "change"
    assert entry.object_id == str(target.pk)
    assert entry.changes["skin_type"] == [None, "oily"]
    assert not AuditEntry.objects.filter(model="user").exists()  # the user's own fields did not change


def test_forget_subject_redacts_values_about_an_erased_account(db):
    from skincare.core.audit import audit_forget_subject

    person = staff_user()
    about = AuditEntry.objects.create(
        action="change", app_label="accounts", model="user", object_id=str(person.pk), changes={"email": ["a", "b"]}
    )
    other = AuditEntry.objects.create(
        action="change", app_label="accounts", model="user", object_id="x", changes={"a": [1, 2]}
    )
    assert audit_forget_subject(user_id=person.pk) == 1
    about.refresh_from_db(), other.refresh_from_db()
    assert about.changes == {} and about.object_repr == "(erased account)"
    assert other.changes == {"a": [1, 2]}
