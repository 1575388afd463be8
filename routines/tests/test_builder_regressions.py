"""Plans the property-based search once found breaking a rule (routines/tests/test_builder_properties.py), kept as
fixed cases so that they are checked on every run whatever examples the search draws."""

from __future__ import annotations

from domain import actives as A
from routines.builder import BuilderProfile, Candidate, MeasuredConcern, build_routines

from .invariants import check_plan


def _product(index: int, category: str, actives: set[str], **kw) -> Candidate:
    levels = {A.ACTIVE_BY_KEY[a].pregnancy.level for a in actives}
    return Candidate(
        id=f"p{index}",
        name=f"Product {index}",
        brand="Alpha",
        category=category,
        ingredients=("aqua", "glycerin"),
        actives=frozenset(actives),
        pregnancy_level="avoid" if "avoid" in levels else kw.pop("pregnancy_level", "none"),
        **kw,
    )


def test_one_product_with_ascorbic_acid_and_a_derivative_is_one_vitamin_c_treatment():
    essence = _product(0, "essence", {"vitamin_c", "vitamin_c_derivative"})
    profile = BuilderProfile(budget="low")
    concerns = [MeasuredConcern(key="wrinkles", severity="mild", score=70)]
    routines = build_routines(profile=profile, measured=concerns, candidates=[essence])
    check_plan(routines, profile, [essence])
    am = next(r for r in routines if r.period == "am")
    assert [s.product for s in am.steps if s.product] == [essence]  # chosen, in the morning, once


def test_a_strong_treatment_used_every_evening_says_when_and_why():
    """Hydroquinone beside sulfur in one spot treatment: no ramp (every evening), but strong, so its timing is
    written out like any scheduled active's."""
    spot = _product(4, "spot_treatment", {"sulfur", "hydroquinone", "brightening"}, owned=True, is_vegan=True)
    profile = BuilderProfile(concerns=("acne",), allergies=("parfum", "limonene"), preferences=("vegan",))
    concerns = [MeasuredConcern(key="acne", severity="moderate", score=45, regions=("chin",))]
    routines = build_routines(profile=profile, measured=concerns, candidates=[spot])
    check_plan(routines, profile, [spot])
    pm = next(r for r in routines if r.period == "pm")
    step = next(s for s in pm.steps if s.product == spot)
    assert step.strong and step.timing.startswith("Alpha Product 4 (hydroquinone)")
