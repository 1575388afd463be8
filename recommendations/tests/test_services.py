"""Services and selectors: interactions, syncing from other apps, training, and the served list."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory
from analysis.tests.factories import SkinAnalysisFactory
from ingredients.models import Favorite, Product
from ingredients.services import product_is_safe_for
from recommendations import selectors, services
from recommendations.models import Interaction, RecommenderModel
from routines.models import Routine, RoutineStep, ShelfItem, StepCompletion
from skincare.core import i18n
from skincare.core.errors import DomainError, NotFound

from .factories import make_product

pytestmark = pytest.mark.django_db

FRAGRANCE = {"parfum", "limonene", "linalool"}


def names_of(product: Product) -> set[str]:
    return {pi.raw_name.lower() for pi in product.product_ingredients.all()}


def set_profile(user, **fields):
    for k, v in fields.items():
        setattr(user.profile, k, v)
    user.profile.save()


def ids(result):
    return [str(item.product.pk) for item in result.items]


@pytest.fixture
def catalogue():
    """A mixed catalogue: half the products carry fragrance, some retinol, some salicylic acid."""
    products = []
    actives = ["Niacinamide", "Retinol", "Salicylic Acid", "Sodium Hyaluronate", "Azelaic Acid", "Caffeine"]
    for i in range(24):
        names = ["Aqua", "Glycerin", actives[i % len(actives)], "Dimethicone", "Phenoxyethanol"]
        if i % 2:
            names += ["Parfum", "Limonene"] if i % 4 == 1 else ["Linalool"]
        products.append(make_product(*names, category=["serum", "moisturizer", "cleanser"][i % 3]))
    return products


# --- interactions ---------------------------------------------------------------------------------
def test_interaction_record_counts_views_and_replaces_ratings(user):
    p = make_product("Aqua", "Niacinamide")
    services.interaction_record(user=user, product_id=p.pk, kind="view")
    services.interaction_record(user=user, product_id=p.pk, kind="view")
    assert Interaction.objects.get(user=user, kind="view").value == 2
    services.interaction_record(user=user, product_id=p.pk, kind="rating", value=5)
    services.interaction_record(user=user, product_id=p.pk, kind="rating", value=2)
    assert Interaction.objects.get(user=user, kind="rating").value == 2
    services.interaction_record(user=user, product_id=p.pk, kind="favorite")
    services.interaction_record(user=user, product_id=p.pk, kind="favorite")
    assert Interaction.objects.filter(user=user).count() == 3


def test_interaction_record_rejects_bad_input(user):
    p = make_product("Aqua")
    with pytest.raises(DomainError) as exc:
        services.interaction_record(user=user, product_id=p.pk, kind="rating", value=9)
    assert exc.value.code == "invalid_rating"
    with pytest.raises(DomainError) as exc:
        services.interaction_record(user=user, product_id=p.pk, kind="stare")
    assert exc.value.code == "invalid_kind"
    with pytest.raises(NotFound):
        services.interaction_record(user=user, product_id="not-a-uuid", kind="view")


def test_sync_mirrors_favorites_shelf_and_routine_use(user):
    a, b, c = make_product("Aqua"), make_product("Aqua", "Glycerin"), make_product("Aqua", "Caffeine")
    Favorite.objects.create(user=user, product=a)
    ShelfItem.objects.create(user=user, product=b, name="B")
    routine = Routine.objects.create(user=user, name="AM", period="am", is_active=True)
    step = RoutineStep.objects.create(routine=routine, order=1, category="serum", product=c)
    for day in (1, 2):
        StepCompletion.objects.create(user=user, routine=routine, step=step, date=dt.date(2026, 1, day))
    services.interaction_record(user=user, product_id=a.pk, kind="view")

    assert services.interactions_sync_for_user(user=user) == {"created": 3, "updated": 0, "deleted": 0}
    got = {(str(i.product_id), i.kind): i.value for i in Interaction.objects.filter(user=user)}
    assert got == {
        (str(a.pk), "favorite"): 1,
        (str(b.pk), "shelf"): 1,
        (str(c.pk), "routine"): 2,
        (str(a.pk), "view"): 1,
    }
    # idempotent; then an unfavourite removes the mirror and leaves the view alone
    assert services.interactions_sync_for_user(user=user) == {"created": 0, "updated": 0, "deleted": 0}
    Favorite.objects.filter(user=user).delete()
    assert services.interactions_sync_all()["deleted"] == 1
    assert Interaction.objects.filter(user=user, kind="view").exists()


# --- training -------------------------------------------------------------------------------------
def test_train_writes_a_versioned_artefact_and_keeps_three(user):
    assert services.recommender_train() is None  # nothing to learn from yet
    products = [make_product("Aqua", "Glycerin") for _ in range(4)]
    for u in [user, UserFactory(), UserFactory()]:
        for p in products[:3]:
            Interaction.objects.create(user=u, product=p, kind="shelf")
    first = services.recommender_train()
    assert first.version == 1 and first.is_active
    assert (Path(settings.ML_MODELS_DIR) / first.path).exists()
    assert first.n_users == 3 and first.n_items == 3 and first.n_interactions == 9
    for _ in range(3):
        last = services.recommender_train()
    assert last.version == 4
    assert list(RecommenderModel.objects.values_list("version", flat=True)) == [4, 3, 2]
    assert list(RecommenderModel.objects.filter(is_active=True).values_list("version", flat=True)) == [4]
    assert not (Path(settings.ML_MODELS_DIR) / first.path).exists()


def test_retrain_task_syncs_trains_and_then_has_nothing_to_do(user):
    from recommendations.tasks import retrain_recommender

    products = [make_product("Aqua", "Glycerin") for _ in range(3)]
    for u in [user, UserFactory()]:
        for p in products:
            Favorite.objects.create(user=u, product=p)
    out = retrain_recommender.delay().get()
    assert out["version"] == 1 and out["synced"]["created"] == 6
    assert retrain_recommender.delay().get()["skipped"] == "no new interactions"
    assert retrain_recommender.delay(force=True).get()["version"] == 2


def test_periodic_schedule_names_a_real_task():
    from recommendations import tasks
    from recommendations.periodic import SCHEDULE

    (spec,) = SCHEDULE.values()
    assert spec["task"] == "recommendations.tasks.retrain_recommender"
    assert tasks.retrain_recommender.name == spec["task"]
    assert set(spec["crontab"]) == {"minute", "hour"}


# --- what is served -----------------------------------------------------------------------------
def test_allergic_to_fragrance_never_gets_parfum_limonene_or_linalool(user, catalogue):
    set_profile(user, allergies=["fragrance"])
    result = selectors.recommendations_for(user=user, limit=50)
    served = Product.objects.filter(pk__in=ids(result)).prefetch_related("product_ingredients")
    assert len(served) == 12  # every fragrance-free product, and only those
    for p in served:
        assert not names_of(p) & FRAGRANCE


def test_never_an_allergen_agrees_with_the_ingredients_app(user, other_user, catalogue):
    """Oracle: every product the ingredients app calls unsafe for the profile is absent from the list."""
    cases = [
        {"allergies": ["Linalool"]},
        {"allergies": ["perfume"]},
        {"allergies": ["nicotinamide"]},  # a synonym of Niacinamide
        {"allergies": ["hyaluronic acid"]},
        {"pregnant_or_nursing": True},
        {"allergies": ["limonene", "retinol"], "pregnant_or_nursing": True},
    ]
    for fields in cases:
        set_profile(user, allergies=[], pregnant_or_nursing=False)
        set_profile(user, **fields)
        user.profile.refresh_from_db()
        served = set(ids(selectors.recommendations_for(user=user, limit=50)))
        unsafe = {
            str(p.pk)
            for p in Product.objects.prefetch_related("product_ingredients__ingredient")
            if not product_is_safe_for(product=p, profile=user.profile)[0]
        }
        assert unsafe, fields  # the case really excludes something
        assert not served & unsafe, fields
        assert served, fields


def test_pregnant_never_gets_retinol_or_ask_your_doctor_actives(user, catalogue):
    set_profile(user, pregnant_or_nursing=True, concerns=["wrinkles", "acne"])
    result = selectors.recommendations_for(user=user, limit=50)
    served = Product.objects.filter(pk__in=ids(result)).prefetch_related("product_ingredients")
    assert served
    for p in served:
        assert not names_of(p) & {"retinol", "salicylic acid"}
    assert any("pregnancy" in r for item in result.items for r in item.reasons)


def test_measured_concerns_drive_the_ranking_and_the_reasons(user, catalogue):
    SkinAnalysisFactory(
        user=user,
        done=True,
        completed_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        concerns=[
            {"key": "oiliness", "score": 30, "severity": "severe", "regions": ["forehead", "nose"]},
            {"key": "wrinkles", "score": 90, "severity": "none", "regions": []},
        ],
    )
    result = selectors.recommendations_for(user=user, limit=5)
    top = result.items[0]
    assert "niacinamide" in names_of(top.product)
    assert top.reasons[0] == "contains niacinamide, which targets the shine measured in your T-zone"
    assert result.basis["concerns"][0] == "oiliness"
    assert result.basis["analysis"] is not None
    assert [i.score for i in result.items] == sorted((i.score for i in result.items), reverse=True)
    assert all(0 <= i.score <= 100 for i in result.items)


def test_category_filter_and_owned_products(user, catalogue):
    set_profile(user, concerns=["dryness"])
    mine = catalogue[4]  # a moisturizer
    ShelfItem.objects.create(user=user, product=mine, name="Mine")
    result = selectors.recommendations_for(user=user, category="moisturizer", limit=50)
    assert {i.product.category for i in result.items} == {"moisturizer"}
    assert str(mine.pk) not in ids(result)
    assert result.basis["excluded_owned"] == 1
    again = selectors.recommendations_for(user=user, category="moisturizer", limit=50, include_owned=True)
    assert str(mine.pk) in ids(again)


@pytest.mark.parametrize("params,code", [({"category": "potion"}, "invalid_category"), ({"limit": 0}, "invalid_limit")])
def test_bad_parameters_raise_with_a_code(user, params, code):
    with pytest.raises(DomainError) as exc:
        selectors.recommendations_for(user=user, **params)
    assert exc.value.code == code


def test_people_with_similar_shelves_after_training(user, catalogue):
    # Three people keep the same three products; our user has two of them.
    a, b, c = catalogue[0], catalogue[2], catalogue[4]
    for _ in range(3):
        u = UserFactory()
        for p in (a, b, c):
            Interaction.objects.create(user=u, product=p, kind="routine", value=3)
    for _ in range(3):  # noise: others with other products
        u = UserFactory()
        for p in catalogue[10:13]:
            Interaction.objects.create(user=u, product=p, kind="shelf")
    for p in (a, b):
        Interaction.objects.create(user=user, product=p, kind="favorite")
    before = ids(selectors.recommendations_for(user=user, limit=50))  # content only: no model yet
    services.recommender_train(n_components=2)
    result = selectors.recommendations_for(user=user, limit=50)
    after = ids(result)
    assert after.index(str(c.pk)) < before.index(str(c.pk))
    assert after.index(str(c.pk)) < 3
    top = result.items[after.index(str(c.pk))]
    codes = [d["code"] for d in top.details]
    assert "similar_users" in codes
    text = top.reasons[codes.index("similar_users")]
    assert text.startswith("people who use ") and text.endswith(" also use it")
    assert result.basis["collaborative_weight"] > 0
    assert result.basis["model_version"] == 1


def test_a_new_person_on_a_fresh_site_gets_no_invented_match_and_is_told_what_would_help(user, catalogue):
    # Given a new account with nothing in the profile, no analysis, and nobody has used the site yet
    result = selectors.recommendations_for(user=user, limit=3)
    # Then there is no match score to show and no "popular" claim without people behind it
    assert result.basis["collaborative_weight"] == 0 and result.basis["personal"] is False
    assert result.items and all(i.score is None for i in result.items)
    assert not any(d["code"] == "popular" for i in result.items for d in i.details)
    # and the list says what would make it personal
    codes = [m["code"] for m in result.basis["to_personalise"]]
    assert codes == ["take_analysis", "add_concerns", "add_skin_type"]


def test_without_an_analysis_the_profile_is_matched(user, catalogue):
    set_profile(user, concerns=["oiliness"], skin_type="oily")
    result = selectors.recommendations_for(user=user, limit=3)
    assert result.basis["personal"] is True and result.basis["analysis"] is None
    assert all(i.score is not None and i.score > 0 for i in result.items)
    assert [m["code"] for m in result.basis["to_personalise"]] == ["take_analysis"]
    assert "you listed in your profile" in result.items[0].reasons[0]


def test_catalogue_changes_are_picked_up(user, catalogue):
    set_profile(user, concerns=["dark_circles"])
    before = selectors.recommendations_for(user=user, category="eye", limit=5)
    assert before.items == []
    eye = make_product("Aqua", "Caffeine", category="eye")
    after = selectors.recommendations_for(user=user, category="eye", limit=5)
    assert ids(after) == [str(eye.pk)]


def test_gdpr_export_and_cascade(user):
    from recommendations import gdpr

    p = make_product("Aqua")
    services.interaction_record(user=user, product_id=p.pk, kind="rating", value=4)
    data = gdpr.export(user)
    assert data["interactions"][0]["kind"] == "rating" and data["interactions"][0]["value"] == 4
    assert gdpr.files(user) == []
    import json

    json.dumps(data)
    from accounts.services import account_export

    exported = account_export(user=user)["apps"]["recommendations"]
    assert exported["interactions"][0]["product"] == str(p.pk)
    user.delete()
    assert not Interaction.objects.exists()


def test_state_is_rechecked_only_after_the_ttl(user, settings, django_assert_num_queries):
    settings.RECOMMENDATIONS_STATE_TTL = 60
    make_product("Aqua", "Glycerin")
    selectors.recommender()
    with django_assert_num_queries(0):
        selectors.recommender()
    settings.RECOMMENDATIONS_STATE_TTL = 0
    with django_assert_num_queries(1):
        selectors.recommender()


def test_reasons_are_said_in_the_readers_language_words_included(user, catalogue, monkeypatch):
    """The engine's reasons are messages: rendered with gettext (here a fake that shouts, placeholders kept), the
    sentence and the words inside it (concern, region) are translated; the ingredient's INCI name is not."""
    import re

    from django.utils import translation

    asked: list[str] = []

    def shout(text):
        asked.append(text)
        return "".join(p if p.startswith("%(") else p.upper() for p in re.split(r"(%\([a-z_]+\)s)", text))

    SkinAnalysisFactory(
        user=user,
        status="done",
        concerns=[{"key": "oiliness", "score": 30, "severity": "severe", "regions": ["forehead", "nose"]}],
    )
    english = selectors.recommendations_for(user=user, limit=5).items[0].reasons[0]
    assert english == "contains niacinamide, which targets the shine measured in your T-zone"
    monkeypatch.setattr(selectors, "gettext", shout)
    monkeypatch.setattr(i18n, "gettext", shout)  # the one place stored messages are said
    with translation.override("es"):
        result = selectors.recommendations_for(user=user, limit=5)
    assert result.items[0].reasons[0] == "CONTAINS niacinamide, WHICH TARGETS THE SHINE MEASURED IN YOUR T-ZONE"
    assert result.items[0].details[0]["text"] == result.items[0].reasons[0]  # the API's reason_details too
    assert {"contains %(ingredient)s, which targets %(concerns)s", "shine", "T-zone"} <= set(asked)
    assert "msg" not in result.items[0].details[0]
