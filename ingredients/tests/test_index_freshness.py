"""The matching index and the ingredient facts kept per process (ingredients.matching): checked against the shared
data's version in the cache instead of a query per assessment, and never stale.

Transactional tests: the rows are committed, as a staff edit or a loader's are, so that the versions move as in
production (inside a transaction the index is checked by its query each time)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ingredients import matching, services
from ingredients.models import Ingredient
from skincare.core import readcache

from .factories import IngredientFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "Aqua, Glycerin, Limonene"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.READ_CACHE_SECONDS = 60  # the shared data's version moves (it does not with the read cache off)
    matching.reset_index()
    IngredientFactory(inci_name="Aqua", synonyms=["Water"])
    IngredientFactory(inci_name="Glycerin")
    IngredientFactory(inci_name="Limonene", is_fragrance=True, is_allergen=True)
    yield
    matching.reset_index()


def _known(result) -> dict:
    return {i["ingredient"]["inci_name"]: i for i in result["ingredients"] if i.get("ingredient")}


def test_an_assessment_of_known_ingredients_runs_no_query_once_they_were_read(django_assert_num_queries):
    first = services.assess_ingredients(text=LIST)
    with django_assert_num_queries(0):
        again = services.assess_ingredients(text=LIST)
    assert again == first
    assert set(_known(again)) == {"Aqua", "Glycerin", "Limonene"}


def test_a_pasted_list_reads_no_ingredient_and_its_scan_is_one_insert(auth_client):
    body = {"text": LIST}
    assert auth_client.post("/api/v1/ingredients/analyze", body, format="json").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        answer = auth_client.post("/api/v1/ingredients/analyze", body, format="json")
    assert answer.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "ingredients_ingredient" in q]
    # one statement, no transaction around it (BEGIN and COMMIT would be two more round trips)
    assert [q for q in sql if "ingredients_scan" in q or q in ("BEGIN", "COMMIT")] == [sql[-1]]
    assert sql[-1].startswith('INSERT INTO "ingredients_scan"')


def test_a_saved_edit_is_assessed_at_once():
    assert "irritant" not in _known(services.assess_ingredients(text=LIST))["Glycerin"]["flags"]
    glycerin = Ingredient.objects.get(inci_name="Glycerin")
    glycerin.irritancy = 4
    glycerin.save()
    assert "irritant" in _known(services.assess_ingredients(text=LIST))["Glycerin"]["flags"]


def test_a_new_ingredient_is_matched_at_once_and_a_deleted_one_is_gone():
    assert services.assess_ingredients(text="Squalane, Glycerin")["unknown"] == ["Squalane"]
    squalane = IngredientFactory(inci_name="Squalane")
    assert services.assess_ingredients(text="Squalane, Glycerin")["unknown"] == []
    squalane.delete()
    assert services.assess_ingredients(text="Squalane, Glycerin")["unknown"] == ["Squalane"]


def test_a_bulk_write_that_says_so_is_assessed_at_once():
    services.assess_ingredients(text=LIST)
    Ingredient.objects.filter(inci_name="Glycerin").update(irritancy=4)  # no signal, no updated_at
    readcache.shared_changed()  # what the bulk writers call (knowledge.load, product_set_ingredients)
    assert "irritant" in _known(services.assess_ingredients(text=LIST))["Glycerin"]["flags"]


def test_what_a_rolled_back_transaction_read_is_not_kept():
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        IngredientFactory(inci_name="Squalane")
        assert services.assess_ingredients(text="Squalane, Glycerin")["unknown"] == []
        raise Undo
    assert services.assess_ingredients(text="Squalane, Glycerin")["unknown"] == ["Squalane"]
