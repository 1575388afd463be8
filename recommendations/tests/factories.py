"""Factories: a small knowledge base and products built from ingredient names."""

from __future__ import annotations

import factory

from ingredients.models import Ingredient, Product, ProductIngredient
from ingredients.tests.factories import ProductFactory
from recommendations.models import Interaction

# inci_name: fields
KNOWLEDGE = {
    "Aqua": {"synonyms": ["Water"]},
    "Glycerin": {"targets": ["dryness"]},
    "Niacinamide": {"synonyms": ["Nicotinamide", "Vitamin B3"], "targets": ["oiliness", "pores", "redness"]},
    "Salicylic Acid": {"targets": ["acne", "pores"], "pregnancy_caution": "caution", "active_class": "bha"},
    "Retinol": {"targets": ["wrinkles", "texture"], "pregnancy_caution": "avoid", "active_class": "retinoid"},
    "Sodium Hyaluronate": {"synonyms": ["Hyaluronic Acid"], "targets": ["dryness"]},
    "Azelaic Acid": {"targets": ["redness", "acne"], "active_class": "azelaic_acid"},
    "Caffeine": {"targets": ["dark_circles"]},
    "Ceramide NP": {"targets": ["dryness", "sensitivity"], "active_class": "ceramide"},
    "Dimethicone": {},
    "Phenoxyethanol": {},
    "Parfum": {"synonyms": ["Fragrance", "Perfume"], "is_fragrance": True},
    "Limonene": {"is_allergen": True, "is_fragrance": True},
    "Linalool": {"is_allergen": True, "is_fragrance": True},
    "Methylparaben": {},
}


def ingredient(name: str) -> Ingredient:
    fields = KNOWLEDGE.get(name, {})
    obj, _ = Ingredient.objects.get_or_create(inci_name=name, defaults={"sources": {"inci_name": "test"}, **fields})
    return obj


def make_product(*names: str, category: str = "serum", **kwargs) -> Product:
    product = ProductFactory(category=category, **kwargs)
    ProductIngredient.objects.bulk_create(
        [
            ProductIngredient(product=product, ingredient=ingredient(n), position=i + 1, raw_name=n)
            for i, n in enumerate(names)
        ]
    )
    return product


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    product = factory.SubFactory(ProductFactory)
    kind = "favorite"
    value = 1.0
