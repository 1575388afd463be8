"""API per API.md: success, anonymous 401, bad input 400 with a code, another user's object 404, query guards."""

import base64
import uuid

import pytest

from accounts.models import Profile
from ingredients.models import Favorite, Scan
from ingredients.tests.factories import ProductFactory
from ingredients.tests.labels import LABEL_NAMES, render_label

pytestmark = pytest.mark.django_db

ANALYZE = "/api/v1/ingredients/analyze"
SCAN = "/api/v1/ingredients/scan"
FAVS = "/api/v1/ingredients/favorites"


def _code(response, status):
    assert response.status_code == status, response.content
    return response.json()["code"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", SCAN),
        ("post", ANALYZE),
        ("get", "/api/v1/ingredients/search?q=glyc"),
        ("get", f"/api/v1/ingredients/{uuid.uuid4()}"),
        ("get", FAVS),
        ("post", FAVS),
        ("delete", FAVS),
        ("get", "/api/v1/products"),
        ("get", f"/api/v1/products/{uuid.uuid4()}"),
    ],
)
def test_anonymous_gets_401(api_client, method, path):
    assert _code(getattr(api_client, method)(path), 401) == "not_authenticated"


def test_analyze_text_with_personal_warnings(kb, auth_client, user):
    Profile.objects.update_or_create(user=user, defaults={"allergies": ["fragrance"], "pregnant_or_nursing": True})
    r = auth_client.post(ANALYZE, {"text": "Ingredients: Aqua, Retinol, Parfum, Linalool."}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [i["ingredient"]["inci_name"] for i in body["ingredients"]] == ["Aqua", "Retinol", "Parfum", "Linalool"]
    assert {w["code"] for w in body["warnings"]} >= {"user_allergy", "pregnancy_avoid"}
    assert body["verdict"] == "red" and body["disclaimer"]
    assert set(body) >= {"ingredients", "verdict", "score", "warnings", "unknown"}
    item = body["ingredients"][0]
    assert set(item) >= {"position", "raw", "name", "ingredient", "match_confidence", "rating", "flags", "notes"}
    assert Scan.objects.filter(user=user).count() == 1


def test_analyze_list_and_slash_path(kb, auth_client):
    r = auth_client.post(ANALYZE + "/", {"ingredients": ["Water", "Glycerin", "Nonexistium"]}, format="json")
    assert r.status_code == 200
    assert r.json()["unknown"] == ["Nonexistium"]
    assert r.json()["ingredients"][0]["ingredient"]["inci_name"] == "Aqua"


@pytest.mark.parametrize(
    ("payload", "code"),
    [({}, "no_ingredients"), ({"text": ""}, "validation_error"), ({"ingredients": "Aqua"}, "validation_error"),
     ({"text": "12345 %%%"}, "no_ingredients_found")],
)  # fmt: skip
def test_analyze_bad_input(kb, auth_client, payload, code):
    assert _code(auth_client.post(ANALYZE, payload, format="json"), 400) == code


def test_scan_photo_multipart_and_base64(kb, auth_client, user):
    image = render_label(LABEL_NAMES[:8], size=30, width_chars=40)
    r = auth_client.post(SCAN, {"file": _upload(image)}, format="multipart")
    assert r.status_code == 200, r.content
    body = r.json()
    names = [i["ingredient"]["inci_name"] for i in body["ingredients"] if i["ingredient"]]
    assert sum(n in names for n in LABEL_NAMES[:8]) >= 8 * 0.95
    assert "Glycerin" in body["text"] and body["disclaimer"]
    r = auth_client.post(SCAN, {"image_data": base64.b64encode(image).decode()}, format="json")
    assert r.status_code == 200
    assert Scan.objects.filter(user=user, source="photo").count() == 2


def test_scan_errors(kb, auth_client):
    # one intake for every upload: the same code for a missing photo as the analysis upload
    assert _code(auth_client.post(SCAN, {}, format="multipart"), 400) == "no_image"
    assert _code(auth_client.post(SCAN, {"file": _upload(b"not an image at all")}, format="multipart"), 400) == (
        "not_an_image"
    )
    blank = _blank_png()
    assert _code(auth_client.post(SCAN, {"file": _upload(blank)}, format="multipart"), 400) == "no_text_found"
    assert _code(auth_client.post(SCAN, {"image_data": "@@notbase64@@"}, format="json"), 400) == "not_an_image"


def test_scan_too_large(kb, auth_client, settings):
    settings.ANALYSIS_MAX_UPLOAD_BYTES = 100  # the one limit of every upload
    r = auth_client.post(SCAN, {"file": _upload(render_label(["Aqua"]))}, format="multipart")
    assert _code(r, 413) == "file_too_large"


def test_ingredient_search_and_detail(kb, auth_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        r = auth_client.get("/api/v1/ingredients/search?q=hyaluron&page_size=20")
    assert r.status_code == 200
    names = [i["inci_name"] for i in r.json()["results"]]
    assert "Sodium Hyaluronate" in names and r.json()["count"] >= 3
    syn = auth_client.get("/api/v1/ingredients/search?q=Vitamin E").json()["results"]
    assert "Tocopherol" in [i["inci_name"] for i in syn]
    misspelled = auth_client.get("/api/v1/ingredients/search?q=niacinamde").json()["results"]
    assert "Niacinamide" in [i["inci_name"] for i in misspelled[:3]]
    detail = auth_client.get(f"/api/v1/ingredients/{names[0] and r.json()['results'][0]['id']}").json()
    assert detail["sources"]["inci_name"] and "hazard_score" in detail
    assert _code(auth_client.get(f"/api/v1/ingredients/{uuid.uuid4()}"), 404) == "ingredient_not_found"
    assert _code(auth_client.get("/api/v1/ingredients/search?q=" + "x" * 101), 400) == "query_too_long"


def test_favorites_crud_and_isolation(kb, auth_client, other_client, user, other_user):
    product = ProductFactory()
    r = auth_client.post(FAVS, {"product": str(product.id)}, format="json")
    assert r.status_code == 201 and r.json()["product"]["is_favorite"] is True
    assert auth_client.post(FAVS, {"product": str(product.id)}, format="json").status_code == 201  # idempotent
    assert Favorite.objects.filter(user=user).count() == 1
    listed = auth_client.get(FAVS).json()
    assert listed["count"] == 1 and listed["results"][0]["product"]["id"] == str(product.id)
    # the other user sees nothing and cannot delete it
    assert other_client.get(FAVS).json()["count"] == 0
    assert _code(other_client.delete(f"{FAVS}?product={product.id}"), 404) == "favorite_not_found"
    assert _code(auth_client.post(FAVS, {"product": "nope"}, format="json"), 400) == "validation_error"
    assert _code(auth_client.post(FAVS, {"product": str(uuid.uuid4())}, format="json"), 404) == "product_not_found"
    assert auth_client.delete(f"{FAVS}?product={product.id}").status_code == 204
    assert not Favorite.objects.filter(user=user).exists()


@pytest.mark.parametrize("n", [1, 20])
def test_list_endpoints_query_count(kb, auth_client, user, django_assert_max_num_queries, n):
    products = [ProductFactory() for _ in range(n)]
    for p in products:
        Favorite.objects.create(user=user, product=p)
    with django_assert_max_num_queries(6):
        r = auth_client.get("/api/v1/products?page_size=50")
    assert r.status_code == 200 and r.json()["count"] == n
    with django_assert_max_num_queries(6):
        r = auth_client.get(FAVS + "?page_size=50")
    assert r.json()["count"] == n


def test_products_filter_and_detail(kb, auth_client):
    from ingredients import services

    serum = ProductFactory(
        name="Retinol Night Serum", category="serum", search_text="Testbrand Retinol Night Serum serum"
    )
    services.product_set_ingredients(product=serum, text="Aqua, Retinol, Squalane")
    ProductFactory(name="Daily Cleanser", category="cleanser", search_text="Testbrand Daily Cleanser cleanser")
    r = auth_client.get("/api/v1/products?category=serum").json()
    assert [p["name"] for p in r["results"]] == ["Retinol Night Serum"]
    r = auth_client.get("/api/v1/products?q=cleanser").json()
    assert [p["name"] for p in r["results"]] == ["Daily Cleanser"]
    assert _code(auth_client.get("/api/v1/products?category=shampoo"), 400) == "validation_error"
    detail = auth_client.get(f"/api/v1/products/{serum.id}").json()
    assert [i["raw_name"] for i in detail["ingredients"]] == ["Aqua", "Retinol", "Squalane"]
    assert detail["analysis"]["active_classes"] == ["retinoid"]
    assert _code(auth_client.get(f"/api/v1/products/{uuid.uuid4()}"), 404) == "product_not_found"


def _upload(data: bytes, name: str = "label.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")


def _blank_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (400, 300), 240).save(buf, format="PNG")
    return buf.getvalue()


def test_scan_uses_the_upload_throttle(kb, auth_client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "upload", "2/min")
    for _ in range(2):
        assert auth_client.post(SCAN, {"file": _upload(b"junk")}, format="multipart").status_code == 400
    r = auth_client.post(SCAN, {"file": _upload(b"junk")}, format="multipart")
    assert _code(r, 429) == "throttled" and r["Retry-After"]
