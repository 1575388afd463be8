"""The builder over a grid of profiles: every invariant of routines/tests/invariants.py, plus reasons,
budget, preferences and the empty catalogue (pure logic: no database)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from domain.vocabulary import SKIN_TYPE_KEYS
from routines.builder import (
    SEVERITY_WEIGHT,
    BuilderProfile,
    Candidate,
    MeasuredConcern,
    build_routine,
    build_routines,
    eligible,
)

from .invariants import check_plan


def cand(name, category, price, actives=(), targets=(), ingredients=(), spf=None, **kw) -> Candidate:
    return Candidate(
        id=name,
        name=name,
        brand="Test",
        category=category,
        price=Decimal(str(price)) if price is not None else None,
        spf=spf,
        actives=frozenset(actives),
        targets=frozenset(targets),
        ingredients=tuple(ingredients) or ("aqua", "glycerin"),
        **kw,
    )


def catalog() -> list[Candidate]:
    """A small catalog with cheap and dear options, conflicting actives and common allergens."""
    return [
        cand("Gentle Cleanser", "cleanser", 9, ingredients=("aqua", "glycerin", "coco-glucoside")),
        cand("Luxe Cleanser", "cleanser", 60, ingredients=("aqua", "linalool", "parfum"), has_fragrance=True),
        cand("BHA Cleanser", "cleanser", 14, actives={"bha"}, ingredients=("aqua", "salicylic acid")),
        cand("Hydrating Toner", "toner", 12, actives={"hyaluronic_acid"}, ingredients=("aqua", "sodium hyaluronate")),
        cand("Glycolic Toner", "toner", 18, actives={"aha"}, ingredients=("aqua", "glycolic acid")),
        cand("Retinol Serum", "serum", 25, actives={"retinoid"}, ingredients=("aqua", "retinol", "squalane")),
        cand("Retinal Luxe", "serum", 85, actives={"retinoid"}, ingredients=("aqua", "retinal")),
        cand("Niacinamide 10%", "serum", 8, actives={"niacinamide"}, ingredients=("aqua", "niacinamide", "zinc pca")),
        cand(
            "Vitamin C 15%", "serum", 30, actives={"vitamin_c"}, ingredients=("aqua", "ascorbic acid", "ferulic acid")
        ),
        cand("Azelaic 10%", "treatment", 16, actives={"azelaic_acid"}, ingredients=("aqua", "azelaic acid")),
        cand("Bakuchiol Serum", "serum", 22, actives={"bakuchiol"}, ingredients=("squalane", "bakuchiol")),
        cand(
            "BPO Gel 5%", "spot_treatment", 11, actives={"benzoyl_peroxide"}, ingredients=("aqua", "benzoyl peroxide")
        ),
        cand("Hydroquinone 2%", "treatment", 19, actives={"hydroquinone"}, ingredients=("aqua", "hydroquinone")),
        cand("AHA Peel", "exfoliant", 21, actives={"aha"}, ingredients=("aqua", "lactic acid")),
        cand("Caffeine Eye", "eye", 10, targets={"dark_circles"}, ingredients=("aqua", "caffeine")),
        cand("Barrier Cream", "moisturizer", 15, actives={"ceramide"}, ingredients=("aqua", "ceramide np")),
        cand("Rich Cream", "moisturizer", 70, ingredients=("aqua", "shea butter", "limonene"), has_fragrance=True),
        cand("Sunscreen 50", "sunscreen", 17, spf=50, ingredients=("aqua", "zinc oxide")),
        cand("Tinted SPF 15", "sunscreen", 12, spf=15, ingredients=("aqua", "titanium dioxide")),
        cand("Luxe Sunscreen 30", "sunscreen", 48, spf=30, ingredients=("aqua", "avobenzone", "linalool")),
    ]


def analysis_for(skin_type: str) -> list[MeasuredConcern]:
    if skin_type in ("oily", "combination"):
        return [
            MeasuredConcern("oiliness", "moderate", 45, ("forehead", "nose")),
            MeasuredConcern("acne", "mild", 70, ("chin",)),
            MeasuredConcern("wrinkles", "none", 95, ()),
        ]
    return [
        MeasuredConcern("wrinkles", "moderate", 50, ("forehead",)),
        MeasuredConcern("pigmentation", "mild", 68, ("left_cheek", "right_cheek")),
        MeasuredConcern("redness", "severe", 30, ("left_cheek",)),
    ]


GRID = list(
    itertools.product(
        SKIN_TYPE_KEYS,
        [False, True],  # pregnant
        [(), ("linalool",), ("salicylic acid", "niacinamide")],  # allergies
        ["low", "medium", "high"],
        [False, True],  # with an analysis
    )
)


@pytest.mark.parametrize(("skin_type", "pregnant", "allergies", "budget", "with_analysis"), GRID)
def test_builder_grid(skin_type, pregnant, allergies, budget, with_analysis):
    candidates = catalog()
    concerns = ("acne", "pigmentation") if skin_type in ("oily", "combination") else ("wrinkles", "dryness")
    profile = BuilderProfile(
        skin_type=skin_type, concerns=concerns, allergies=allergies, pregnant=pregnant, budget=budget
    )
    measured = analysis_for(skin_type) if with_analysis else []
    routines = build_routines(profile=profile, measured=measured, candidates=candidates)
    check_plan(routines, profile, candidates)
    # Something actually treats the main concern, morning or evening.
    top = next(iter(sorted(measured, key=lambda m: -SEVERITY_WEIGHT[m.severity])), None)
    top_key = top.key if top else concerns[0]
    possible = [c for c in candidates if c.step == "treat" and eligible(c, profile)[0]]
    if any(top_key in c.effective_targets() for c in possible):
        assert any(
            s.category == "treat" and s.product and top_key in s.product.effective_targets()
            for r in routines
            for s in r.steps
        ), (top_key, routines)


def test_reason_refers_to_measured_region():
    profile = BuilderProfile(skin_type="oily", concerns=(), budget="low")
    measured = [MeasuredConcern("oiliness", "moderate", 40, ("forehead", "nose", "chin"))]
    am = build_routine("am", profile=profile, measured=measured, candidates=catalog())
    treat = [s for s in am.steps if s.category == "treat"]
    assert treat and treat[0].product.label == "Test Niacinamide 10%"
    assert treat[0].reason.startswith("Niacinamide targets the shine measured in your T-zone")


def test_reason_without_analysis_refers_to_profile():
    profile = BuilderProfile(skin_type="oily", concerns=("oiliness",))
    am = build_routine("am", profile=profile, measured=[], candidates=catalog())
    treat = [s for s in am.steps if s.category == "treat"]
    assert "you told us about" in treat[0].reason
    assert "measured" not in treat[0].reason


def test_conflicting_actives_alternate_by_weekday_and_warn():
    profile = BuilderProfile(skin_type="normal", concerns=("wrinkles", "uneven_tone"), budget="high")
    candidates = [
        cand("Retinol Serum", "serum", 25, actives={"retinoid"}, targets={"wrinkles"}),
        cand("AHA Peel", "exfoliant", 21, actives={"aha"}, targets={"uneven_tone"}),
        cand("Cleanser", "cleanser", 9),
        cand("Cream", "moisturizer", 9),
    ]
    pm = build_routine("pm", profile=profile, candidates=candidates)
    retinol = next(s for s in pm.steps if s.product and s.product.name == "Retinol Serum")
    aha = next(s for s in pm.steps if s.product and s.product.name == "AHA Peel")
    for week in range(1, 13):
        assert not set(retinol.days_in_week(week)) & set(aha.days_in_week(week))
        # never every evening: at least two recovery evenings once both run
        assert len(set(retinol.days_in_week(week)) | set(aha.days_in_week(week))) <= 5
    assert any("same evening" in w and "Retinol Serum" in w for w in pm.warnings)
    assert "because" in aha.timing and "retinoid" in aha.timing


def test_pregnancy_swaps_retinoid_for_safe_alternative():
    profile = BuilderProfile(skin_type="normal", concerns=("wrinkles",), pregnant=True, budget="high")
    am, pm = build_routines(profile=profile, candidates=catalog())
    treat_names = [s.product.name for r in (am, pm) for s in r.steps if s.category == "treat" and s.product]
    assert "Retinol Serum" not in treat_names and "Retinal Luxe" not in treat_names
    assert "Bakuchiol Serum" in treat_names
    assert any("instead of a retinoid" in w for w in pm.warnings)
    # The same profile without pregnancy gets the retinoid.
    pm2 = build_routine(
        "pm", profile=BuilderProfile(skin_type="normal", concerns=("wrinkles",), budget="high"), candidates=catalog()
    )
    assert any(s.product and "retinoid" in s.product.actives for s in pm2.steps)


def test_budget_falls_back_with_a_warning_when_nothing_fits():
    profile = BuilderProfile(budget="low")
    candidates = [cand("Luxe Cleanser", "cleanser", 60), cand("Dear Sunscreen", "sunscreen", 55, spf=50)]
    am = build_routine("am", profile=profile, candidates=candidates)
    assert am.steps[0].product.name == "Luxe Cleanser"
    assert any("budget" in w for w in am.warnings)


def test_owned_products_come_first():
    profile = BuilderProfile(budget="high")
    candidates = [cand("Catalog Cleanser", "cleanser", 5), cand("My Cleanser", "cleanser", 30, owned=True)]
    am = build_routine("am", profile=profile, candidates=candidates)
    assert am.steps[0].product.name == "My Cleanser"
    assert "already own" in am.steps[0].reason


def test_empty_catalog_gives_steps_without_products_and_says_so():
    profile = BuilderProfile(skin_type="dry", concerns=("dryness",))
    am, pm = build_routines(profile=profile, candidates=[])
    assert [s.category for s in am.steps][-1] == "protect"
    assert all(s.product is None for s in am.steps + pm.steps)
    assert {"cleanse", "moisturize"} <= {s.category for s in pm.steps}
    assert any("catalog is empty" in w for w in am.warnings)


def test_max_steps_keeps_sunscreen():
    profile = BuilderProfile(skin_type="oily", concerns=("acne", "oiliness", "dark_circles"), max_steps=2)
    am = build_routine("am", profile=profile, candidates=catalog())
    assert len(am.steps) <= 2
    assert am.steps[-1].category == "protect"
    assert any("Kept to 2 steps" in w for w in am.warnings)


def test_vegan_and_fragrance_free_preferences():
    candidates = [
        cand("Scented", "cleanser", 5, has_fragrance=True, is_vegan=True),
        cand("Plain", "cleanser", 9, is_vegan=False),
        cand("Vegan Plain", "cleanser", 12, is_vegan=True),
    ]
    am = build_routine("am", profile=BuilderProfile(preferences=("vegan", "fragrance_free")), candidates=candidates)
    assert am.steps[0].product.name == "Vegan Plain"


def test_spf_below_30_is_never_the_morning_protection():
    candidates = [cand("Tinted SPF 15", "sunscreen", 5, spf=15)]
    am = build_routine("am", profile=BuilderProfile(), candidates=candidates)
    assert am.steps[-1].category == "protect" and am.steps[-1].product is None
