"""Unit tests of the pure-Python recommender core (no database)."""

import math

import numpy as np
import pytest

from recommendations import engine
from recommendations.engine import (
    CFModel,
    ContentIndex,
    IngredientInfo,
    ProductInfo,
    Recommender,
    UserNeeds,
    cf_weight,
    leave_some_out,
    ndcg_at_k,
    needs_from,
    precision_at_k,
    recall_at_k,
    top_k,
)

CONCERNS = ["acne", "oiliness", "dryness", "wrinkles"]
INGREDIENTS = {
    "aqua": IngredientInfo("aqua", synonyms=("water",)),
    "niacinamide": IngredientInfo("niacinamide", synonyms=("nicotinamide",), targets=("oiliness",)),
    "salicylic acid": IngredientInfo("salicylic acid", targets=("acne", "oiliness"), pregnancy_caution="caution"),
    "retinol": IngredientInfo("retinol", targets=("wrinkles",), pregnancy_caution="avoid", active_class="retinoid"),
    "sodium hyaluronate": IngredientInfo("sodium hyaluronate", synonyms=("hyaluronic acid",), targets=("dryness",)),
    "glycerin": IngredientInfo("glycerin", targets=("dryness",)),
    "parfum": IngredientInfo("parfum", synonyms=("fragrance",), is_fragrance=True),
    "limonene": IngredientInfo("limonene", is_fragrance=True),
    "linalool": IngredientInfo("linalool", is_fragrance=True),
}


def catalog():
    return [
        ProductInfo("oil-serum", "serum", ("Aqua", "Niacinamide", "Glycerin")),
        ProductInfo("acne-gel", "treatment", ("aqua", "salicylic acid", "niacinamide")),
        ProductInfo("night", "serum", ("aqua", "glycerin", "retinol")),
        ProductInfo("hydra", "moisturizer", ("aqua", "sodium hyaluronate", "glycerin"), is_vegan=True),
        ProductInfo("scented", "moisturizer", ("aqua", "glycerin", "parfum", "limonene", "linalool")),
        ProductInfo("late-nia", "serum", ("aqua", "glycerin", "sodium hyaluronate", "dimethicone", "niacinamide")),
    ]


@pytest.fixture
def index():
    return ContentIndex(catalog(), INGREDIENTS, CONCERNS)


def test_tfidf_is_over_whole_inci_names_and_weighted_by_position(index):
    # "sodium hyaluronate" is one term, not two words; names are case-insensitive.
    assert "sodium hyaluronate" in index.vocabulary
    assert "sodium" not in index.vocabulary
    row = index.tfidf[index.row_of["oil-serum"]].toarray().ravel()
    aqua, nia, gly = (index.vocabulary[n] for n in ("aqua", "niacinamide", "glycerin"))
    # aqua is in every product (lowest idf) but first; niacinamide (2nd, rarer) outweighs both.
    assert row[nia] > row[aqua] > 0 and row[nia] > row[gly] > 0
    idf = index.vectorizer.idf_
    assert row[aqua] / row[gly] == pytest.approx(
        (engine.position_weight(0) * idf[aqua]) / (engine.position_weight(2) * idf[gly])
    )
    assert math.isclose(float(np.linalg.norm(row)), 1.0, rel_tol=1e-6)
    # Same ingredient later on the label → smaller weight.
    late = index.tfidf[index.row_of["late-nia"]].toarray().ravel()
    assert late[nia] < row[nia]


def test_concern_matrix_takes_the_strongest_targeting_ingredient(index):
    j = CONCERNS.index("oiliness")
    early, late = index.row_of["oil-serum"], index.row_of["late-nia"]
    assert index.concern_matrix[early, j] == pytest.approx(engine.position_weight(1))
    assert index.concern_matrix[late, j] == pytest.approx(engine.position_weight(4))
    assert index.terms[index.concern_source[early, j]] == "niacinamide"
    assert index.concern_matrix[index.row_of["hydra"], j] == 0


def test_category_is_one_hot_in_the_product_vector(index):
    v = index.vectors
    sim_same = (v[index.row_of["oil-serum"]] @ v[index.row_of["night"]].T).toarray()[0, 0]
    sim_other = (v[index.row_of["oil-serum"]] @ v[index.row_of["scented"]].T).toarray()[0, 0]
    assert sim_same > sim_other


def test_allergy_to_fragrance_blocks_every_fragrance_ingredient(index):
    blocked, why = index.blocked_mask(UserNeeds(allergies=("Fragrance",)))
    assert blocked[index.row_of["scented"]]
    assert blocked.sum() == 1
    # a named fragrance allergen alone, and a synonym
    assert index.blocked_mask(UserNeeds(allergies=("linalool",)))[0][index.row_of["scented"]]
    b, _ = index.blocked_mask(UserNeeds(allergies=("nicotinamide",)))
    assert {index.product_ids[i] for i in np.flatnonzero(b)} == {"oil-serum", "acne-gel", "late-nia"}
    b, _ = index.blocked_mask(UserNeeds(allergies=("hyaluronic acid",)))
    assert {index.product_ids[i] for i in np.flatnonzero(b)} == {"hydra", "late-nia"}


