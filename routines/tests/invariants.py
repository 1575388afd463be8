"""What every plan the builder returns must satisfy (issue 11), checked the same way by the grid, the
property-based tests and the dermatologist's cases. Plain asserts with messages that say which rule broke."""

from __future__ import annotations

import itertools

from domain import actives as A
from domain import conflicts as C
from routines.builder import (
    ALL_DAYS,
    BUDGET_CAPS,
    MIN_SPF,
    ORDER,
    BuilderProfile,
    Candidate,
    PlannedRoutine,
    allergen_hits,
    eligible,
)

WEEKS = range(1, 21)
ACIDS = A.EXFOLIANTS


def _classes(step) -> set[str]:
    return set(step.actives)


def check_plan(routines: list[PlannedRoutine], profile: BuilderProfile, candidates: list[Candidate]) -> None:
    by_period = {r.period: r for r in routines}
    for routine in routines:
        check_routine(routine, profile, candidates)
    if set(by_period) == {"am", "pm"}:
        check_week(by_period["am"], by_period["pm"], profile)
        check_introduction(routines, profile)


def check_routine(routine: PlannedRoutine, profile: BuilderProfile, candidates: list[Candidate]) -> None:
    period = routine.period
    positions = [ORDER.index(s.category) for s in routine.steps]
    assert positions == sorted(positions), f"order: {[s.category for s in routine.steps]}"
    assert [s.order for s in routine.steps] == list(range(1, len(routine.steps) + 1))
    for step in routine.steps:
        assert step.reason and step.instructions, step
        assert step.wait_seconds >= 0
        assert set(step.days) <= set(ALL_DAYS) and step.days, step
        for week, days in step.schedule:
            assert week >= 1 and days and set(days) <= set(ALL_DAYS), step.schedule
        product = step.product
        if product is None:
            continue
        assert step.actives == tuple(sorted(product.actives))
        assert eligible(product, profile)[0], (product.label, eligible(product, profile))
        assert not allergen_hits(product, profile.allergies), (product.label, profile.allergies)
        if profile.pregnant:
            levels = {A.ACTIVE_BY_KEY[a].pregnancy.level for a in product.actives} | {product.pregnancy_level}
            assert levels <= {"none"}, f"pregnancy: {product.label} {levels}"
        # when: vitamin C in the morning; retinoids, acids and hydroquinone in the evening; BPO mornings
        if period == "pm":
            assert not product.actives & {"vitamin_c", "vitamin_c_derivative", "benzoyl_peroxide"}, product.label
            assert step.category != "protect"
        else:
            assert not product.actives & A.PM_ONLY, f"evening-only active in the morning: {product.label}"
        # strong actives only as scheduled treatments (a serum, or an acid toner)
        if step.role == "base":
            assert not product.actives & A.STRONG, f"strong active in a daily {step.category}: {product.label}"
        if profile.reactive:
            for cls in product.actives & A.STRONG:
                assert A.ACTIVE_BY_KEY[cls].reactive_ok and cls in product.gentle_classes, (product.label, cls)
        # the budget: over the cap only when no plain product within it could take a daily base step
        cap = BUDGET_CAPS[profile.budget]
        if step.category in ("cleanse", "protect") and cap is not None and product.price is not None:
            if product.price > cap and not product.owned:
                cheaper = [
                    c
                    for c in candidates
                    if c.step == product.step
                    and not c.actives
                    and c.price is not None
                    and c.price <= cap
                    and eligible(c, profile)[0]
                    and (c.step != "protect" or (c.spf or 0) >= MIN_SPF)
                ]
                assert not cheaper, f"{product.label} over budget while {cheaper[0].label} fits"
    # redundancy: one product per strong family, a treatment family in at most two steps, one treatment
    # product per family
    present = {a for s in routine.steps for a in s.actives}
    for family, n in A.redundancy_counts(_classes(s) for s in routine.steps).items():
        assert n <= A.family_limit(family, present), f"{family} in {n} steps of the {period} routine"
    treats = [s for s in routine.steps if s.role != "base" and s.product]
    # one product carrying two members of a family (ascorbic acid and a derivative) is one treatment of it
    fams = [f for s in treats for f in {A.family_of(a) for a in set(s.actives) & A.TREATMENTS}]
    assert len(fams) == len(set(fams)), f"two treatments of one active class: {fams}"
    # keep-apart pairs never in one routine when they must be a routine apart
    for a, b in itertools.combinations(routine.steps, 2):
        for x, y in itertools.product(_classes(a), _classes(b)):
            c = C.conflict_between(x, y)
            if c is not None and c.apart == "routine":
                raise AssertionError(f"{x} and {y} in one {period} routine")
    limit = {"am": 1, "pm": 1} if profile.reactive else {"am": 1, "pm": 3}
    assert len(treats) <= limit[period], f"{len(treats)} treatments in the {period} routine"
    if period == "am":
        protect = [s for s in routine.steps if s.category == "protect"]
        assert len(protect) == 1 and protect[0] is routine.steps[-1], "sunscreen is the last morning step"
        assert protect[0].product is None or (protect[0].product.spf or 0) >= MIN_SPF
    else:
        assert not [s for s in routine.steps if s.category == "protect"]
    if profile.pregnant:
        assert any(r["code"] == "pregnancy" for r in routine.rules)
    for rule in routine.rules:
        assert rule["text"] and rule["source"], rule
    for step in routine.steps:
        if step.product is not None and (step.schedule or step.category == "treat" and step.strong):
            assert step.timing, f"no timing for {step.product_name}"


