"""Writes of the routines app: build and save routines, edit, start, complete steps, the shelf.

The builder itself is pure (builder.py); this module feeds it from the database: the profile, the
latest finished analysis, the user's shelf (owned products first) and the catalog.
Reminders live in reminders.py (the dispatcher) and are re-exported here.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from domain import actives as domain_actives
from domain import messages as M
from domain import vocabulary as domain_vocab
from domain.i18n import N_
from skincare.core import readcache
from skincare.core.errors import DomainError, NotFound

from . import builder
from .models import ALL_DAYS, CATEGORY_ORDER, STEP_CATEGORIES, Routine, RoutineStep, ShelfItem, StepCompletion
from .selectors import (
    day_completion,
    latest_done_analysis,
    local_today,
    profile_of,
    shelf_owned_product_ids,
    user_zone,
)

logger = logging.getLogger(__name__)

CATALOG_LIMIT_PER_CATEGORY = 200  # bounded: the builder never loads the whole catalog


# --- builder inputs ---------------------------------------------------------------------------------
def builder_profile(profile, *, budget: str | None = None, max_steps: int | None = None) -> builder.BuilderProfile:
    return builder.BuilderProfile(
        skin_type=profile.skin_type or None,
        concerns=tuple(profile.concerns or ()),
        allergies=tuple(str(a) for a in (profile.allergies or ()) if str(a).strip()),
        pregnant=bool(profile.pregnant_or_nursing),
        budget=budget or profile.budget or "medium",
        preferences=tuple(profile.preferences or ()),
        max_steps=max_steps or profile.max_steps or None,
    )


def measured_concerns(analysis) -> list[builder.MeasuredConcern]:
    """Concerns of a finished analysis, worst regions first (region scores: 100 = best)."""
    out = []
    for concern in (analysis.concerns or []) if analysis else []:
        key, severity = concern.get("key"), concern.get("severity") or "none"
        if not key or severity not in builder.SEVERITY_WEIGHT:
            continue
        regions = concern.get("regions") or {}
        scored = sorted(
            ((name, score) for name, score in regions.items() if isinstance(score, int | float)),
            key=lambda item: item[1],
        )
        worst = [name for name, score in scored if score < 70][:3]
        out.append(
            builder.MeasuredConcern(key=key, severity=severity, score=concern.get("score"), regions=tuple(worst))
        )
    return out


def _candidate(product, *, owned: bool, profile) -> builder.Candidate:
    from ingredients.services import product_is_safe_for

    names: list[str] = []
    actives: set[str] = set()
    targets: set[str] = set()
    suits: set[str] = set()
    bothers: set[str] = set()
    fragrance = False
    pregnancy = "none"
    forms: dict[str, set[bool]] = {}  # strong class → {is its form gentle?} over the ingredients carrying it
    for pi in product.product_ingredients.all():
        names.append(pi.raw_name.lower())
        ing = pi.ingredient
        if ing is None:
            fragrance |= domain_vocab.is_fragrance_name(pi.raw_name)
            continue
        names.append(ing.inci_name.lower())
        names.extend(str(s).lower() for s in ing.synonyms or [])
        if ing.active_class:
            actives.add(ing.active_class)
            forms.setdefault(ing.active_class, set()).add(domain_actives.is_gentle_form(ing.inci_name))
        pregnancy = _stricter(pregnancy, ing.pregnancy_caution or "none")
        targets.update(ing.targets or [])
        suits.update(ing.suits_skin_types or [])
        bothers.update(ing.bothers_skin_types or [])
        fragrance |= ing.is_fragrance or domain_vocab.is_fragrance_name(ing.inci_name)
    memo: list = []

    def check() -> tuple[bool, list[str]]:
        # The ingredient service knows groups ("fragrance" → parfum + labelled allergens) and
        # pregnancy-avoid actives; it costs queries, so the builder only asks for products it picks.
        if not memo:
            memo.append(product_is_safe_for(product=product, profile=profile))
        return memo[0]

    return builder.Candidate(
        id=str(product.id),
        name=product.name,
        brand=product.brand,
        category=product.category,
        price=Decimal(product.price) if product.price is not None else None,
        spf=product.spf,
        is_vegan=bool(product.is_vegan),
        has_fragrance=fragrance,
        ingredients=tuple(names),
        actives=frozenset(actives),
        targets=frozenset(targets),
        suits_skin_types=frozenset(suits - bothers),
        bothers_skin_types=frozenset(bothers),
        owned=owned,
        pregnancy_level=pregnancy,
        gentle_classes=frozenset(c for c, gentle in forms.items() if gentle == {True}),
        check=check,
    )


def _stricter(a: str, b: str) -> str:
    order = [level for level, _ in domain_actives.PREGNANCY_LEVELS]
    return max(a, b, key=lambda level: order.index(level) if level in order else 0)


def catalog_candidates(*, user, profile) -> tuple[list[builder.Candidate], dict]:
    """The user's shelf products first, then the catalog (bounded per category)."""
    from ingredients.models import Product, ProductIngredient

    owned_ids = shelf_owned_product_ids(user=user)
    prefetch = Prefetch(
        "product_ingredients", queryset=ProductIngredient.objects.select_related("ingredient").order_by("position")
    )
    products: dict = {}
    for p in Product.objects.filter(pk__in=owned_ids).prefetch_related(prefetch):
        products[p.pk] = p
    for category in builder.STEP_OF_CATEGORY:
        qs = (
            Product.objects.filter(category=category)
            .exclude(pk__in=list(products))
            .order_by("price", "brand", "name")
            .prefetch_related(prefetch)
        )
        for p in qs[:CATALOG_LIMIT_PER_CATEGORY]:
            products[p.pk] = p
    candidates = [_candidate(p, owned=p.pk in owned_ids, profile=profile) for p in products.values()]
    return candidates, products


