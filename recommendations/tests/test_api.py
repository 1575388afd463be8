"""GET /api/v1/recommendations and POST /api/v1/recommendations/interactions (API.md conventions)."""

import pytest

from recommendations import selectors
from recommendations.models import Interaction

from .factories import make_product

pytestmark = pytest.mark.django_db
URL = "/api/v1/recommendations"


def catalogue(n):
    actives = ["Niacinamide", "Sodium Hyaluronate", "Azelaic Acid", "Caffeine", "Retinol"]
    return [
        make_product("Aqua", actives[i % 5], "Glycerin", *(["Parfum"] if i % 3 == 0 else []), category="serum")
        for i in range(n)
    ]


def test_anonymous_is_401(api_client):
    for url in (URL, URL + "/"):
        res = api_client.get(url)
        assert res.status_code == 401
        assert res.json()["code"] == "not_authenticated"
    assert api_client.post(URL + "/interactions", {}, format="json").status_code == 401


def test_products_with_score_and_reasons(auth_client):
    auth_client.user.profile.concerns = ["oiliness"]
    auth_client.user.profile.allergies = ["fragrance"]
    auth_client.user.profile.save()
    products = catalogue(6)
    res = auth_client.get(URL, {"limit": 3})
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) >= {"id", "brand", "name", "category", "price", "score", "reasons", "reason_details"}
    assert isinstance(first["score"], int) and 0 <= first["score"] <= 100
    assert first["reasons"][0] == "contains niacinamide, which targets the shine you listed in your profile"
    assert first["reason_details"][0]["code"] == "concern"
    scented = {str(p.pk) for i, p in enumerate(products) if i % 3 == 0}
    assert not scented & {r["id"] for r in body["results"]}
    assert body["basis"]["concerns"] == ["oiliness"]
    assert auth_client.get(URL + "/", {"limit": 3}).json()["count"] == 3  # with a slash too


def test_category_filter(auth_client):
    serum = make_product("Aqua", "Glycerin", category="serum")
    cleanser = make_product("Aqua", "Glycerin", category="cleanser")
    ids = [r["id"] for r in auth_client.get(URL, {"category": "cleanser"}).json()["results"]]
    assert ids == [str(cleanser.pk)]
    assert str(serum.pk) not in ids


@pytest.mark.parametrize(
    "params,code",
    [
        ({"category": "potion"}, "invalid_category"),
        ({"limit": "0"}, "invalid_limit"),
        ({"limit": "51"}, "invalid_limit"),
        ({"limit": "ten"}, "invalid_limit"),
        ({"include_owned": "maybe"}, "invalid_parameters"),
    ],
)
def test_bad_parameters_are_400_with_a_code(auth_client, params, code):
    res = auth_client.get(URL, params)
    assert res.status_code == 400
    assert res.json()["code"] == code
    assert res.json()["detail"]


def test_another_users_shelf_does_not_change_my_exclusions(auth_client, other_user):
    from routines.models import ShelfItem

    p = make_product("Aqua", "Glycerin")
    ShelfItem.objects.create(user=other_user, product=p, name="theirs")
    ids = [r["id"] for r in auth_client.get(URL).json()["results"]]
    assert str(p.pk) in ids


@pytest.mark.parametrize("n", [1, 20])
def test_list_query_count_is_bounded(auth_client, django_assert_max_num_queries, n):
    auth_client.user.profile.concerns = ["dryness"]
    auth_client.user.profile.save()
    catalogue(n)
    auth_client.get(URL, {"limit": 1})  # warm the catalogue index
    with django_assert_max_num_queries(6):  # user (JWT), state, profile, analysis, history, products
        res = auth_client.get(URL, {"limit": 20})
    assert res.status_code == 200
    assert res.json()["count"] == n
    selectors.reset_cache()
    with django_assert_max_num_queries(9):  # cold: + the catalogue (3 queries)
        assert auth_client.get(URL, {"limit": 20}).json()["count"] == n


def test_record_a_view_and_a_rating(auth_client):
    p = make_product("Aqua")
    res = auth_client.post(URL + "/interactions", {"product": str(p.pk), "kind": "view"}, format="json")
    assert res.status_code == 201
    assert res.json()["kind"] == "view" and res.json()["value"] == 1
    res = auth_client.post(URL + "/interactions/", {"product": str(p.pk), "kind": "rating", "value": 5}, format="json")
    assert res.status_code == 201
    assert Interaction.objects.filter(user=auth_client.user).count() == 2


@pytest.mark.parametrize(
    "body,code",
    [
        ({"kind": "view"}, "validation_error"),
        ({"kind": "shelf", "product": "00000000-0000-0000-0000-000000000000"}, "validation_error"),
        ({"kind": "rating", "value": 9, "product": "00000000-0000-0000-0000-000000000000"}, "validation_error"),
    ],
)
def test_record_bad_input_is_400(auth_client, body, code):
    res = auth_client.post(URL + "/interactions", body, format="json")
    assert res.status_code == 400
    assert res.json()["code"] == code


def test_record_a_rating_without_value_is_400(auth_client):
    p = make_product("Aqua")
    res = auth_client.post(URL + "/interactions", {"product": str(p.pk), "kind": "rating"}, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid_rating"


def test_record_unknown_product_is_404(auth_client):
    res = auth_client.post(
        URL + "/interactions", {"product": "00000000-0000-0000-0000-000000000000", "kind": "view"}, format="json"
    )
    assert res.status_code == 404 and res.json()["code"] == "product_not_found"


def test_schema_documents_the_endpoints(api_client):
    res = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert res.status_code == 200
    text = res.content.decode()
    assert "/api/v1/recommendations" in text and "/api/v1/recommendations/interactions" in text
