"""Product.search_document: kept by a PostgreSQL trigger, whatever writes the row (migration 0005)."""

from __future__ import annotations

import pytest
from django.db import connection

from ingredients.models import Product
from ingredients.selectors import product_search
from ingredients.tests.factories import ProductFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the document and its trigger are PostgreSQL's"),
]


def _names(q):
    return [p.name for p in product_search(q=q)]


def test_an_insert_gets_its_document():
    ProductFactory(name="Quiet Night Balm", ingredients_text="Aqua, Squalane, Bakuchiol")
    assert Product.objects.get(name="Quiet Night Balm").search_document is not None
    assert _names("bakuchiol") == ["Quiet Night Balm"]


def test_an_update_of_any_kind_renews_it():
    product = ProductFactory(name="Quiet Night Balm", ingredients_text="Aqua, Squalane")
    assert _names("panthenol") == []
    product.ingredients_text = "Aqua, Panthenol"
    product.save()
    assert _names("panthenol") == ["Quiet Night Balm"]
    Product.objects.filter(pk=product.pk).update(ingredients_text="Aqua, Allantoin")  # no signals, no save()
    assert _names("panthenol") == []
    assert _names("allantoin") == ["Quiet Night Balm"]


def test_the_weights_still_rank_a_name_match_above_an_ingredient_match():
    ProductFactory(name="Plain Lotion", ingredients_text="Aqua, Ceramide NP")
    ProductFactory(name="Ceramide Lotion", ingredients_text="Aqua, Glycerin")
    assert _names("ceramide") == ["Ceramide Lotion", "Plain Lotion"]
