"""manage.py evaluate_recommender: real interactions when there are enough, the synthetic population otherwise."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from recommendations.models import Interaction

from .factories import make_product

pytestmark = pytest.mark.django_db


def test_synthetic_when_there_are_no_real_interactions():
    out = StringIO()
    call_command("evaluate_recommender", "--products", "120", "--people", "300", stdout=out)
    text = out.getvalue()
    assert "using the synthetic population" in text
    assert "Data: synthetic" in text
    for name in ("hybrid", "content", "cf", "popularity"):
        assert name in text
    assert "NDCG@10: hybrid" in text


def test_real_interactions_when_there_are_enough():
    products = [make_product("Aqua", "Glycerin", *(["Niacinamide"] if i % 2 else [])) for i in range(12)]
    for u in range(8):
        user = UserFactory()
        for p in products[u % 3 : u % 3 + 7]:
            Interaction.objects.create(user=user, product=p, kind="shelf")
    out = StringIO()
    call_command("evaluate_recommender", "--min-people", "5", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["data"] == "real"
    assert result["people"] == 8 and result["products"] == 12
    assert result["held_out_people"] == 8
    m = result["metrics"]
    assert set(m) == {"hybrid", "content", "cf", "popularity"}
    assert all(0 <= v["ndcg@10"] <= 1 for v in m.values())
