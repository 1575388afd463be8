"""Pages: login required, scan by text and by photo, result, ingredient, product, search, favorites, batch."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ingredients import services
from ingredients.models import Favorite, Ingredient, Scan
from ingredients.tests.factories import BatchFactory, ProductFactory
from ingredients.tests.labels import LABEL_NAMES, render_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name", ["ingredients:scan", "ingredients:search", "ingredients:products", "ingredients:favorites"]
)
def test_pages_need_login(client, name):
    r = client.get(reverse(name))
    assert r.status_code == 302 and "login" in r["Location"]


def test_scan_text_shows_colour_coded_result(kb, page_client, user):
    r = page_client.get(reverse("ingredients:scan"))
    assert r.status_code == 200 and b"Ingredient scanner" in r.content
    r = page_client.post(reverse("ingredients:scan"), {"text": "Ingredients: Aqua, Glycerin, Parfum, Retinol"})
    scan = Scan.objects.get(user=user)
    assert r.status_code == 302 and r["Location"] == reverse("ingredients:scan_result", args=[scan.id])
    page = page_client.get(r["Location"]).content.decode()
    assert "ing-item card green" in page and "ing-item card yellow" in page
    assert "Cosmetic guidance" in page  # disclaimer
    assert reverse("ingredients:ingredient", args=[Ingredient.objects.get(inci_name="Retinol").id]) in page


def test_scan_photo(kb, page_client, user):
    image = SimpleUploadedFile("l.png", render_label(LABEL_NAMES[:6]), content_type="image/png")
    r = page_client.post(reverse("ingredients:scan"), {"photo": image})
    assert r.status_code == 302
    assert Scan.objects.get(user=user).source == "photo"


def test_scan_form_errors(kb, page_client):
    r = page_client.post(reverse("ingredients:scan"), {"text": ""})
    assert r.status_code == 200 and b"Add a photo" in r.content
    r = page_client.post(reverse("ingredients:scan"), {"text": "%%% 123"})
    assert b"No ingredient list" in r.content


def test_other_users_scan_is_404(kb, page_client, other_user):
    scan = Scan.objects.create(user=other_user, text="Aqua", result={})
    assert page_client.get(reverse("ingredients:scan_result", args=[scan.id])).status_code == 404


def test_ingredient_page_lists_sources(kb, page_client):
    ing = Ingredient.objects.get(inci_name="Limonene")
    page = page_client.get(reverse("ingredients:ingredient", args=[ing.id])).content.decode()
    assert "on-the-list (EU CosIng annexes, CC BY 4.0)" in page and "Allergen" in page


def test_product_page_favorite_toggle_and_favorites(kb, page_client, user):
    product = ProductFactory(name="Calm Serum")
    services.product_set_ingredients(product=product, text="Aqua, Niacinamide, Panthenol")
    page = page_client.get(reverse("ingredients:product", args=[product.id])).content.decode()
    assert "Calm Serum" in page and "Niacinamide" in page
    page_client.post(reverse("ingredients:favorite_toggle", args=[product.id]))
    assert Favorite.objects.filter(user=user, product=product).exists()
    assert b"Calm Serum" in page_client.get(reverse("ingredients:favorites")).content
    page_client.post(reverse("ingredients:favorite_toggle", args=[product.id]), {"next": "favorites"})
    assert not Favorite.objects.filter(user=user).exists()


def test_search_and_suggestions(kb, page_client):
    ProductFactory(name="Hyaluronic Essence", category="essence", search_text="Testbrand Hyaluronic Essence essence")
    page = page_client.get(reverse("ingredients:search") + "?q=hyaluronic").content.decode()
    assert "Sodium Hyaluronate" in page and "Hyaluronic Essence" in page
    data = page_client.get(reverse("ingredients:suggest") + "?q=niacin").json()
    assert "Niacinamide" in [s["label"] for s in data["results"]]
    page = page_client.get(reverse("ingredients:products") + "?category=essence").content.decode()
    assert "Hyaluronic Essence" in page


def test_public_batch_page(kb, client):
    today = dt.date.today()
    batch = BatchFactory(manufacture_date=today - dt.timedelta(days=300), expiry_date=today + dt.timedelta(days=10))
    services.product_set_ingredients(product=batch.product, text="Aqua, Glycerin, Parfum")
    r = client.get(reverse("ingredients:batch", args=[batch.public_id]))
    page = r.content.decode()
    assert r.status_code == 200 and "Use soon" in page and "<svg" in page and "Glycerin" in page
    assert "/ingredients/i/" not in page  # no links into signed-in pages for anonymous visitors
    assert client.get(reverse("ingredients:batch", args=["guess"])).status_code == 404


def test_admin_pages(kb, admin_client):
    product = ProductFactory()
    BatchFactory(product=product)
    for name in ["ingredient", "product", "productingredient", "batch", "favorite", "scan"]:
        assert admin_client.get(reverse(f"admin:ingredients_{name}_changelist") + "?q=a").status_code == 200
    assert admin_client.get(reverse("admin:ingredients_ingredient_export")).status_code == 200
    assert admin_client.get(reverse("admin:ingredients_ingredient_import")).status_code == 200
    ing = Ingredient.objects.get(inci_name="Glycerin")
    assert admin_client.get(reverse("admin:ingredients_ingredient_change", args=[ing.id])).status_code == 200
    batch = product.batches.first()
    page = admin_client.get(reverse("admin:ingredients_batch_change", args=[batch.id])).content.decode()
    assert "<svg" in page
    qr = admin_client.get(reverse("admin:ingredients_batch_qr", args=[batch.id]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
