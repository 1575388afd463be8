"""Assessment, personal warnings, catalog helpers, batches and the knowledge-base loaders."""

import datetime as dt

import pytest
from django.db import connection

from ingredients import csvio, demo, knowledge, rules, selectors, services
from ingredients.models import Ingredient, Product
from ingredients.tests.factories import BatchFactory, ProductFactory
from skincare.core.errors import DomainError

pytestmark = pytest.mark.django_db

LOTION = "Ingredients: Aqua, Glycerin, Cetearyl Alcohol, Dimethicone, Parfum, Limonene, Linalool, Phenoxyethanol"


def _item(result, inci):
    return next(i for i in result["ingredients"] if i["ingredient"] and i["ingredient"]["inci_name"] == inci)


def test_allergic_to_fragrance_is_warned_on_parfum_and_limonene_and_linalool(kb):
    # Given a user who lists "fragrance" as an allergy
    profile = {"allergies": ["fragrance"]}
    # When a lotion with Parfum and two labelled allergens is assessed
    result = services.assess_ingredients(text=LOTION, profile=profile)
    # Then all three are red with the user_allergy flag, and the product is red and capped
    for name in ("Parfum", "Limonene", "Linalool"):
        item = _item(result, name)
        assert "user_allergy" in item["flags"], name
        assert item["rating"] == "red"
    assert "user_allergy" not in _item(result, "Glycerin")["flags"]
    warning = next(w for w in result["warnings"] if w["code"] == "user_allergy")
    assert set(warning["ingredients"]) == {"Parfum", "Limonene", "Linalool"}
    assert result["verdict"] == "red" and result["score"] <= rules.RED_CAP


def test_allergy_matched_through_synonyms_and_words(kb):
    result = services.assess_ingredients(
        names=["Aqua", "Tocopherol", "Cocos Nucifera (Coconut) Oil"], profile={"allergies": ["Vitamin E", "coconut"]}
    )
    assert "user_allergy" in _item(result, "Tocopherol")["flags"]
    assert "user_allergy" in _item(result, "Cocos Nucifera Oil")["flags"]
    assert "user_allergy" not in _item(result, "Aqua")["flags"]


def test_pregnant_user_is_warned_on_retinol(kb):
    text = "Ingredients: Aqua, Glycerin, Retinol, Salicylic Acid, Tocopherol"
    pregnant = services.assess_ingredients(text=text, profile={"pregnant_or_nursing": True})
    assert _item(pregnant, "Retinol")["rating"] == "red"
    codes = {w["code"]: w for w in pregnant["warnings"]}
    assert codes["pregnancy_avoid"]["ingredients"] == ["Retinol"]
    assert "Salicylic Acid" in codes["pregnancy_caution"]["ingredients"]  # sources differ: ask your doctor
    # the same list for someone not pregnant: retinol is a yellow irritant, not red
    other = services.assess_ingredients(text=text, profile={"pregnant_or_nursing": False})
    assert _item(other, "Retinol")["rating"] == "yellow"
    assert not any(w["code"].startswith("pregnancy") for w in other["warnings"])
    assert "pregnancy_caution" in _item(other, "Retinol")["flags"]


def test_skin_type_concerns_and_preferences(kb):
    text = "Aqua, Isopropyl Myristate, Cocos Nucifera Oil, Niacinamide, Alcohol Denat., Parfum"
    result = services.assess_ingredients(
        text=text,
        profile={"skin_type": "oily", "concerns": ["acne", "pores"], "preferences": ["fragrance_free", "alcohol_free"]},
    )
    codes = {w["code"] for w in result["warnings"]}
    assert {"skin_type", "comedogenic_for_acne", "fragrance_preference", "alcohol_preference"} <= codes
    assert "avoid_for_skin_type" in _item(result, "Isopropyl Myristate")["flags"]
    assert "Niacinamide" in result["good_for"]["pores"]
    # without a profile: no personal warnings
    anonymous = services.assess_ingredients(text=text)
    assert not {"skin_type", "fragrance_preference"} & {w["code"] for w in anonymous["warnings"]}
    assert anonymous["personalized"] is False


