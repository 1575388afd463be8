"""Rows for the staff-side tests, made through the ORM (dates set explicitly, since most are auto_now_add)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.tests.factories import UserFactory


def at(days_ago: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A UTC datetime `days_ago` days before today, at hour:minute."""
    today = timezone.now().date() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(today, datetime.time(hour, minute), tzinfo=datetime.UTC)


def staff_user(*groups: str, superuser: bool = False, **kwargs):
    user = UserFactory(is_staff=True, is_superuser=superuser, **kwargs)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def set_field(obj, **values):
    """Write fields that auto_now_add/auto_now would overwrite on save()."""
    type(obj).objects.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()
    return obj


def analysis(user=None, *, status="done", created=None, processing_ms=None, concerns=None, version=None, **fields):
    from analysis.models import SkinAnalysis

    row = SkinAnalysis.objects.create(
        user=user or UserFactory(),
        status=status,
        image="analyses/test.jpg",
        processing_ms=processing_ms,
        concerns=concerns or [],
        model_version=version,
        **fields,
    )
    if created is not None:
        set_field(row, created_at=created)
    return row


def concerns(**scores) -> list[dict]:
    return [{"key": key, "score": score, "confidence": 0.8} for key, score in scores.items()]


def model_version(name: str, **fields):
    from analysis.models import ModelVersion
    from analysis.tests.factories import PASSING_METRICS

    fields.setdefault("metrics", dict(PASSING_METRICS))  # activation needs metrics that beat the baselines
    return ModelVersion.objects.create(name=name, backbone="resnet18", checkpoint_path=f"/m/{name}.pt", **fields)