def check_week(am: PlannedRoutine, pm: PlannedRoutine, profile: BuilderProfile) -> None:
    plan = am.steps + pm.steps
    assert sum(1 for s in plan if s.product and "retinoid" in s.actives) <= 1, "one retinoid in the plan"
    assert sum(1 for s in plan if s.product and set(s.actives) & ACIDS) <= 1, "one exfoliant in the plan"
    has_retinoid = any("retinoid" in s.actives for s in pm.steps)
    acid_seen = ret_seen = False
    prev_ret = 0
    for week in WEEKS:
        days_am = {d: [s for s in am.steps if d in s.days_in_week(week)] for d in ALL_DAYS}
        days_pm = {d: [s for s in pm.steps if d in s.days_in_week(week)] for d in ALL_DAYS}
        for d in ALL_DAYS:
            today = days_am[d] + days_pm[d]
            for a, b in itertools.combinations(today, 2):
                for x, y in itertools.product(_classes(a), _classes(b)):
                    c = C.conflict_between(x, y)
                    assert c is None or c.apart != "day", f"week {week} day {d}: {x} with {y}"
            treats_tonight = [s for s in days_pm[d] if s.role != "base"]
            assert len(treats_tonight) <= 2, f"week {week} day {d}: {len(treats_tonight)} treatments"
        acid = [d for d in ALL_DAYS if any(_classes(s) & ACIDS for s in days_pm[d])]
        ret = [d for d in ALL_DAYS if any("retinoid" in s.actives for s in days_pm[d])]
        assert len(acid) <= 3, f"week {week}: acids on {len(acid)} evenings"
        if acid and not acid_seen:
            assert len(acid) <= 2, f"acids start at {len(acid)} evenings, not 2"
            acid_seen = True
        if acid and (profile.reactive or profile.dry or has_retinoid):
            assert len(acid) <= 2, f"week {week}: {len(acid)} acid evenings for reactive/dry skin or with a retinoid"
        assert not set(acid) & set(ret), f"week {week}: acid on a retinoid evening"
        if ret:
            if not ret_seen:
                assert 2 <= len(ret) <= 3, f"retinoid starts at {len(ret)} evenings"
                ret_seen = True
            assert len(ret) >= prev_ret, f"week {week}: retinoid evenings went down ({prev_ret} → {len(ret)})"
            prev_ret = len(ret)
        if acid or ret:
            rest = [d for d in ALL_DAYS if d not in acid and d not in ret]
            assert len(rest) >= A.MIN_RECOVERY_NIGHTS, f"week {week}: {len(rest)} recovery evenings"
            for d in rest:
                cats = {s.category for s in days_pm[d]}
                assert cats <= {"cleanse", "moisturize"}, f"week {week} day {d}: recovery evening has {cats}"
                assert all(s.role == "base" for s in days_pm[d])


def check_introduction(routines: list[PlannedRoutine], profile: BuilderProfile) -> None:
    """One new active at a time: strong actives (and, for reactive skin, every treatment) start at least
    two weeks apart."""
    treats = [s for r in routines for s in r.steps if s.role != "base" and s.product]
    staged = [s for s in treats if profile.reactive or s.strong]
    starts = sorted(s.starts_week for s in staged)
    for a, b in itertools.pairwise(starts):
        assert b - a >= A.INTRODUCTION_WEEKS, f"new actives start in weeks {starts}"
    if len(staged) > 1:
        assert any(r["code"] == "introduce_one_at_a_time" for r in routines[0].rules)