def test_pregnancy_blocks_avoid_and_caution_actives(index):
    blocked, why = index.blocked_mask(UserNeeds(pregnant=True))
    assert {index.product_ids[i] for i in np.flatnonzero(blocked)} == {"night", "acne-gel"}
    assert not index.blocked_mask(UserNeeds())[0].any()


def test_preferences_filter_fragrance_and_non_vegan(index):
    blocked, _ = index.blocked_mask(UserNeeds(preferences=("fragrance_free",)))
    assert [index.product_ids[i] for i in np.flatnonzero(blocked)] == ["scented"]
    blocked, _ = index.blocked_mask(UserNeeds(preferences=("vegan",)))
    assert not blocked[index.row_of["hydra"]]
    assert blocked[index.row_of["oil-serum"]] == (catalog()[0].is_vegan is False)


def test_needs_from_measured_severity_then_profile_then_skin_type():
    needs = needs_from(
        analysis_concerns=[
            {"key": "oiliness", "severity": "severe", "regions": ["forehead", "nose"]},
            {"key": "acne", "severity": "none"},
            {"key": "wrinkles", "severity": "mild", "regions": []},
        ],
        profile_concerns=["oiliness", "dryness"],
        skin_type="oily",
    )
    assert needs.concerns["oiliness"] == 1.0
    assert needs.concern_sources["oiliness"] == "measured in your T-zone"
    assert "acne" not in needs.concerns
    assert needs.concerns["wrinkles"] == engine.SEVERITY_WEIGHTS["mild"]
    assert needs.concerns["dryness"] == engine.PROFILE_CONCERN_WEIGHT
    assert needs.concern_sources["dryness"] == "you listed in your profile"
    assert needs.concerns["pores"] == engine.SKIN_TYPE_CONCERNS["oily"]["pores"]


def test_content_ranks_products_targeting_the_measured_need_first_with_a_reason(index):
    rec = Recommender(index)
    needs = needs_from(analysis_concerns=[{"key": "oiliness", "severity": "moderate", "regions": ["forehead"]}])
    out = rec.recommend(needs, k=3)
    assert out[0].product_id == "oil-serum"  # niacinamide 2nd on the label
    assert out[0].reasons[0]["text"] == "contains niacinamide, which targets the shine measured in your T-zone"
    scores = [r.score for r in out]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_one_ingredient_for_several_needs_is_one_reason(index):
    needs = needs_from(profile_concerns=["oiliness", "acne"])
    (top,) = Recommender(index).recommend(needs, k=1)
    assert top.product_id == "acne-gel"  # salicylic acid 2nd: acne and oiliness
    assert top.reasons[0]["text"] == (
        "contains salicylic acid, which targets the breakouts and shine you listed in your profile"
    )
    assert top.reasons[0]["concerns"] == ["acne", "oiliness"]
    (top,) = Recommender(index).recommend(needs_from(profile_concerns=["acne"], skin_type="oily"), k=1)
    assert top.reasons[0]["text"] == (
        "contains salicylic acid, which targets the breakouts you listed in your profile, "
        "and the shine common with oily skin"
    )


def test_recommend_excludes_rows_and_filters_category(index):
    rec = Recommender(index)
    needs = needs_from(profile_concerns=["oiliness"])
    rows = [r.product_id for r in rec.recommend(needs, k=10, exclude_rows=[index.row_of["oil-serum"]])]
    assert "oil-serum" not in rows
    assert {r.product_id for r in rec.recommend(needs, k=10, category="moisturizer")} == {"hydra", "scented"}
    assert rec.recommend(needs, k=10, category="nope") == []


def tiny_cf():
    # users 0-2 use items 0 and 1 together; users 3-4 use items 2 and 3 together.
    users = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    items = np.array([0, 1, 0, 1, 0, 1, 2, 3, 2, 3])
    return CFModel.fit(
        user_index=users,
        item_index=items,
        weights=np.full(10, 4.0),
        n_users=5,
        item_ids=["a", "b", "c", "d", "e"],
        n_components=2,
    )


def test_cf_on_a_tiny_matrix_recommends_the_co_used_item():
    cf = tiny_cf()
    assert list(cf.popularity) == [3, 3, 2, 2, 0]
    idx = ContentIndex([ProductInfo(x, "serum", ("aqua",)) for x in "abcde"], INGREDIENTS, CONCERNS)
    rec = Recommender(idx, cf)
    scores = rec.cf_scores({0: 4.0})  # someone who uses "a"
    assert int(np.argmax(scores)) == 1  # → "b"
    assert scores[2] < 0.05 and scores[3] < 0.05 and scores[0] == 0
    scores = rec.cf_scores({2: 4.0})  # uses "c" → "d"
    assert int(np.argmax(scores)) == 3