# --- routines ----------------------------------------------------------------------------------------
def _periods(period: str | None) -> list[str]:
    if period in (None, "", "both"):
        return ["am", "pm"]
    if period not in ("am", "pm"):
        raise DomainError(_("Period is am, pm or both."), code="invalid_period")
    return [period]


def routine_plan(
    *, user, period: str | None = "both", budget: str | None = None, max_steps: int | None = None
) -> tuple[list[builder.PlannedRoutine], dict, dict]:
    """Build routines without saving them: (plans, products by id, basis)."""
    if budget not in (None, "", *builder.BUDGET_CAPS):
        raise DomainError(_("Budget is low, medium or high."), code="invalid_budget")
    if max_steps is not None and not (1 <= int(max_steps) <= 12):
        raise DomainError(_("max_steps is between 1 and 12."), code="invalid_max_steps")
    profile = profile_of(user)
    bprofile = builder_profile(profile, budget=budget or None, max_steps=max_steps)
    analysis = latest_done_analysis(user=user)
    measured = measured_concerns(analysis)
    candidates, products = catalog_candidates(user=user, profile=profile)
    plans = builder.build_routines(profile=bprofile, measured=measured, candidates=candidates, periods=_periods(period))
    basis = {
        "analysis": str(analysis.id) if analysis else None,
        "skin_type": bprofile.skin_type or (analysis.skin_type if analysis else None),
        "concerns": [m.key for m in measured if m.severity != "none"] or list(bprofile.concerns),
        "budget": bprofile.budget,
        "max_steps": bprofile.max_steps,
        "pregnant_or_nursing": bprofile.pregnant,
        "preferences": list(bprofile.preferences),
        "catalog_size": len(candidates),
    }
    return plans, products, basis


