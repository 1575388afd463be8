"""Services fed from the database: the builder with the real catalog, profile and analysis; edits,
completion (idempotent per step and day), adherence, the shelf."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from analysis.models import SkinAnalysis
from routines import selectors, services
from routines.models import RoutineStep, StepCompletion
from skincare.core.errors import DomainError, NotFound

from .factories import RoutineFactory, RoutineStepFactory, ShelfItemFactory, product, small_catalog

pytestmark = pytest.mark.django_db


def _analysis(user, concerns):
    return SkinAnalysis.objects.create(user=user, status="done", image="analyses/x.jpg", concerns=concerns)


def _names(routine):
    return [s.product_name for s in routine.steps.all()]


def test_generate_with_empty_catalog_names_no_product_and_says_so(user):
    am, pm = services.routine_generate(user=user)
    assert (am.period, pm.period) == ("am", "pm")
    assert am.steps.last().category == "protect"
    assert all(s.product_id is None for s in list(am.steps.all()) + list(pm.steps.all()))
    assert any("catalog is empty" in w for w in am.warnings)
    assert am.basis["analysis"] is None and am.basis["catalog_size"] == 0


def test_generate_from_analysis_explains_with_the_measured_region(user):
    catalog = small_catalog()
    user.profile.skin_type = "oily"
    user.profile.budget = "low"
    user.profile.save()
    analysis = _analysis(
        user,
        [
            {
                "key": "oiliness",
                "score": 41,
                "severity": "moderate",
                "regions": {"forehead": 30, "nose": 35, "left_cheek": 80},
            },
            {"key": "wrinkles", "score": 96, "severity": "none", "regions": {}},
        ],
    )
    am, pm = services.routine_generate(user=user)
    assert am.basis["analysis"] == str(analysis.id)
    treat = am.steps.get(category="treat")
    assert treat.product == catalog["niacinamide"]
    assert treat.reason.startswith("Niacinamide targets the shine measured in your T-zone")
    protect = am.steps.get(category="protect")
    assert protect.product == catalog["spf50"]  # SPF 15 is never the protection
    assert not pm.steps.filter(category="protect").exists()


def test_generate_respects_allergies_pregnancy_and_budget(user):
    catalog = small_catalog()
    profile = user.profile
    profile.allergies = ["linalool"]
    profile.pregnant_or_nursing = True
    profile.concerns = ["wrinkles"]
    profile.budget = "low"
    profile.save()
    am, pm = services.routine_generate(user=user)
    products = {s.product for r in (am, pm) for s in r.steps.all() if s.product}
    assert catalog["retinol"] not in products and catalog["retinol_luxe"] not in products
    assert not {catalog["cleanser_luxe"], catalog["cream_luxe"]} & products
    assert catalog["bakuchiol"] in products
    assert all(p.price <= 20 for p in products)
    assert any("pregnan" in w.lower() for w in pm.warnings)


def test_generate_uses_owned_products_first(user):
    small_catalog()
    mine = product("Mine", "Cleanser I own", "cleanser", 30, ["Aqua"])
    ShelfItemFactory(user=user, product=mine, name=mine.name)
    am, _ = services.routine_generate(user=user, budget="high")
    cleanse = am.steps.get(category="cleanse")
    assert cleanse.product == mine and "already own" in cleanse.reason


def test_generate_alternates_conflicting_actives_on_weekdays(user):
    small_catalog()
    user.profile.concerns = ["wrinkles", "uneven_tone"]
    user.profile.budget = "high"
    user.profile.save()
    (pm,) = services.routine_generate(user=user, period="pm")
    retinoid = next(s for s in pm.steps.all() if "retinoid" in s.actives)
    aha = next(s for s in pm.steps.all() if "aha" in s.actives)
    assert not set(retinoid.days) & set(aha.days)
    assert any("same evening" in w for w in pm.warnings)


def test_generate_rejects_bad_input(user):
    with pytest.raises(DomainError) as exc:
        services.routine_generate(user=user, period="noon")
    assert exc.value.code == "invalid_period"
    with pytest.raises(DomainError) as exc:
        services.routine_generate(user=user, budget="infinite")
    assert exc.value.code == "invalid_budget"


def test_complete_is_idempotent_per_step_and_day(user):
    routine = RoutineFactory(user=user)
    a = RoutineStepFactory(routine=routine, category="cleanse")
    RoutineStepFactory(routine=routine, category="moisturize")
    first = services.step_complete(routine=routine, step_id=a.id)
    again = services.step_complete(routine=routine, step_id=a.id)
    assert first == again
    assert first["completed"] == 1 and first["total"] == 2 and first["done"] is False
    assert StepCompletion.objects.filter(step=a).count() == 1


def test_complete_uses_the_users_local_date(user):
    user.profile.timezone = "Pacific/Auckland"
    user.profile.save()
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine)
    with time_machine.travel(dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC), tick=False):
        result = services.step_complete(routine=routine, step_id=step.id)
    assert result["date"] == "2026-03-11"  # already tomorrow in Auckland


def test_complete_refuses_future_dates_unscheduled_days_and_foreign_steps(user):
    routine = RoutineFactory(user=user)
    step = RoutineStepFactory(routine=routine, days=[0])  # Mondays only
    other = RoutineStepFactory()
    today = selectors.local_today(user)
    with pytest.raises(DomainError) as exc:
        services.step_complete(routine=routine, step_id=step.id, day=today + dt.timedelta(days=1))
    assert exc.value.code == "date_in_future"
    not_monday = today - dt.timedelta(days=(today.weekday() - 2) % 7 or 7) if today.weekday() != 2 else today
    with pytest.raises(DomainError) as exc:
        services.step_complete(routine=routine, step_id=step.id, day=not_monday)
    assert exc.value.code == "step_not_scheduled"
    with pytest.raises(NotFound):
        services.step_complete(routine=routine, step_id=other.id)


def test_adherence_counts_scheduled_step_days_since_start(user):
    with time_machine.travel(dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC), tick=False):  # a Monday
        routine = RoutineFactory(user=user)
        daily = RoutineStepFactory(routine=routine)
        mondays = RoutineStepFactory(routine=routine, category="treat", days=[0])
        services.routine_start(routine=routine)
        services.step_complete(routine=routine, step_id=daily.id)
        services.step_complete(routine=routine, step_id=mondays.id)
    with time_machine.travel(dt.datetime(2026, 5, 5, 8, 0, tzinfo=dt.UTC), tick=False):
        services.step_complete(routine=routine, step_id=daily.id)
        result = selectors.adherence(user=user, start=dt.date(2026, 5, 3), end=dt.date(2026, 5, 6))
    # 3 May: not started; 4 May: 2 due, 2 done; 5 May: 1 due, 1 done; 6 May: 1 due, 0 done.
    assert (result["scheduled"], result["completed"]) == (4, 3)
    assert result["rate"] == 0.75
    empty = selectors.adherence(user=user, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2))
    assert empty["rate"] is None


def test_update_replaces_steps_keeps_history_and_flags_conflicts(user):
    catalog = small_catalog()
    routine = RoutineFactory(user=user)
    keep = RoutineStepFactory(routine=routine, category="cleanse")
    drop = RoutineStepFactory(routine=routine, category="tone")
    services.step_complete(routine=routine, step_id=keep.id)
    services.routine_update(
        routine=routine,
        name="Night",
        steps=[
            {"id": keep.id, "category": "cleanse"},
            {"category": "treat", "product": catalog["retinol"].id},
            {"category": "treat", "product": catalog["aha"].id},
        ],
    )
    routine.refresh_from_db()
    assert routine.name == "Night"
    assert not RoutineStep.objects.filter(pk=drop.pk).exists()
    assert StepCompletion.objects.filter(step=keep).count() == 1
    assert [s.order for s in routine.steps.all()] == [1, 2, 3]
    assert any("different days" in w for w in routine.warnings)
    with pytest.raises(DomainError) as exc:
        services.routine_update(routine=routine, steps=[{"category": "protect"}])
    assert exc.value.code == "protect_in_evening"


def test_start_schedules_the_next_reminder_in_local_time(user):
    user.profile.timezone = "Europe/Paris"
    user.profile.reminder_times = {"am": "07:30", "pm": "21:30"}
    user.profile.save()
    routine = RoutineFactory(user=user, period="pm")
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        services.routine_start(routine=routine)
    routine.refresh_from_db()
    assert routine.is_active and routine.started_at is not None
    assert routine.next_reminder_at == dt.datetime(2026, 7, 1, 19, 30, tzinfo=dt.UTC)  # 21:30 CEST
    assert routine.next_reminder_date == dt.date(2026, 7, 1)
    services.routine_stop(routine=routine)
    routine.refresh_from_db()
    assert routine.next_reminder_at is None


def test_shelf_item_freshness_from_pao_and_best_before(user):
    today = timezone.now().date()
    item = services.shelf_item_create(
        user=user, name="Vitamin C", opened_on=today - dt.timedelta(days=100), pao_months=6
    )
    assert item.expires_on is not None
    fresh = selectors.shelf_item_freshness(item, today=today)
    assert fresh.status == "fresh"
    item = services.shelf_item_update(item=item, best_before=today + dt.timedelta(days=10))
    assert item.expires_on == today + dt.timedelta(days=10)
    assert selectors.shelf_item_freshness(item, today=today).status == "use_soon"
    with pytest.raises(DomainError) as exc:
        services.shelf_item_create(user=user)
    assert exc.value.code == "product_or_name_required"


def test_shelf_item_from_catalog_takes_its_pao(user):
    catalog = small_catalog()
    catalog["cream"].pao_months = 12
    catalog["cream"].save()
    item = services.shelf_item_create(user=user, product=catalog["cream"].id, opened_on=dt.date(2026, 1, 15))
    assert (item.name, item.brand, item.pao_months) == ("Barrier Cream", "Plain", 12)
    assert item.expires_on == dt.date(2027, 1, 15)


def test_starting_a_routine_pauses_the_previous_one_of_the_same_period(user):
    old_pm = RoutineFactory(user=user, period="pm")
    am = RoutineFactory(user=user, period="am")
    services.routine_start(routine=old_pm)
    services.routine_start(routine=am)
    new_pm = RoutineFactory(user=user, period="pm")
    services.routine_start(routine=new_pm)
    old_pm.refresh_from_db()
    am.refresh_from_db()
    assert not old_pm.is_active and old_pm.next_reminder_at is None
    assert am.is_active and new_pm.is_active
