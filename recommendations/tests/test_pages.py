"""The recommendations page (session auth)."""

import pytest
from django.urls import reverse

from .factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_login_required(client):
    res = client.get(reverse("recommendations:list"))
    assert res.status_code == 302
    assert reverse("accounts:login") in res["Location"]


def test_cards_show_reasons_and_scores(logged_in, user):
    user.profile.concerns = ["oiliness"]
    user.profile.save()
    p = make_product("Aqua", "Niacinamide", "Glycerin", category="serum", name="Balance Serum")
    res = logged_in.get(reverse("recommendations:list"))
    assert res.status_code == 200
    html = res.content.decode()
    assert "Balance Serum" in html
    assert "Contains niacinamide, which targets the shine you listed in your profile" in html
    assert f'data-product="{p.pk}"' in html
    assert reverse("ingredients:product", kwargs={"pk": p.pk}) in html
    assert reverse("ingredients:favorite_toggle", kwargs={"pk": p.pk}) in html
    assert "For you" in html  # the nav link appears once the page exists


def test_category_filter_and_bad_category(logged_in):
    make_product("Aqua", "Glycerin", category="serum", name="A Serum")
    make_product("Aqua", "Glycerin", category="cleanser", name="A Cleanser")
    html = logged_in.get(reverse("recommendations:list"), {"category": "cleanser"}).content.decode()
    assert "A Cleanser" in html and "A Serum" not in html
    res = logged_in.get(reverse("recommendations:list"), {"category": "potion"})
    assert res.status_code == 400
    assert "Unknown category" in res.content.decode()


def test_empty_state_says_why(logged_in, user):
    user.profile.allergies = ["fragrance"]
    user.profile.save()
    make_product("Aqua", "Parfum", category="serum")
    html = logged_in.get(reverse("recommendations:list")).content.decode()
    assert "No product matches these filters without one of your allergens" in html


def test_admin_pages_render(client, django_user_model):
    from recommendations import services
    from recommendations.models import Interaction

    admin = django_user_model.objects.create_superuser("admin@example.com", "Adm1n-pass-word")
    client.force_login(admin)
    p = make_product("Aqua", "Glycerin")
    Interaction.objects.create(user=admin, product=p, kind="shelf")
    Interaction.objects.create(user=admin, product=make_product("Aqua"), kind="favorite")
    services.recommender_train(n_components=1)
    for name in ("interaction", "recommendermodel"):
        res = client.get(reverse(f"admin:recommendations_{name}_changelist"))
        assert res.status_code == 200
    res = client.post(
        reverse("admin:recommendations_recommendermodel_changelist"),
        {"action": "train_now", "_selected_action": []},
    )
    assert res.status_code in (200, 302)


def test_a_new_account_on_a_fresh_site_sees_no_zero_badges_and_what_would_make_it_personal(logged_in):
    # Given products, but nobody has used the site and the profile is empty
    make_product("Aqua", "Niacinamide", category="serum", name="Balance Serum")
    make_product("Aqua", "Glycerin", category="moisturizer", name="Plain Cream")
    html = logged_in.get(reverse("recommendations:list")).content.decode()
    # Then no "0 / 100" match and no "popular" claim: nothing was measured, nobody was counted
    assert "Balance Serum" in html
    assert "/ 100 match" not in html and "popular" not in html.lower()
    # and the page says what would make the list personal, with links to do it
    assert "To make this list personal" in html
    assert reverse("analysis:capture") in html and reverse("accounts:profile") in html


def test_an_empty_catalogue_says_so_on_the_page_and_in_the_api(logged_in, auth_client):
    # Given a fresh install whose catalogue has no products yet (it was a 500 in sklearn's normalize)
    page = logged_in.get(reverse("recommendations:list"))
    assert page.status_code == 200 and b'id="empty-catalog"' in page.content
    body = auth_client.get("/api/v1/recommendations").json()
    assert body["results"] == [] and body["basis"]["catalog_size"] == 0