@transaction.atomic
def routine_create_from_plan(*, user, plan: builder.PlannedRoutine, products: dict, basis: dict) -> Routine:
    msgs: dict = {"warnings": dict(zip(plan.warnings, plan.warning_msgs, strict=False))}
    if plan.name_msg:
        msgs["name"] = plan.name_msg
    routine = Routine.objects.create(
        user=user,
        name=plan.name,
        period=plan.period,
        warnings=plan.warnings,
        rules=plan.rules,
        basis=basis,
        msgs=msgs,
    )
    RoutineStep.objects.bulk_create(
        [
            RoutineStep(
                routine=routine,
                order=s.order,
                category=s.category,
                product=products.get(_pk(s.product)) if s.product else None,
                product_name=s.product_name,
                reason=s.reason,
                instructions=s.instructions,
                wait_seconds=s.wait_seconds,
                days=list(s.days),
                actives=list(s.actives),
                schedule=[{"week": week, "days": list(days)} for week, days in s.schedule],
                timing=s.timing,
                msgs={
                    field: message
                    for field, message in (
                        ("reason", s.reason_msg),
                        ("instructions", s.instructions_msg),
                        ("timing", s.timing_msg),
                    )
                    if message
                },
            )
            for s in plan.steps
        ]
    )
    return routine


def _pk(candidate: builder.Candidate):
    import uuid

    return uuid.UUID(candidate.id)


@transaction.atomic
def routine_generate(
    *, user, period: str | None = "both", budget: str | None = None, max_steps: int | None = None
) -> list[Routine]:
    plans, products, basis = routine_plan(user=user, period=period, budget=budget, max_steps=max_steps)
    return [routine_create_from_plan(user=user, plan=p, products=products, basis=basis) for p in plans]


