"""Recommender bench (standalone: `python bench/recommendations_bench.py [--products N] [--users N]`).

1. Quality: NDCG@10 (and precision/recall@10) of the hybrid, content-only, CF-only and the popularity
   baseline on the seeded synthetic population (recommendations/synthetic.py), per-user leave-some-out,
   measured in the same run: the small population the tests use, then the 10,000-product / 50,000-person
   one (2,000 held-out people evaluated).
2. Latency at scale: 10,000 products, CF trained on 50,000 people. The engine alone (score, filter, rank,
   explain), then the full API request GET /api/v1/recommendations?limit=20 against a plain paginated
   product-list request (the catalogue's GET /api/v1/products if it is routed, else an equivalent DRF
   ListAPIView: ordered page of 20 products serialised), both through DRF in the same process, on an
   isolated SQLite database holding the 10,000 products and their ingredient lists; the ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommendations import engine  # noqa: E402
from recommendations.evaluation import evaluate_synthetic, run_evaluation  # noqa: E402
from recommendations.synthetic import make_catalog, make_population  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def show_metrics(title: str, result: dict) -> None:
    print(
        f"\n{title}: {result['products']} products, {result['people']} people, {result['interactions']} interactions, "
        f"{result['held_out_people']} people evaluated, CF rank {result['n_components']}, seed {result['seed']}"
    )
    print(f"  {'ranker':<11}{'precision@10':>13}{'recall@10':>11}{'NDCG@10':>9}")
    for name, m in result["metrics"].items():
        print(f"  {name:<11}{m['precision@10']:>13.4f}{m['recall@10']:>11.4f}{m['ndcg@10']:>9.4f}")
    h, p = result["metrics"]["hybrid"]["ndcg@10"], result["metrics"]["popularity"]["ndcg@10"]
    print(f"  NDCG@10 hybrid {h:.4f} vs popularity {p:.4f}: {h / p:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=50_000)
    ap.add_argument("--eval-users", type=int, default=2_000)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    # --- 1. quality ----------------------------------------------------------------------------
    t = time.perf_counter()
    small = evaluate_synthetic(n_products=400, n_users=1500, seed=args.seed)
    show_metrics(f"Synthetic population, small ({time.perf_counter() - t:.1f} s)", small)

    t = time.perf_counter()
    catalog = make_catalog(args.products, seed=args.seed)
    index = catalog.content_index()
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    population = make_population(catalog, index, args.users, seed=args.seed)
    t_pop = time.perf_counter() - t
    print(
        f"\nBuilt {args.products} products (content index {t_index:.1f} s: {index.tfidf.shape[1]} INCI terms, "
        f"{index.vectors.nnz} non-zeros) and {args.users} people ({t_pop:.1f} s)"
    )
    t = time.perf_counter()
    large = run_evaluation(index, population.needs, population.interactions, seed=args.seed, max_users=args.eval_users)
    show_metrics(f"Synthetic population at scale ({time.perf_counter() - t:.1f} s)", large)

    # --- 2. latency, engine only -------------------------------------------------------------------
    t = time.perf_counter()
    cf = engine.fit_cf_from(population.interactions, index.product_ids, n_components=large["n_components"])
    t_train = time.perf_counter() - t
    rec = engine.Recommender(index, cf)
    print(
        f"\nCF on all {args.users} people: rank {cf.item_factors.shape[1]}, {cf.n_interactions} interactions, "
        f"trained in {t_train:.1f} s; item factors {cf.item_factors.nbytes / 1e6:.1f} MB; peak RSS {rss_mb():.0f} MB"
    )
    rng = np.random.default_rng(1)
    users = rng.choice(args.users, size=200, replace=False)
    lat = []
    for u in users:
        needs = population.needs[int(u)]
        needs = engine.UserNeeds(
            concerns=needs.concerns, concern_sources=needs.concern_sources, allergies=("fragrance",)
        )
        hist = population.interactions[int(u)]
        t = time.perf_counter()
        out = rec.recommend(needs, hist, k=20, exclude_rows=hist)
        lat.append(time.perf_counter() - t)
        assert len(out) == 20
    t = time.perf_counter()
    for _ in range(200):
        order = np.argsort(index.categories, kind="stable")[:20]  # a plain sorted slice of the catalogue
        [{"id": index.product_ids[i], "category": index.categories[i]} for i in order]
    plain = (time.perf_counter() - t) / 200
    print(
        f"Engine latency, {len(index)} products (score, allergen filter, top-20, reasons): p50 {pct(lat, 50):.2f} ms, "
        f"p95 {pct(lat, 95):.2f} ms (sorted-slice of the in-memory catalogue: {plain * 1000:.2f} ms)"
    )

    # --- 2b. latency through the API against a product-list request --------------------------------
    return api_latency(args, catalog, index, cf, population)


def api_latency(args, catalog, index, cf, population) -> int:
    tmp = tempfile.mkdtemp(prefix="recs-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="skincare.settings",
        DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
        ML_MODELS_DIR=f"{tmp}/models",
        MEDIA_ROOT=f"{tmp}/media",
        REDIS_URL="",
        SKINCARE_BROKER_DIR=f"{tmp}/broker",
        THROTTLE_USER="1000000/min",
        THROTTLE_IP="1000000/min",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import Resolver404, resolve
    from rest_framework import serializers
    from rest_framework.generics import ListAPIView
    from rest_framework.test import APIRequestFactory, force_authenticate

    from accounts.models import Profile, User
    from ingredients.models import Ingredient, Product, ProductIngredient
    from recommendations import selectors
    from recommendations.api.views import RecommendationListView
    from recommendations.models import Interaction, RecommenderModel

    settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    categories = {"eye_cream": "eye"}
    ingredients = {
        name: Ingredient(
            inci_name=name,
            synonyms=list(info.synonyms),
            targets=list(info.targets),
            is_fragrance=info.is_fragrance,
            pregnancy_caution=info.pregnancy_caution,
        )
        for name, info in catalog.ingredients.items()
    }
    Ingredient.objects.bulk_create(ingredients.values())
    products = [
        Product(
            brand=f"Brand {i % 97}",
            name=f"Product {i:05d}",
            category=categories.get(p.category, p.category),
            is_vegan=bool(p.is_vegan),
            price=10 + i % 40,
        )
        for i, p in enumerate(catalog.products)
    ]
    Product.objects.bulk_create(products, batch_size=2000)
    rows = [
        ProductIngredient(product=prod, ingredient=ingredients[name], position=pos + 1, raw_name=name)
        for prod, p in zip(products, catalog.products, strict=True)
        for pos, name in enumerate(p.ingredients)
    ]
    ProductIngredient.objects.bulk_create(rows, batch_size=5000)
    # The CF artefact: the model trained above on 50,000 people, keyed by the database's product ids.
    uuid_of = {p.id: str(prod.pk) for p, prod in zip(catalog.products, products, strict=True)}
    cf_db = engine.CFModel(
        item_ids=[uuid_of[i] for i in cf.item_ids],
        item_factors=cf.item_factors,
        popularity=cf.popularity,
        n_users=cf.n_users,
        n_interactions=cf.n_interactions,
    )
    (Path(settings.ML_MODELS_DIR) / "recommendations").mkdir(parents=True, exist_ok=True)
    cf_db.save(Path(settings.ML_MODELS_DIR) / "recommendations/cf-v1.npz")
    RecommenderModel.objects.create(
        version=1,
        path="recommendations/cf-v1.npz",
        n_users=cf.n_users,
        n_items=len(cf.item_ids),
        n_interactions=cf.n_interactions,
        n_components=cf.item_factors.shape[1],
    )
    user = User.objects.create_user("bench@example.com", "x-Bench-pass-1")
    Profile.objects.update_or_create(
        user=user, defaults={"concerns": ["oiliness", "pores"], "allergies": ["fragrance"]}
    )
    hist = population.interactions[0]
    Interaction.objects.bulk_create(
        [Interaction(user=user, product=products[r], kind=population.kinds[0][r]) for r in hist]
    )
    took = time.perf_counter() - t
    print(f"\nIsolated SQLite database: {len(products)} products, {len(rows)} ingredient rows ({took:.1f} s)")

    factory = APIRequestFactory()
    try:
        match = resolve("/api/v1/products")
        list_view, list_name = match.func, "GET /api/v1/products (the catalogue API)"
    except Resolver404:

        class ProductOut(serializers.ModelSerializer):
            class Meta:
                model = Product
                fields = ["id", "brand", "name", "category", "price", "currency", "is_vegan", "is_demo", "spf"]

        list_view = ListAPIView.as_view(queryset=Product.objects.order_by("brand", "name"), serializer_class=ProductOut)
        list_name = "a DRF ListAPIView: page of 20 products ordered by brand, name, serialised"

    def call(view, path, params):
        request = factory.get(path, params)
        force_authenticate(request, user=user)
        t = time.perf_counter()
        response = view(request)
        response.render()
        elapsed = time.perf_counter() - t
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return elapsed, response

    reco_view = RecommendationListView.as_view()
    t = time.perf_counter()
    _, first = call(reco_view, "/api/v1/recommendations", {"limit": 20})
    cold = time.perf_counter() - t
    call(list_view, "/api/v1/products", {"page_size": 20})
    reco, plain = [], []
    for _ in range(args.requests):
        reco.append(call(reco_view, "/api/v1/recommendations", {"limit": 20})[0])
        plain.append(call(list_view, "/api/v1/products", {"page_size": 20})[0])
    body = first.data
    top = body["results"][0]
    scented = [
        r
        for r in body["results"]
        if {"parfum", "limonene", "linalool"}
        & set(ProductIngredient.objects.filter(product_id=r["id"]).values_list("raw_name", flat=True))
    ]
    print(f"First request (builds the catalogue index, loads the artefact): {cold * 1000:.0f} ms")
    print(
        f"Sample: score {top['score']}, reasons {top['reasons']}; CF weight {body['basis']['collaborative_weight']}; "
        f"fragrance products served to the fragrance-allergic user: {len(scented)}"
    )
    r50, p50 = statistics.median(reco), statistics.median(plain)
    print(
        f"API latency over {args.requests} requests, {len(products)} products, CF from {cf.n_users} people:\n"
        f"  GET /api/v1/recommendations?limit=20: p50 {r50 * 1000:.1f} ms, p95 {pct(reco, 95):.1f} ms\n"
        f"  plain product list ({list_name}): p50 {p50 * 1000:.1f} ms, p95 {pct(plain, 95):.1f} ms\n"
        f"  ratio (p50): {r50 / p50:.1f}x; peak RSS {rss_mb():.0f} MB"
    )
    selectors.reset_cache()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
