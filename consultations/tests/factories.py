"""Dermatologists, slots and consultations for tests, made through the services where a rule applies."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.tests.factories import UserFactory

from .. import selectors, services


def dermatologist(*, tz: str = "Europe/Lisbon", name: str = "Dr Ana Costa", **kwargs):
    user = UserFactory(first_name=name.split()[-2] if " " in name else name, **kwargs)
    return services.dermatologist_grant(
        user=user, display_name=name, timezone_name=tz, meeting_link="https://meet.example.com/room"
    )


def slot(derm, *, hours_ahead: float = 72, minutes: int = 30):
    """A slot starting `hours_ahead` from now (rounded to the minute), made in the dermatologist's local time."""
    start = (timezone.now() + dt.timedelta(hours=hours_ahead)).replace(second=0, microsecond=0)
    local = start.astimezone(selectors.zone(derm.timezone))
    return services.slot_create(dermatologist=derm, local_date=local.date(), local_start=local.time(), minutes=minutes)


def done_analysis(user, **fields):
    from analysis.models import SkinAnalysis

    return SkinAnalysis.objects.create(
        user=user,
        status="done",
        image=fields.pop("image", "analyses/test.jpg"),
        overall_score=fields.pop("overall_score", 70),
        concerns=fields.pop(
            "concerns",
            [
                {"key": "acne", "score": 60, "severity": "mild", "regions": {"forehead": 50}, "explanation": "Spots."},
                {"key": "redness", "score": 90, "severity": "none", "regions": {}, "explanation": "Red."},
            ],
        ),
        **fields,
    )
