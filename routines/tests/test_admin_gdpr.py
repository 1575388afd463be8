"""Admin pages for the routines models, and the GDPR export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from routines import gdpr, services
from routines.models import ChannelDelivery, ReminderDelivery, Routine, ShelfItem
from routines.reminders import reminders_dispatch

from .factories import RoutineFactory, RoutineStepFactory, ShelfItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _data(user):
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine)
    services.routine_start(routine=routine)
    services.step_complete(routine=routine, step_id=step.id)
    ShelfItemFactory(user=user)
    Routine.objects.filter(pk=routine.pk).update(next_reminder_at=routine.next_reminder_at - dt.timedelta(days=1))
    routine.refresh_from_db()
    return routine


@pytest.mark.parametrize("model", ["routine", "stepcompletion", "shelfitem", "reminderdelivery", "channeldelivery"])
def test_admin_changelists_search_and_change_pages(admin_client_, user, model, django_assert_max_num_queries):
    routine = _data(user)
    reminders_dispatch(enqueue=False, now=routine.next_reminder_at + dt.timedelta(seconds=1))
    url = reverse(f"admin:routines_{model}_changelist")
    with django_assert_max_num_queries(15):
        response = admin_client_.get(url, {"q": user.email})
    assert response.status_code == 200
    obj = {
        "routine": Routine,
        "shelfitem": ShelfItem,
        "reminderdelivery": ReminderDelivery,
        "channeldelivery": ChannelDelivery,
    }.get(model)
    if obj is not None:
        first = obj.objects.first()
        assert first is not None
        assert admin_client_.get(reverse(f"admin:routines_{model}_change", args=[first.pk])).status_code == 200


def test_gdpr_export_has_everything_and_is_json(user, other_user):
    routine = _data(user)
    reminders_dispatch(enqueue=False, now=routine.next_reminder_at + dt.timedelta(seconds=1))
    _data(other_user)
    data = gdpr.export(user)
    json.dumps(data)
    assert [r["id"] for r in data["routines"]] == [str(routine.id)]
    assert len(data["routines"][0]["steps"]) == 1
    assert len(data["step_completions"]) == 1 and len(data["shelf"]) == 1
    assert data["reminders"][0]["channels"]["in_app"] == "sent"
    assert gdpr.files(user) == []


def test_deleting_the_user_deletes_everything(user):
    _data(user)
    user.delete()
    assert not Routine.objects.exists() and not ShelfItem.objects.exists()
