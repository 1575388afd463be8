"""Property-based tests (hypothesis): over random profiles and random catalogues, every plan the builder
returns satisfies every invariant of the issue (routines/tests/invariants.py). Pure logic, no database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import actives as A
from domain import vocabulary as V
from routines.builder import STEP_OF_CATEGORY, BuilderProfile, Candidate, MeasuredConcern, build_routines

from .invariants import check_plan

CLASSES = sorted(A.ACTIVE_KEYS)
CATEGORIES = sorted(STEP_OF_CATEGORY) + ["mask"]
ALLERGENS = ["linalool", "limonene", "salicylic acid", "niacinamide", "parfum", "lanolin"]
INGREDIENTS = ["aqua", "glycerin", "squalane", "linalool", "limonene", "parfum", "lanolin", "niacinamide"]


@st.composite
def candidates(draw, index: int) -> Candidate:
    category = draw(st.sampled_from(CATEGORIES))
    actives = frozenset(draw(st.sets(st.sampled_from(CLASSES), max_size=3)))
    strong = actives & A.STRONG
    gentle = frozenset(draw(st.sets(st.sampled_from(sorted(strong)), max_size=len(strong)))) if strong else frozenset()
    ingredients = tuple(draw(st.sets(st.sampled_from(INGREDIENTS), min_size=1, max_size=4)))
    price = draw(st.one_of(st.none(), st.integers(min_value=3, max_value=90)))
    spf = draw(st.sampled_from([None, 15, 30, 50])) if category in ("sunscreen", "moisturizer") else None
    levels = [A.ACTIVE_BY_KEY[a].pregnancy.level for a in actives]
    pregnancy = draw(st.sampled_from(["none", "caution", "avoid"])) if draw(st.booleans()) else "none"
    if "avoid" in levels:
        pregnancy = "avoid"
    return Candidate(
        id=f"p{index}",
        name=f"Product {index}",
        brand=draw(st.sampled_from(["Alpha", "Beta", "Gamma"])),
        category=category,
        price=Decimal(price) if price is not None else None,
        spf=spf,
        is_vegan=draw(st.booleans()),
        has_fragrance="parfum" in ingredients or "linalool" in ingredients,
        ingredients=ingredients,
        actives=actives,
        targets=frozenset(draw(st.sets(st.sampled_from(V.CONCERN_KEYS), max_size=3))),
        suits_skin_types=frozenset(draw(st.sets(st.sampled_from(V.SKIN_TYPE_KEYS), max_size=2))),
        bothers_skin_types=frozenset(draw(st.sets(st.sampled_from(V.SKIN_TYPE_KEYS), max_size=1))),
        owned=draw(st.booleans()) and draw(st.booleans()),
        pregnancy_level=pregnancy,
        gentle_classes=gentle,
    )


@st.composite
def catalogs(draw) -> list[Candidate]:
    n = draw(st.integers(min_value=0, max_value=30))
    return [draw(candidates(i)) for i in range(n)]


profiles = st.builds(
    BuilderProfile,
    skin_type=st.one_of(st.none(), st.sampled_from(V.SKIN_TYPE_KEYS)),
    concerns=st.lists(st.sampled_from(V.CONCERN_KEYS), max_size=4, unique=True).map(tuple),
    allergies=st.lists(st.sampled_from(ALLERGENS), max_size=2, unique=True).map(tuple),
    pregnant=st.booleans(),
    budget=st.sampled_from(V.BUDGET_KEYS),
    preferences=st.lists(st.sampled_from(["vegan", "fragrance_free", "minimal"]), max_size=2, unique=True).map(tuple),
    max_steps=st.one_of(st.none(), st.integers(min_value=2, max_value=8)),
)
measured = st.lists(
    st.builds(
        MeasuredConcern,
        key=st.sampled_from(V.MEASURED_CONCERN_KEYS),
        severity=st.sampled_from(V.SEVERITIES),
        score=st.integers(min_value=0, max_value=100),
        regions=st.lists(st.sampled_from(V.REGION_KEYS), max_size=3, unique=True).map(tuple),
    ),
    max_size=6,
    unique_by=lambda m: m.key,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles, catalog=catalogs(), concerns=measured)
def test_every_plan_keeps_every_rule(profile, catalog, concerns):
    routines = build_routines(profile=profile, measured=concerns, candidates=catalog)
    check_plan(routines, profile, catalog)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles, catalog=catalogs(), concerns=measured)
def test_one_routine_is_the_same_as_in_the_pair(profile, catalog, concerns):
    """Asking for the evening only gives the evening of the pair (the plan is made for both)."""
    am, pm = build_routines(profile=profile, measured=concerns, candidates=catalog)
    (alone,) = build_routines(profile=profile, measured=concerns, candidates=catalog, periods=("pm",))
    assert [(s.product_name, s.days, s.schedule) for s in alone.steps] == [
        (s.product_name, s.days, s.schedule) for s in pm.steps
    ]
