import datetime as dt
from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from ingredients.models import Ingredient, Product, ProductIngredient
from routines.models import Routine, RoutineStep, ShelfItem


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routine

    user = factory.SubFactory(UserFactory)
    name = "Evening routine"
    period = "pm"


class RoutineStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutineStep

    routine = factory.SubFactory(RoutineFactory)
    order = factory.Sequence(lambda n: n + 1)
    category = "cleanse"
    product_name = "A gentle cleanser"
    instructions = "Massage and rinse."


class ShelfItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShelfItem

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Cream {n}")
    brand = "Brand"
    opened_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=10))
    pao_months = 12


def ingredient(name: str, **kw) -> Ingredient:
    obj, _ = Ingredient.objects.get_or_create(inci_name=name, defaults={"sources": {"inci_name": "test"}, **kw})
    return obj


def product(brand: str, name: str, category: str, price, inci: list[tuple[str, dict]] | list[str], **kw) -> Product:
    """A catalog product with its ingredient list; inci items are names or (name, Ingredient fields)."""
    p = Product.objects.create(
        brand=brand,
        name=name,
        category=category,
        price=Decimal(str(price)) if price is not None else None,
        search_text=f"{brand} {name} {category}",
        **kw,
    )
    for position, item in enumerate(inci, start=1):
        inci_name, fields = (item, {}) if isinstance(item, str) else item
        ProductIngredient.objects.create(
            product=p, ingredient=ingredient(inci_name, **fields), position=position, raw_name=inci_name
        )
    return p


def small_catalog() -> dict[str, Product]:
    """Cheap and dear options per step, conflicting actives and a fragrance allergen."""
    niacinamide = ("Niacinamide", {"active_class": "niacinamide", "targets": ["oiliness", "pores", "redness"]})
    retinol = (
        "Retinol",
        {"active_class": "retinoid", "targets": ["wrinkles", "texture"], "pregnancy_caution": "avoid"},
    )
    glycolic = ("Glycolic Acid", {"active_class": "aha", "targets": ["texture", "uneven_tone"]})
    azelaic = ("Azelaic Acid", {"active_class": "azelaic_acid", "targets": ["redness", "acne", "pigmentation"]})
    bakuchiol = ("Bakuchiol", {"targets": ["wrinkles"]})
    bpo = ("Benzoyl Peroxide", {"active_class": "benzoyl_peroxide", "targets": ["acne"]})
    linalool = ("Linalool", {"is_allergen": True, "is_fragrance": True})
    zinc = ("Zinc Oxide", {"active_class": "spf_filter"})
    return {
        "cleanser": product("Plain", "Gentle Cleanser", "cleanser", 8, ["Aqua", "Glycerin"], is_vegan=True),
        "cleanser_luxe": product("Luxe", "Scented Cleanser", "cleanser", 55, ["Aqua", linalool]),
        "niacinamide": product("Plain", "Niacinamide 10%", "serum", 9, ["Aqua", niacinamide], is_vegan=True),
        "retinol": product("Plain", "Retinol 0.5%", "serum", 18, ["Squalane", retinol]),
        "retinol_luxe": product("Luxe", "Retinal Night", "serum", 95, ["Squalane", retinol, linalool]),
        "aha": product("Plain", "Glycolic Toner", "toner", 12, ["Aqua", glycolic]),
        "azelaic": product("Plain", "Azelaic 10%", "treatment", 14, ["Aqua", azelaic]),
        "bakuchiol": product("Plain", "Bakuchiol Serum", "serum", 19, ["Squalane", bakuchiol]),
        "bpo": product("Plain", "BPO 5%", "spot_treatment", 10, ["Aqua", bpo]),
        "cream": product("Plain", "Barrier Cream", "moisturizer", 13, ["Aqua", "Ceramide NP"], is_vegan=True),
        "cream_luxe": product("Luxe", "Rich Cream", "moisturizer", 80, ["Aqua", linalool]),
        "spf50": product("Plain", "Sunscreen SPF 50", "sunscreen", 15, ["Aqua", zinc], spf=50, is_vegan=True),
        "spf15": product("Plain", "Tinted SPF 15", "sunscreen", 9, ["Aqua", zinc], spf=15),
    }
