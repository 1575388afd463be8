"""Cases a dermatologist would check the builder against, written as the person, the shelf and what a
good routine does for them (pure logic, no database)."""

from __future__ import annotations

from decimal import Decimal

from domain import actives as A
from recommendations import engine
from routines.builder import BuilderProfile, Candidate, MeasuredConcern, build_routines, eligible, week_view

from .invariants import check_plan


def p(name, category, actives=(), targets=(), price=20, spf=None, gentle=(), pregnancy="none", **kw) -> Candidate:
    actives = frozenset(actives)
    levels = [A.ACTIVE_BY_KEY[a].pregnancy.level for a in actives] + [pregnancy]
    level = "avoid" if "avoid" in levels else "caution" if "caution" in levels else "none"
    return Candidate(
        id=name,
        name=name,
        brand="Derm",
        category=category,
        price=Decimal(price),
        spf=spf,
        actives=actives,
        targets=frozenset(targets),
        ingredients=("aqua", "glycerin"),
        pregnancy_level=level,
        gentle_classes=frozenset(gentle),
        **kw,
    )


def shelf() -> list[Candidate]:
    return [
        p("Gentle Cleanser", "cleanser"),
        p("Niacinamide Cleanser", "cleanser", {"niacinamide"}),
        p("Salicylic Cleanser", "cleanser", {"bha"}),
        p("Niacinamide Serum", "serum", {"niacinamide"}, {"oiliness", "pores"}),
        p("Glycolic 7% Exfoliant", "exfoliant", {"aha"}, {"texture"}),
        p("Glycolic 7% Exfoliant II", "exfoliant", {"aha"}, {"texture"}),
        p("Mandelic 8% Exfoliant", "exfoliant", {"aha"}, {"texture"}, gentle={"aha"}),
        p("Salicylic 2% Exfoliant", "exfoliant", {"bha"}, {"acne", "pores"}),
        p("Adapalene Gel", "treatment", {"retinoid"}, {"acne"}),
        p("Retinol 0.3% Serum", "serum", {"retinoid"}, {"wrinkles"}, gentle={"retinoid"}),
        p("BPO 5% Spot", "spot_treatment", {"benzoyl_peroxide"}, {"acne"}),
        p("Vitamin C 15%", "serum", {"vitamin_c"}, {"pigmentation"}),
        p("Azelaic 10%", "treatment", {"azelaic_acid"}, {"redness", "acne", "pigmentation"}),
        p("Hydroquinone 2%", "treatment", {"hydroquinone"}, {"pigmentation"}),
        p("Niacinamide Moisturizer", "moisturizer", {"niacinamide", "ceramide"}),
        p("Barrier Cream", "moisturizer", {"ceramide"}),
        p("Niacinamide Eye Cream", "eye", {"niacinamide"}, {"dark_circles"}),
        p("Niacinamide SPF 30", "sunscreen", {"niacinamide", "spf_filter"}, spf=30),
        p("Mineral SPF 50", "sunscreen", {"spf_filter"}, spf=50),
    ]


def plan(profile, measured=(), owned=()):
    catalog = [Candidate(**{**c.__dict__, "owned": True}) if c.name in owned else c for c in shelf()]
    am, pm = build_routines(profile=profile, measured=list(measured), candidates=catalog)
    check_plan([am, pm], profile, catalog)
    return am, pm


def nights(pm, cls, week):
    return {d for s in pm.steps if cls in s.actives for d in s.days_in_week(week)}


def test_oily_acne_skin_gets_bpo_mornings_away_from_the_retinoid_and_rest_evenings():
    # Given oily, acne-prone skin with breakouts measured on the chin, who owns a BPO gel and adapalene
    profile = BuilderProfile(skin_type="oily", concerns=("acne",))
    measured = [MeasuredConcern("acne", "moderate", 45, ("chin",)), MeasuredConcern("oiliness", "mild", 70)]
    # When the routine is built
    am, pm = plan(profile, measured, owned=("BPO 5% Spot", "Adapalene Gel"))
    # Then both first-line acne actives are used, BPO in the morning, adapalene at night, never one day
    assert any("benzoyl_peroxide" in s.actives for s in am.steps)
    assert any("retinoid" in s.actives for s in pm.steps)
    bpo_step = next(s for s in am.steps if "benzoyl_peroxide" in s.actives)
    assert "because a retinoid is on" in bpo_step.timing
    for week in range(1, 13):
        bpo = {d for s in am.steps if "benzoyl_peroxide" in s.actives for d in s.days_in_week(week)}
        assert not bpo & nights(pm, "retinoid", week)
        assert len(nights(pm, "retinoid", week) | nights(pm, "bha", week) | nights(pm, "aha", week)) <= 5


