"""Offline evaluation shared by `manage.py evaluate_recommender` and the bench. Pure Python, no Django.

Protocol: per-user leave-some-out (20% of each person's products, at least one, for people with 5 or
more), CF trained on the training part only, every ranker ranks the whole catalogue minus the person's
training products, and precision@k, recall@k and NDCG@k are averaged over the held-out people. The
popularity baseline (products by number of people who interacted in the training part) is measured in
the same run on the same split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .engine import (
    ContentIndex,
    Recommender,
    UserNeeds,
    choose_components,
    evaluate,
    fit_cf_from,
    leave_some_out,
    popularity_ranking,
    top_k,
)
from .synthetic import make_catalog, make_population


def run_evaluation(
    index: ContentIndex,
    needs: Mapping[int, UserNeeds] | Sequence[UserNeeds],
    interactions: Mapping[int, Mapping[int, float]],
    *,
    k: int = 10,
    seed: int = 0,
    max_users: int | None = None,
    n_components: int | None = None,
) -> dict:
    split = leave_some_out(interactions, seed=seed)
    validation: dict = {}
    if n_components is None:
        n_components, validation = choose_components(split.train, index.product_ids, seed=seed)
    cf = fit_cf_from(split.train, index.product_ids, n_components=n_components, seed=seed)
    rec = Recommender(index, cf)
    content_only = Recommender(index, None)
    users = sorted(split.test)
    if max_users is not None and len(users) > max_users:
        rng = np.random.default_rng(seed)
        users = sorted(int(u) for u in rng.choice(users, size=max_users, replace=False))

    def needs_of(user: int) -> UserNeeds:
        return needs[user] if needs is not None else UserNeeds()

    def hybrid(user, train):
        return [r.row for r in rec.recommend(needs_of(user), train, k=k, exclude_rows=train, explain=False)]

    def content(user, train):
        return [r.row for r in content_only.recommend(needs_of(user), train, k=k, exclude_rows=train, explain=False)]

    def cf_only(user, train):
        scores = rec.cf_scores(train).astype(np.float64)
        scores[list(train)] = -np.inf
        return top_k(scores, k)

    def popularity(user, train):
        return popularity_ranking(rec.popularity, exclude=train, k=k)

    metrics = evaluate(
        {"hybrid": hybrid, "content": content, "cf": cf_only, "popularity": popularity}, split, k=k, users=users
    )
    return {
        "k": k,
        "seed": seed,
        "products": len(index),
        "people": len(interactions),
        "interactions": sum(len(v) for v in interactions.values()),
        "held_out_people": len(users),
        "n_components": n_components,
        "validation_ndcg_by_components": validation,
        "metrics": metrics,
    }


def evaluate_synthetic(
    *, n_products: int = 400, n_users: int = 1500, k: int = 10, seed: int = 0, max_users: int | None = None
) -> dict:
    catalog = make_catalog(n_products, seed=seed)
    index = catalog.content_index()
    population = make_population(catalog, index, n_users, seed=seed)
    result = run_evaluation(index, population.needs, population.interactions, k=k, seed=seed, max_users=max_users)
    result["data"] = "synthetic"
    return result