def test_cf_model_round_trips_through_npz(tmp_path):
    cf = tiny_cf()
    cf.save(tmp_path / "m.npz")
    back = CFModel.load(tmp_path / "m.npz")
    assert back.item_ids == cf.item_ids
    np.testing.assert_allclose(back.item_factors, cf.item_factors)
    assert back.n_users == 5 and back.n_interactions == 10


def test_hybrid_weight_grows_with_interactions_and_new_people_get_content_only():
    assert cf_weight(0) == 0
    assert cf_weight(int(engine.CF_HALF_AT)) == pytest.approx(0.5)
    weights = [cf_weight(n) for n in range(0, 30)]
    assert weights == sorted(weights) and weights[-1] < 1
    idx = ContentIndex([ProductInfo(x, "serum", ("aqua",)) for x in "abcde"], INGREDIENTS, CONCERNS)
    rec = Recommender(idx, tiny_cf())
    score, content, cf, alpha = rec.score_all(UserNeeds(), {})
    assert alpha == 0 and not cf.any()
    score, content, cf, alpha = rec.score_all(UserNeeds(), {0: 4.0})
    assert alpha == pytest.approx(cf_weight(1))
    out = rec.recommend(UserNeeds(), {0: 4.0}, k=1, exclude_rows=[0])
    assert out[0].product_id == "b"
    assert out[0].reasons[0]["code"] == "similar_users"
    assert out[0].reasons[0]["because_of"] == "a"


def test_someone_about_whom_nothing_is_known_gets_popular_products_said_so():
    idx = ContentIndex([ProductInfo(x, "serum", ("aqua",)) for x in "abcde"], INGREDIENTS, CONCERNS)
    out = Recommender(idx, tiny_cf()).recommend(UserNeeds(), {}, k=2)
    assert {r.product_id for r in out} == {"a", "b"}
    assert out[0].reasons[0]["code"] == "popular"


def test_top_k_is_deterministic_and_skips_blocked():
    s = np.array([0.5, -np.inf, 0.9, 0.5, 0.1])
    assert top_k(s, 3) == [2, 0, 3]
    assert top_k(s, 10) == [2, 0, 3, 4]
    assert top_k(np.full(3, -np.inf), 2) == []


def test_metrics_on_hand_computed_cases():
    relevant = {"a", "b"}
    assert ndcg_at_k(["a", "b", "x"], relevant, 3) == pytest.approx(1.0)  # a perfect ranking
    assert ndcg_at_k(["x", "y"], relevant, 2) == 0.0
    # hit at rank 2 only: DCG = 1/log2(3); IDCG = 1 + 1/log2(3)
    assert ndcg_at_k(["x", "a", "y"], relevant, 3) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert precision_at_k(["x", "a", "y", "b"], relevant, 4) == 0.5
    assert precision_at_k(["x", "a"], relevant, 4) == 0.25  # precision@k divides by k
    assert recall_at_k(["x", "a", "y"], relevant, 3) == 0.5
    assert recall_at_k(["a", "b"], relevant, 1) == 0.5
    assert ndcg_at_k(["a"], {"a"}, 10) == 1.0


def test_leave_some_out_holds_out_a_fifth_of_active_people_only():
    data = {0: {i: 1.0 for i in range(10)}, 1: {0: 1.0, 1: 1.0}}
    split = leave_some_out(data, seed=3)
    assert set(split.test) == {0}
    assert len(split.test[0]) == 2
    assert not split.test[0] & set(split.train[0])
    assert set(split.train[0]) | split.test[0] == set(range(10))
    assert split.train[1] == data[1]
    assert leave_some_out(data, seed=3).test == split.test  # seeded


def test_interaction_weights():
    assert engine.interaction_weight("routine") > engine.interaction_weight("shelf") > engine.interaction_weight("view")
    assert engine.interaction_weight("rating", 5) == 5
    assert engine.interaction_weight("rating", 3) == 0
    assert engine.interaction_weight("view", 10) > engine.interaction_weight("view", 1)


def test_nothing_known_starts_with_gentle_basics_and_no_score():
    infos = {
        **INGREDIENTS,
        "retinol": IngredientInfo("retinol", targets=("wrinkles",), pregnancy_caution="avoid", active_class="retinoid"),
    }
    products = [
        ProductInfo("r", "serum", ("aqua", "retinol")),
        ProductInfo("c", "cleanser", ("aqua",)),
        ProductInfo("m", "moisturizer", ("aqua",)),
        ProductInfo("s", "sunscreen", ("aqua",)),
        ProductInfo("s2", "sunscreen", ("aqua", "retinol")),
    ]
    idx = ContentIndex(products, infos, CONCERNS)
    out = Recommender(idx).recommend(UserNeeds(), {}, k=5)
    assert [r.product_id for r in out][:3] == ["s", "m", "c"]  # one of each basic, gentle ones only
    assert {r.product_id for r in out[3:]} == {"r", "s2"}
    assert all(r.score == 0.0 for r in out)
    assert out[0].reasons[0]["code"] == "basics" and not any(d["code"] == "popular" for d in out[0].reasons)
