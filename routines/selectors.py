"""Reads of the routines app. Every fetch of a user's object goes through a `*_get_for_user` function that
raises NotFound when it is not theirs."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from domain import routine as routine_rules
from skincare.core.errors import NotFound

from .freshness import Freshness, freshness
from .models import Routine, RoutineStep, ShelfItem, StepCompletion
from .schedule import get_zone


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError, DjangoValidationError):
        return None


def profile_of(user):
    """The user's profile, or an unsaved default one (a user without a profile still gets routines)."""
    from accounts.models import Profile

    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def user_zone(user):
    return get_zone(getattr(profile_of(user), "timezone", "UTC"))


def local_today(user, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(user_zone(user)).date()


def week_context(*, user) -> dict:
    """The person's zone and local today, read once for every routine's week view (serializer context)."""
    return {"zone": user_zone(user), "today": local_today(user)}


def _steps_prefetch() -> Prefetch:
    return Prefetch("steps", queryset=RoutineStep.objects.select_related("product").order_by("order"))


def routines_for_user(*, user) -> QuerySet[Routine]:
    return Routine.objects.owned_by(user).prefetch_related(_steps_prefetch()).order_by("-created_at")


def routine_get_for_user(*, user, routine_id) -> Routine:
    pk = _uuid(routine_id)
    routine = routines_for_user(user=user).filter(pk=pk).first() if pk else None
    if routine is None:
        raise NotFound("No such routine.", code="routine_not_found")
    return routine


def shelf_for_user(*, user) -> QuerySet[ShelfItem]:
    return ShelfItem.objects.owned_by(user).select_related("product").order_by("expires_on", "-created_at")


def shelf_item_get_for_user(*, user, item_id) -> ShelfItem:
    pk = _uuid(item_id)
    item = shelf_for_user(user=user).filter(pk=pk).first() if pk else None
    if item is None:
        raise NotFound("No such shelf item.", code="shelf_item_not_found")
    return item


def shelf_item_freshness(item: ShelfItem, *, today: date) -> Freshness:
    return freshness(opened_on=item.opened_on, pao_months=item.pao_months, best_before=item.best_before, today=today)


def latest_done_analysis(*, user):
    """The user's latest finished analysis, or None (no analysis yet, or the analysis app absent)."""
    try:
        from analysis.models import SkinAnalysis
    except ImportError:  # pragma: no cover - the app is part of the project
        return None
    return SkinAnalysis.objects.filter(user=user, status="done").order_by("-created_at").first()


def completions_on(*, user, day: date) -> set[uuid.UUID]:
    return set(StepCompletion.objects.filter(user=user, date=day).values_list("step_id", flat=True))


def today_checklist(*, user, day: date | None = None) -> list[dict]:
    """Active routines with the steps due on `day` (the user's local today by default) and their state."""
    day = day or local_today(user)
    done = completions_on(user=user, day=day)
    zone = user_zone(user)
    out = []
    for routine in routines_for_user(user=user).filter(is_active=True).order_by("period", "-created_at"):
        steps = [s for s in routine.steps.all() if s.runs_on_date(day, zone)]
        out.append(
            {
                "routine": routine,
                "day": routine_day(routine=routine, day=day, zone=zone),
                "steps": [{"step": s, "done": s.id in done} for s in steps],
                "done": sum(1 for s in steps if s.id in done),
                "total": len(steps),
            }
        )
    return out


def _in_words(entry: dict) -> dict:
    """A day of the week plan with its words (the domain's msgids) in the active language."""
    return {
        **entry,
        "label": _(entry["label"]),
        "note": _(entry["note"]) if entry["note"] else "",
        "active_labels": [_(label) for label in entry["active_labels"]],
        "category_labels": [_(dict(routine_rules.STEPS).get(c, c)) for c in entry["categories"]],
    }


def routine_day(*, routine: Routine, day: date, zone=None) -> dict:
    """One routine on one local date, following its week plan: the steps due, in order, and what kind of
    day it is (retinoid, exfoliation or recovery evening, or a daily routine) with its note."""
    from .builder import day_entry

    zone = zone or user_zone(routine.user)
    week = routine.plan_week(day, zone)
    steps = sorted(routine.steps.all(), key=lambda s: s.order)
    entry = day_entry(
        [(s, s.category, s.actives or [], s.days_in_week(week)) for s in steps], day.weekday(), routine.period
    )
    return {**_in_words(entry), "week": week, "date": day}


def routine_week(*, routine: Routine, day: date | None = None, zone=None) -> dict:
    """The per-day view of a routine for the plan week that contains `day` (local today by default)."""
    from .builder import day_entry

    zone = zone or user_zone(routine.user)
    day = day or local_today(routine.user)
    steps = sorted(routine.steps.all(), key=lambda s: s.order)
    monday = day - timedelta(days=day.weekday())
    days = []
    for weekday in range(7):
        date_ = monday + timedelta(days=weekday)
        week = routine.plan_week(date_, zone)  # a plan week may begin mid-calendar-week
        rows = [(s, s.category, s.actives or [], s.days_in_week(week)) for s in steps]
        entry = _in_words(day_entry(rows, weekday, routine.period))
        entry["step_ids"] = [str(s.id) for s in entry.pop("steps")]
        days.append({"weekday": weekday, "date": date_, "plan_week": week, **entry})
    last = max((int(p["week"]) for s in steps for p in s.schedule or []), default=1)
    return {"week": routine.plan_week(day, zone), "settles_in_week": last, "days": days}


def day_completion(*, routine: Routine, day: date) -> dict:
    zone = user_zone(routine.user)
    steps = [s for s in routine.steps.all() if s.runs_on_date(day, zone)]
    done = set(StepCompletion.objects.filter(routine=routine, date=day).values_list("step_id", flat=True))
    completed = [str(s.id) for s in steps if s.id in done]
    return {
        "routine": str(routine.id),
        "date": day.isoformat(),
        "completed_steps": completed,
        "completed": len(completed),
        "total": len(steps),
        "done": bool(steps) and len(completed) == len(steps),
    }


def adherence(*, user, start: date, end: date, routine: Routine | None = None) -> dict:
    """Completed step-days over scheduled step-days of active routines in [start, end] (inclusive).

    Days before a routine was started do not count. `rate` is null when nothing was scheduled.
    """
    routines = Routine.objects.owned_by(user).filter(started_at__isnull=False).prefetch_related("steps")
    if routine is not None:
        routines = routines.filter(pk=routine.pk)
    zone = user_zone(user)
    scheduled = 0
    by_day: dict[str, dict] = {}
    routine_list = list(routines)
    counts = (
        StepCompletion.objects.filter(routine__in=routine_list, date__gte=start, date__lte=end)
        .values("date")
        .annotate(n=Count("id"))
    )
    done_by_day = {row["date"]: row["n"] for row in counts}
    day = start
    while day <= end:
        due = 0
        for r in routine_list:
            if r.started_at.astimezone(zone).date() > day:
                continue
            due += sum(1 for s in r.steps.all() if s.runs_on_date(day, zone))
        scheduled += due
        by_day[day.isoformat()] = {"scheduled": due, "completed": min(done_by_day.get(day, 0), due)}
        day += timedelta(days=1)
    completed = sum(v["completed"] for v in by_day.values())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "scheduled": scheduled,
        "completed": completed,
        "rate": round(completed / scheduled, 3) if scheduled else None,
        "by_day": by_day,
    }


def routine_adherence(*, routine: Routine, days: int = 30, today: date | None = None) -> dict:
    today = today or local_today(routine.user)
    return adherence(user=routine.user, start=today - timedelta(days=days - 1), end=today, routine=routine)


def shelf_owned_product_ids(*, user) -> set:
    return set(ShelfItem.objects.owned_by(user).exclude(product=None).values_list("product_id", flat=True))


def due_shelf_items(*, horizon: date, after_id=None, limit: int = 200) -> list[ShelfItem]:
    qs = (
        ShelfItem.objects.filter(use_soon_on__lte=horizon)
        .filter(Q(expires_on__gte=horizon - timedelta(days=3)))
        .select_related("user", "user__profile")
        .order_by("id")
    )
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    return list(qs[:limit])
