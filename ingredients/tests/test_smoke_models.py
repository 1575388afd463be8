import pytest

from ingredients import selectors, services
from ingredients.tests.factories import IngredientFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _kb():
    IngredientFactory(inci_name="Aqua", synonyms=["Water", "Eau"])
    IngredientFactory(inci_name="Glycerin", synonyms=["Glycerol"])
    IngredientFactory(inci_name="Parfum", synonyms=["Fragrance"], is_fragrance=True, irritancy=2, hazard_score=4)
    IngredientFactory(inci_name="Limonene", is_allergen=True, is_fragrance=True, hazard_score=5)
    IngredientFactory(
        inci_name="Retinol", active_class="retinoid", pregnancy_caution="avoid", irritancy=3, hazard_score=6
    )
    IngredientFactory(inci_name="Glycolic Acid", active_class="aha", irritancy=3, hazard_score=4)


def test_assess_and_safety_helpers():
    _kb()
    result = services.assess_ingredients(text="Ingredients: Aqua (Water), Glycerin, Retinol, Glycolic Acid, Parfum.")
    assert [i["ingredient"]["inci_name"] for i in result["ingredients"]] == [
        "Aqua",
        "Glycerin",
        "Retinol",
        "Glycolic Acid",
        "Parfum",
    ]
    assert any(w["code"] == "conflict" for w in result["warnings"])
    product = ProductFactory()
    services.product_set_ingredients(product=product, text="Aqua, Retinol, Limonene")
    assert selectors.product_active_classes(product) == {"retinoid"}
    ok, reasons = services.product_is_safe_for(product=product, profile={"allergies": ["fragrance"]})
    assert not ok and "Limonene" in reasons[0]
    ok, reasons = services.product_is_safe_for(product=product, profile={"pregnant_or_nursing": True})
    assert not ok and "Retinol" in reasons[0]
    assert services.product_is_safe_for(product=product, profile={"allergies": ["nickel"]}) == (True, [])