def _product_for(value):
    from ingredients.models import Product

    if value in (None, ""):
        return None
    if isinstance(value, Product):
        return value
    try:
        return Product.objects.get(pk=value)
    except (Product.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
        raise DomainError(_("No such product."), code="product_not_found") from exc


def _clean_days(days) -> list[int]:
    if days in (None, []):
        return list(ALL_DAYS)
    try:
        out = sorted({int(d) for d in days})
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Days are weekday numbers, Monday = 0 … Sunday = 6."), code="invalid_days") from exc
    if any(d not in ALL_DAYS for d in out):
        raise DomainError(_("Days are weekday numbers, Monday = 0 … Sunday = 6."), code="invalid_days")
    return out


def routine_conflict_warnings(routine: Routine) -> list[M.Msg]:
    """Warnings (messages) for steps whose actives conflict on a shared day (after a manual edit)."""
    steps = list(routine.steps.all())
    warnings = []
    for i, a in enumerate(steps):
        for b in steps[i + 1 :]:
            pairs = builder.conflicts(a.actives or [], b.actives or [])
            weeks = {1} | {int(p["week"]) for p in (a.schedule or []) + (b.schedule or [])}
            shared = set().union(*(set(a.days_in_week(w)) & set(b.days_in_week(w)) for w in weeks))
            if pairs and shared:
                x, y = pairs[0]
                warnings.append(
                    M.msg(
                        N_(
                            "%(product)s (%(active)s) and %(other_product)s (%(other_active)s) share %(days)s: "
                            "use them on different days."
                        ),
                        product=a.product_name or M.term("category", a.category),
                        active=M.term("active", x),
                        other_product=b.product_name or M.term("category", b.category),
                        other_active=M.term("active", y),
                        days=M.days_of_list(shared),
                    )
                )
    return warnings


@transaction.atomic
def routine_update(
    *,
    routine: Routine,
    name: str | None = None,
    is_active: bool | None = None,
    steps: list[dict] | None = None,
    now: datetime | None = None,
) -> Routine:
    """Edit a routine. `steps`, when given, is the whole new list: steps with a known `id` are updated
    (their completions kept), new ones created, missing ones deleted."""
    # A client that sends back the words it was shown (in its language) changes nothing: the English text and
    # its message stay, so the routine keeps speaking every reader's language.
    if name is not None and name.strip() != routine.name_text:
        routine.name = name.strip()[:120] or routine.name
    if steps is not None:
        existing = {s.id: s for s in routine.steps.all()}
        keep = []
        for index, data in enumerate(steps, start=1):
            category = data.get("category")
            if category not in dict(STEP_CATEGORIES):
                raise DomainError(
                    _("Step category is one of %(categories)s.") % {"categories": ", ".join(CATEGORY_ORDER)},
                    code="invalid_step_category",
                )
            if category == "protect" and routine.period == "pm":
                raise DomainError(_("Sunscreen belongs in the morning routine."), code="protect_in_evening")
            step = existing.get(data.get("id")) if data.get("id") else None
            if data.get("id") and step is None:
                raise DomainError(_("A step id does not belong to this routine."), code="step_not_found")
            step = step or RoutineStep(routine=routine)
            step.category = category
            step.order = data.get("order") or index
            if "product" in data:
                product = _product_for(data.get("product"))
                step.product = product
                step.product_name = f"{product.brand} {product.name}" if product else data.get("product_name", "")
                if product is not None:
                    from ingredients.selectors import product_active_classes

                    step.actives = sorted(product_active_classes(product))
                else:
                    step.actives = []
            elif "product_name" in data:
                step.product_name = data["product_name"] or ""
            for field in ("instructions", "reason"):
                if field in data and (step._state.adding or (data[field] or "") != getattr(step, f"{field}_text")):
                    setattr(step, field, data[field] or "")
            if "wait_seconds" in data:
                step.wait_seconds = max(0, int(data["wait_seconds"] or 0))
            if "days" in data or step._state.adding:
                days = _clean_days(data.get("days"))
                if step.schedule and days != sorted(step.days or ALL_DAYS):
                    step.schedule, step.timing = [], ""  # the person set the days: they hold every week
                    step.msgs = {k: v for k, v in (step.msgs or {}).items() if k != "timing"}
                step.days = days
            step.save()
            keep.append(step.id)
        routine.steps.exclude(id__in=keep).delete()
        ordered = sorted(routine.steps.all(), key=lambda s: (s.order, CATEGORY_ORDER[s.category]))
        for i, s in enumerate(ordered, start=1):
            if s.order != i:
                RoutineStep.objects.filter(pk=s.pk).update(order=i)
                readcache.changed(routine.user_id)
        if hasattr(routine, "_prefetched_objects_cache"):
            routine._prefetched_objects_cache.pop("steps", None)
        generated = [w for w in routine.warnings if "share" not in w]
        conflicts = routine_conflict_warnings(routine)
        routine.warnings = list(dict.fromkeys(generated + [M.render(m) for m in conflicts]))
        known = {**((routine.msgs or {}).get("warnings") or {}), **{M.render(m): m for m in conflicts}}
        routine.msgs = {**(routine.msgs or {}), "warnings": {w: known[w] for w in routine.warnings if w in known}}
    routine.save()
    if is_active is not None:
        if is_active and not routine.is_active:
            routine_start(routine=routine, now=now)
        elif not is_active and routine.is_active:
            routine_stop(routine=routine)
    return routine


@transaction.atomic
def routine_delete(*, routine: Routine) -> None:
    routine.delete()


@transaction.atomic
def routine_start(*, routine: Routine, now: datetime | None = None) -> Routine:
    """Activate the routine; reminders start at the profile's reminder time for its period.

    One active routine per period: starting a new morning routine pauses the previous one, so the
    checklist and the reminders never show two morning routines.
    """
    from .reminders import routine_schedule

    now = now or timezone.now()
    for other in Routine.objects.filter(user_id=routine.user_id, period=routine.period, is_active=True).exclude(
        pk=routine.pk
    ):
        routine_stop(routine=other)
    routine.is_active = True
    routine.started_at = routine.started_at or now
    routine.save(update_fields=["is_active", "started_at", "updated_at"])
    routine_schedule(routine=routine, now=now)
    return routine


@transaction.atomic
def routine_stop(*, routine: Routine) -> Routine:
    routine.is_active = False
    routine.next_reminder_at = None
    routine.next_reminder_date = None
    routine.save(update_fields=["is_active", "next_reminder_at", "next_reminder_date", "updated_at"])
    return routine


def step_complete(*, routine: Routine, step_id, day: date | None = None, now: datetime | None = None) -> dict:
    """Mark a step done for a day (the user's local today by default). Idempotent per step and day."""
    today = local_today(routine.user, now)
    day = day or today
    if day > today:
        raise DomainError(_("A step cannot be completed in the future."), code="date_in_future")
    if (today - day).days > 30:
        raise DomainError(_("Steps can be completed up to 30 days back."), code="date_too_old")
    step = next((s for s in routine.steps.all() if str(s.id) == str(step_id)), None)
    if step is None:
        raise NotFound(_("No such step in this routine."), code="step_not_found")
    if not step.runs_on_date(day, user_zone(routine.user)):
        raise DomainError(_("This step is not scheduled on that day."), code="step_not_scheduled")
    try:
        with transaction.atomic():
            StepCompletion.objects.get_or_create(
                step=step, date=day, defaults={"user_id": routine.user_id, "routine": routine}
            )
    except IntegrityError:
        pass  # a concurrent request completed it first: same outcome
    return day_completion(routine=routine, day=day)


def step_uncomplete(*, routine: Routine, step_id, day: date) -> dict:
    StepCompletion.objects.filter(routine=routine, step_id=step_id, date=day).delete()
    return day_completion(routine=routine, day=day)


# --- shelf -------------------------------------------------------------------------------------------
def _apply_dates(item: ShelfItem) -> None:
    from .freshness import expiry_dates

    if item.pao_months is not None and not (1 <= item.pao_months <= 120):
        raise DomainError(_("Period after opening is 1 to 120 months."), code="invalid_pao")
    if item.opened_on and item.opened_on > timezone.now().date() + timedelta(days=1):
        raise DomainError(_("The opening date is in the future."), code="opened_in_future")
    item.expires_on, item.use_soon_on = expiry_dates(
        opened_on=item.opened_on, pao_months=item.pao_months, best_before=item.best_before
    )


@transaction.atomic
def shelf_item_create(
    *,
    user,
    product=None,
    name: str = "",
    brand: str = "",
    category: str = "",
    opened_on: date | None = None,
    pao_months: int | None = None,
    best_before: date | None = None,
    notes: str = "",
) -> ShelfItem:
    product = _product_for(product)
    if product is None and not name.strip():
        raise DomainError(_("Give a catalog product or a name."), code="product_or_name_required")
    item = ShelfItem(
        user=user,
        product=product,
        name=(name or (product.name if product else "")).strip()[:255],
        brand=(brand or (product.brand if product else "")).strip()[:120],
        category=category or (product.category if product else ""),
        opened_on=opened_on,
        pao_months=pao_months if pao_months is not None else (product.pao_months if product else None),
        best_before=best_before,
        notes=notes,
    )
    _apply_dates(item)
    item.save()
    return item


@transaction.atomic
def shelf_item_update(*, item: ShelfItem, **fields) -> ShelfItem:
    allowed = {"name", "brand", "category", "opened_on", "pao_months", "best_before", "notes", "product"}
    for key, value in fields.items():
        if key not in allowed:
            continue
        if key == "product":
            value = _product_for(value)
        setattr(item, key, value)
    _apply_dates(item)
    item.save()
    return item


@transaction.atomic
def shelf_item_delete(*, item: ShelfItem) -> None:
    item.delete()


def __getattr__(name: str):  # re-export the dispatcher without an import cycle
    if name in {"reminders_dispatch", "routine_schedule"}:
        from . import reminders

        return getattr(reminders, name)
    raise AttributeError(name)