def test_conflicting_actives_in_one_product(kb):
    result = services.assess_ingredients(text="Aqua, Retinol, Glycolic Acid, Salicylic Acid")
    pairs = {tuple(c["classes"]) for c in result["conflicts"]}
    assert ("retinoid", "aha") in pairs and ("retinoid", "bha") in pairs and ("aha", "bha") in pairs


def test_position_weighting_and_red_cap(kb):
    early = services.assess_ingredients(names=["Alcohol Denat.", "Aqua", "Glycerin", "Panthenol", "Allantoin"])
    late = services.assess_ingredients(names=["Aqua", "Glycerin", "Panthenol", "Allantoin", "Alcohol Denat."])
    assert early["score"] < late["score"]
    clean = services.assess_ingredients(names=["Aqua", "Glycerin", "Panthenol"])
    assert clean["verdict"] == "green" and clean["score"] == 100
    banned = services.assess_ingredients(names=["Aqua", "Glycerin", "Panthenol", "Butylphenyl Methylpropional"])
    assert banned["verdict"] == "red" and banned["score"] <= rules.RED_CAP
    assert "prohibited" in _item(banned, "Butylphenyl Methylpropional")["flags"]


def test_unknown_only_list_is_not_scored(kb):
    result = services.assess_ingredients(names=["Zorblax Extract", "Quintessence Q"])
    assert result["score"] is None and result["verdict"] is None
    assert result["unknown"] == ["Zorblax Extract", "Quintessence Q"]


def test_bad_input_raises_domain_errors(kb):
    with pytest.raises(DomainError) as exc:
        services.assess_ingredients(text="   ")
    assert exc.value.code == "no_ingredients_found"
    with pytest.raises(DomainError) as exc:
        services.assess_ingredients()
    assert exc.value.code == "no_ingredients"


def test_product_helpers_for_other_apps(kb):
    serum = ProductFactory(name="Retinol serum")
    services.product_set_ingredients(product=serum, text="Aqua, Retinol, Limonene")
    toner = ProductFactory(name="Acid toner")
    services.product_set_ingredients(product=toner, text="Aqua, Glycolic Acid, Parfum")
    assert selectors.product_active_classes(serum) == {"retinoid"}
    prefetched = selectors.product_detail_queryset().get(pk=serum.pk)
    assert selectors.product_active_classes(prefetched) == {"retinoid"}
    conflicts = selectors.product_conflicts([serum, toner])
    assert conflicts[0]["classes"] == ["retinoid", "aha"] and len(conflicts[0]["products"]) == 2
    assert selectors.product_conflicts(serum) == []
    ok, reasons = services.product_is_safe_for(product=serum, profile={"allergies": ["fragrance"]})
    assert not ok and "Limonene" in reasons[0]
    ok, reasons = services.product_is_safe_for(product=serum, profile={"pregnant_or_nursing": True})
    assert not ok and "Retinol" in reasons[0]
    assert services.product_is_safe_for(product=toner, profile={"pregnant_or_nursing": True}) == (True, [])
    assert services.product_is_safe_for(product=serum, profile=None) == (True, [])


def test_products_safety_for_many_in_few_queries(kb, django_assert_max_num_queries):
    products = []
    for i in range(20):
        p = ProductFactory(name=f"P{i}")
        services.product_set_ingredients(product=p, text="Aqua, Glycerin" + (", Linalool" if i % 2 else ""))
        products.append(p)
    with django_assert_max_num_queries(3):
        safety = services.products_safety_for(products=products, profile={"allergies": ["fragrance"]})
    assert [safety[p.pk][0] for p in products[:4]] == [True, False, True, False]
    assert "Linalool" in safety[products[1].pk][1][0]


def test_batch_freshness():
    batch = BatchFactory.build(manufacture_date=dt.date(2025, 1, 1), expiry_date=dt.date(2026, 1, 1))
    assert services.batch_freshness(batch=batch, today=dt.date(2025, 6, 1))["status"] == "fresh"
    assert services.batch_freshness(batch=batch, today=dt.date(2025, 12, 20))["status"] == "use_soon"
    assert services.batch_freshness(batch=batch, today=dt.date(2026, 1, 2))["status"] == "expired"


