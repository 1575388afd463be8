"""Offline evaluation of the recommender: precision@k, recall@k and NDCG@k, hybrid against a popularity
baseline measured in the same run on the same split.

Data: the real interactions in the database when there are enough (at least --min-people people with 5 or
more products each); otherwise, or with --synthetic, a seeded synthetic population (recommendations/
synthetic.py): a catalogue whose products carry ingredient lists, actives that target concerns, a hidden
"style" and a hidden quality, and people with hidden preferences — true concerns, a taste over styles, a
dislike of fragrance for some — whose interactions are sampled from a noisy utility over those features
(Plackett-Luce). The recommender only sees ingredient lists, noisy measured concerns and the sampled
interactions.

Protocol (recommendations/evaluation.py): per-user leave-some-out, 20% of each person's products held out
(at least one, people with 5+ products), CF (PureSVD, rank chosen by validation inside the training part)
trained on the rest; every ranker ranks the whole catalogue minus the person's training products. Rankers:
hybrid (what the API serves), content only, CF only, popularity.

    manage.py evaluate_recommender [--k 10] [--seed 0] [--synthetic] [--products 400] [--people 1500] [--json]
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from recommendations import evaluation


class Command(BaseCommand):
    help = "Precision@k, recall@k and NDCG@k of the hybrid recommender against a popularity baseline."

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--synthetic", action="store_true", help="Use the synthetic population even if real data")
        parser.add_argument("--min-people", type=int, default=50, help="Real data needs this many people with 5+")
        parser.add_argument("--products", type=int, default=400, help="Synthetic catalogue size")
        parser.add_argument("--people", type=int, default=1500, help="Synthetic population size")
        parser.add_argument("--max-users", type=int, default=2000, help="Evaluate on at most this many people")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON")

    def handle(self, *args, **opts):
        result = None
        if not opts["synthetic"]:
            result = self._real(opts)
        if result is None:
            result = evaluation.evaluate_synthetic(
                n_products=opts["products"],
                n_users=opts["people"],
                k=opts["k"],
                seed=opts["seed"],
                max_users=opts["max_users"],
            )
        if opts["json"]:
            self.stdout.write(json.dumps(result, indent=2, default=str))
            return
        k = result["k"]
        self.stdout.write(
            f"Data: {result['data']} — {result['people']} people, {result['products']} products, "
            f"{result['interactions']} interactions; {result['held_out_people']} people with held-out products; "
            f"seed {result['seed']}; CF rank {result['n_components']}"
        )
        if result.get("note"):
            self.stdout.write(result["note"])
        self.stdout.write(f"{'ranker':<12}{'precision@' + str(k):>14}{'recall@' + str(k):>12}{'NDCG@' + str(k):>10}")
        for name, m in result["metrics"].items():
            self.stdout.write(f"{name:<12}{m[f'precision@{k}']:>14.4f}{m[f'recall@{k}']:>12.4f}{m[f'ndcg@{k}']:>10.4f}")
        hybrid, pop = result["metrics"]["hybrid"][f"ndcg@{k}"], result["metrics"]["popularity"][f"ndcg@{k}"]
        lift = f"{hybrid / pop:.2f}x" if pop > 0 else "n/a"
        self.stdout.write(f"NDCG@{k}: hybrid {hybrid:.4f} vs popularity {pop:.4f} ({lift})")

    def _real(self, opts) -> dict | None:
        from recommendations import selectors, services

        data, user_ids, item_ids = services.interaction_matrix()
        active = sum(1 for items in data.values() if len(items) >= 5)
        if active < opts["min_people"]:
            self.stdout.write(
                f"{active} people with 5+ interactions (< {opts['min_people']}): using the synthetic population."
            )
            return None
        _rec, catalog, _version = selectors.recommender()
        index = catalog.index
        # Re-key the interaction rows on the catalogue index's rows; needs from each person's profile/analysis.
        from accounts.models import User

        people = {str(u.pk): u for u in User.objects.filter(pk__in=user_ids)}
        needs = {}
        interactions = {}
        for u, items in data.items():
            uid = str(user_ids[u])
            rows = {index.row_of[item_ids[i]]: w for i, w in items.items() if item_ids[i] in index.row_of}
            if not rows or uid not in people:
                continue
            interactions[u] = rows
            needs[u] = selectors.person_for(user=people[uid]).needs
        result = evaluation.run_evaluation(
            index, needs, interactions, k=opts["k"], seed=opts["seed"], max_users=opts["max_users"]
        )
        result["data"] = "real"
        result["note"] = (
            "Needs are each person's current profile and latest analysis (not as of the held-out interactions)."
        )
        return result