def test_photoageing_gets_vitamin_c_mornings_and_a_retinoid_ramp_with_acid_on_other_evenings():
    # Given fine lines, dark spots and rough texture on normal skin
    profile = BuilderProfile(skin_type="normal", concerns=("wrinkles", "pigmentation", "texture"), budget="high")
    am, pm = plan(profile)
    # Then vitamin C is in the morning, the retinoid at night starting at 2 evenings and rising
    assert any("vitamin_c" in s.actives for s in am.steps)
    retinoid = next(s for s in pm.steps if "retinoid" in s.actives)
    counts = [len(retinoid.days_in_week(w)) for w in range(retinoid.starts_week, 16)]
    assert counts[0] == 2 and counts[-1] > counts[0] and counts == sorted(counts)
    acid = next(s for s in pm.steps if set(s.actives) & A.EXFOLIANTS)
    for w in range(1, 16):
        assert len(acid.days_in_week(w)) <= 2  # acids stay at 2 while a retinoid is in the plan
        assert not set(acid.days_in_week(w)) & set(retinoid.days_in_week(w))
    # and the reason is spelt out with the weekdays (the rule the person meets)
    assert "because a retinoid is on" in acid.timing
    assert {r["code"] for r in pm.rules} >= {"retinoid_ramp", "exfoliant_limit", "recovery_nights"}
    # and the week view names the nights
    kinds = {d["routines"]["pm"]["kind"] for d in week_view([am, pm], 12)}
    assert {"retinoid", "exfoliation", "recovery"} <= kinds


def test_the_issue_case_two_glycolic_products_are_not_seven_acid_evenings():
    # Given only glycolic exfoliants for texture (the demo catalog's case)
    profile = BuilderProfile(skin_type="normal", concerns=("texture",))
    am, pm = plan(profile)
    glycolic = [s for s in pm.steps if "aha" in s.actives]
    assert len(glycolic) == 1
    assert all(len(glycolic[0].days_in_week(w)) <= 3 for w in range(1, 20))
    assert len(glycolic[0].days_in_week(glycolic[0].starts_week)) == 2


def test_niacinamide_in_every_product_is_not_a_routine():
    profile = BuilderProfile(skin_type="oily", concerns=("oiliness", "pores", "dark_circles"))
    am, pm = plan(profile)
    for routine in (am, pm):
        assert sum(1 for s in routine.steps if "niacinamide" in s.actives) <= 2


def test_sensitive_skin_gets_fewer_gentler_actives_one_at_a_time_and_is_told_so():
    # Given sensitive skin with redness, acne and lines
    profile = BuilderProfile(skin_type="sensitive", concerns=("redness", "acne", "wrinkles"), budget="high")
    am, pm = plan(profile)
    treats = [s for s in am.steps + pm.steps if s.role != "base" and s.product]
    assert len([s for s in am.steps if s.role != "base"]) <= 1 and len([s for s in pm.steps if s.role != "base"]) <= 1
    names = {s.product_name for s in treats}
    assert "Derm Vitamin C 15%" not in names and "Derm Adapalene Gel" not in names  # not gentle forms
    assert "Derm Glycolic 7% Exfoliant" not in names
    starts = sorted(s.starts_week for s in treats)
    assert starts == sorted(set(starts)) and all(b - a >= 2 for a, b in zip(starts, starts[1:], strict=False))
    assert any(r["code"] in ("introduce_one_at_a_time", "reactive_skin") for r in am.rules)
    assert any("Sensitive skin" in r["text"] for r in am.rules + pm.rules)


def test_pregnancy_leaves_out_what_the_recommender_and_scanner_flag():
    # Given a pregnant person with dark spots and acne
    profile = BuilderProfile(skin_type="combination", concerns=("pigmentation", "acne"), pregnant=True)
    am, pm = plan(profile)
    classes = {a for s in am.steps + pm.steps for a in s.actives}
    assert not classes & {"retinoid", "hydroquinone", "bha", "benzoyl_peroxide"}
    assert "azelaic_acid" in classes
    assert any("ask your doctor" in r["text"] for r in pm.rules)
    # The same policy decides the builder, the recommender and (see test_scanner_policy) the scanner.
    for cls in A.ACTIVE_KEYS:
        product = p("X", "serum", {cls}, {"acne"})
        builder_ok = eligible(product, profile)[0]
        info = engine.IngredientInfo("x", pregnancy_caution=A.ACTIVE_BY_KEY[cls].pregnancy.level, active_class=cls)
        index = engine.ContentIndex([engine.ProductInfo("1", "serum", ("x",))], {"x": info}, ["acne"])
        blocked, _ = index.blocked_mask(engine.UserNeeds(pregnant=True))
        assert builder_ok == (not bool(blocked[0])) == A.pregnancy_allows(A.ACTIVE_BY_KEY[cls].pregnancy.level), cls