def test_batch_public_ids_are_unguessable_and_qr_is_svg():
    a, b = BatchFactory(), BatchFactory()
    assert a.public_id != b.public_id and len(a.public_id) >= 20
    svg = services.batch_qr_svg(batch=a, base_url="https://example.org")
    assert svg.startswith("<svg") and "path" in svg
    with pytest.raises(DomainError):
        services.batch_create(
            product=a.product, batch_code="X1", manufacture_date=dt.date(2025, 1, 2), expiry_date=dt.date(2025, 1, 1)
        )


def test_knowledge_base_is_large_sourced_and_idempotent(kb):
    assert Ingredient.objects.count() >= 600
    again = knowledge.load(records=knowledge.build_records())
    assert again["created"] == 0 and again["updated"] == 0
    for ing in Ingredient.objects.all()[:200]:
        assert ing.sources.get("inci_name") and ing.sources.get("hazard_score")
        if ing.comedogenic_rating is not None:
            assert "Fulton" in ing.sources["comedogenic_rating"]
    allergens = set(Ingredient.objects.filter(is_allergen=True).values_list("inci_name", flat=True))
    assert {"Limonene", "Linalool", "Coumarin", "Evernia Prunastri Extract", "Alpha-Isomethyl Ionone"} <= allergens
    lilial = Ingredient.objects.get(inci_name="Butylphenyl Methylpropional")
    assert lilial.eu_status == "prohibited" and lilial.hazard_score == 10
    assert Ingredient.objects.get(inci_name="Phenoxyethanol").eu_status == "preservative"
    assert Ingredient.objects.get(inci_name="Zinc Oxide").eu_status == "uv_filter"
    assert Ingredient.objects.get(inci_name="CI 77491").eu_status == "colorant"
    # Annex II entries with a condition ("except if the refining history is known", nano form only) restrict
    petrolatum = Ingredient.objects.get(inci_name="Petrolatum")
    assert petrolatum.eu_status == "restricted" and petrolatum.hazard_score < rules.YELLOW_HAZARD
    assert Ingredient.objects.get(inci_name="Styrene/Acrylates Copolymer").eu_status != "prohibited"


def test_staff_edits_survive_the_loader_and_csv_round_trip(kb):
    ing = Ingredient.objects.get(inci_name="Glycerin")
    text = csvio.export_rows(Ingredient.objects.filter(pk=ing.pk))
    edited = text.replace("Glycerol;Glycerine", "Glycerol;Glycerine;Glycerinum")
    result = csvio.import_rows(edited)
    assert result == {"created": 0, "updated": 1}
    ing.refresh_from_db()
    assert "Glycerinum" in ing.synonyms and ing.sources["_edited"]
    knowledge.load(records=knowledge.build_records())
    ing.refresh_from_db()
    assert "Glycerinum" in ing.synonyms  # the loader kept the staff edit
    with pytest.raises(csvio.CsvImportError):
        csvio.import_rows("inci_name,irritancy\nFoo,9\n")


def test_setup_app_loads_the_demo_catalog(kb):
    import io

    from ingredients import setup

    out = io.StringIO()
    setup.setup_app(out)
    assert "demo catalog 154 new" in out.getvalue()
    assert Product.objects.filter(is_demo=True).count() >= 150
    assert set(Product.objects.values_list("category", flat=True)) == {
        "cleanser", "toner", "essence", "serum", "treatment", "eye", "moisturizer", "sunscreen", "mask",
        "exfoliant", "oil", "spot_treatment",
    }  # fmt: skip
    assert demo.load_demo_catalog()["created"] == 0
    # every demo ingredient is in the knowledge base
    from ingredients.models import ProductIngredient

    assert not ProductIngredient.objects.filter(ingredient__isnull=True).exists()


def test_product_search_fallback_and_misspelling(kb):
    ProductFactory(brand="Hydrakind", name="Niacinamide 5% Serum", search_text="Hydrakind Niacinamide 5% Serum serum")
    ProductFactory(brand="Solène", name="Ceramide Moisturizer", category="moisturizer",
                   search_text="Solène Ceramide Moisturizer moisturizer")  # fmt: skip
    assert [p.name for p in selectors.product_search(q="niacinamide")] == ["Niacinamide 5% Serum"]
    assert [p.name for p in selectors.product_search(q="niacinamid serum")] == ["Niacinamide 5% Serum"]
    assert [p.name for p in selectors.product_search(q="ceramide", category="moisturizer")] == ["Ceramide Moisturizer"]
    assert [i.inci_name for i in selectors.ingredient_search(q="niacinamde")][:1] == ["Niacinamide"]
    # products made elsewhere without search_text are found by brand/name too, and by a misspelled brand
    Product.objects.create(brand="Verdant", name="Oat Balm", category="moisturizer")
    assert [p.name for p in selectors.product_search(q="oat balm")] == ["Oat Balm"]
    assert "Oat Balm" in [p.name for p in selectors.product_search(q="verdnat")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full text + trigram search is PostgreSQL-only")
def test_postgres_trigram_search_finds_misspellings(kb):
    ProductFactory(brand="Hydrakind", name="Hyaluronic Serum", search_text="Hydrakind Hyaluronic Serum serum")
    assert [p.name for p in selectors.product_search(q="hyaluronc")] == ["Hyaluronic Serum"]
    assert "Niacinamide" in [i.inci_name for i in selectors.ingredient_search(q="niacinamde")[:3]]


def test_gdpr_export_and_files(kb, user, other_user):
    import json

    from ingredients import gdpr
    from ingredients.models import Favorite, Scan

    product = ProductFactory()
    Favorite.objects.create(user=user, product=product)
    result = services.assess_ingredients(text="Aqua, Glycerin")
    services.scan_create(user=user, text="Aqua, Glycerin", result=result)
    Scan.objects.create(user=other_user, text="Aqua", result={})
    data = gdpr.export(user)
    json.dumps(data)  # serialisable
    assert len(data["favorites"]) == 1 and len(data["scans"]) == 1
    assert data["scans"][0]["result"]["verdict"] == "green"
    assert gdpr.files(user) == []


@pytest.mark.parametrize(
    "inci", ["Retinol", "Hydroquinone", "Salicylic Acid", "Benzoyl Peroxide", "Azelaic Acid", "Niacinamide"]
)
def test_pregnancy_policy_is_one_for_scanner_builder_and_recommender(kb, inci):
    """One policy (domain.actives.pregnancy_allows): what the scanner flags for a pregnant person is exactly
    what the routine builder never chooses and the recommender never shows."""
    from domain import actives
    from recommendations import selectors as reco
    from routines import services as routines

    fact = Ingredient.objects.get(inci_name=inci)
    allowed = actives.pregnancy_allows(fact.pregnancy_caution)
    # the scanner: avoid → red, caution → at least yellow with "ask your doctor"; none → no warning
    result = services.assess_ingredients(names=["Aqua", inci], profile={"pregnant_or_nursing": True})
    warned = {w["code"] for w in result["warnings"]} & {"pregnancy_avoid", "pregnancy_caution"}
    assert bool(warned) == (not allowed)
    if fact.pregnancy_caution == "caution":
        assert _item(result, inci)["rating"] != "green"
    # the builder and the recommender, on a product made of it
    product, _created = services.product_upsert(
        brand="Test", name=f"{inci} Serum", category="serum", ingredients_text=f"Aqua, {inci}"
    )
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    user.profile.pregnant_or_nursing = True
    user.profile.save()
    candidates, _ = routines.catalog_candidates(user=user, profile=user.profile)
    cand = next(c for c in candidates if c.id == str(product.pk))
    from routines.builder import eligible

    assert eligible(cand, routines.builder_profile(user.profile))[0] == allowed
    reco.reset_cache()
    shown = {str(i.product.pk) for i in reco.recommendations_for(user=user, limit=50).items}
    assert (str(product.pk) in shown) == allowed
