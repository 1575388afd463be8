"""A seeded synthetic catalogue and population for evaluating the recommender when there are not enough
real interactions (and for the bench). Pure Python, no Django.

Catalogue: products in 8 categories, each with an ordered INCI list: water first, base ingredients,
1-3 actives (each targets concerns, e.g. niacinamide → oiliness, pores, redness, uneven tone), 1-2
ingredients of the product's "style" (botanical, k-beauty, clinical, rich: a latent trait, like a brand
line or a texture people like), and in about a third of products parfum plus labelled fragrance
allergens at the end. Each product has a hidden quality q ~ N(0, 1).

People (hidden preferences): 1-3 true concerns with severities, a taste over the 4 styles
(Dirichlet(0.3), so most people lean to one), and for 30% a dislike of fragrance. The utility of a
product for a person is
    U = 2.0 · (share of their true concerns the product targets) + 1.5 · taste · style
        + 0.6 · quality - 1.0 · (dislikes fragrance and product has it) + Gumbel noise (scale 0.5),
and each person interacts with their top-n products under that noisy utility (Plackett-Luce sampling
without replacement), n = 3 + Poisson(9) capped at 40; the interaction kind is drawn (view 40%,
favorite 25%, shelf 20%, routine 15%).

What the recommender sees: the products' ingredient lists, and for each person an analysis-like
measurement of their concerns (each true concern measured with probability 0.8, its severity
sometimes off by one level, plus a spurious mild concern with probability 0.2), their profile skin
type only through those concerns, and the sampled interactions. Taste, fragrance dislike and quality
are never shown: only interactions reveal them (to CF and to the popularity baseline).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain import actives
from domain import vocabulary as vocab

from .engine import (
    KIND_WEIGHTS,
    ContentIndex,
    IngredientInfo,
    ProductInfo,
    UserNeeds,
    interaction_weight,
    needs_from,
)

CONCERN_KEYS = list(vocab.CONCERN_KEYS)
CATEGORIES = ["cleanser", "toner", "serum", "moisturizer", "sunscreen", "eye_cream", "mask", "exfoliant"]

# name: the concerns it targets; its active class and pregnancy level come from the domain rules.
ACTIVES: dict[str, tuple[str, ...]] = {
    "niacinamide": ("oiliness", "pores", "redness", "uneven_tone"),
    "salicylic acid": ("acne", "pores", "oiliness"),
    "retinol": ("wrinkles", "texture", "pigmentation", "acne"),
    "retinal": ("wrinkles", "texture"),
    "adapalene": ("acne",),
    "sodium hyaluronate": ("dryness",),
    "ceramide np": ("dryness", "sensitivity"),
    "ascorbic acid": ("pigmentation", "uneven_tone"),
    "azelaic acid": ("redness", "acne", "pigmentation"),
    "benzoyl peroxide": ("acne",),
    "centella asiatica extract": ("redness", "sensitivity"),
    "caffeine": ("dark_circles",),
    "glycolic acid": ("texture", "uneven_tone", "pigmentation"),
    "lactic acid": ("texture", "dryness"),
    "zinc pca": ("oiliness", "acne"),
    "panthenol": ("sensitivity", "dryness"),
    "palmitoyl tripeptide-1": ("wrinkles",),
    "tranexamic acid": ("pigmentation", "redness"),
    "allantoin": ("sensitivity",),
    "kaolin": ("oiliness", "pores"),
}
BASE = [
    "glycerin",
    "butylene glycol",
    "propanediol",
    "cetearyl alcohol",
    "caprylic/capric triglyceride",
    "dimethicone",
    "squalane",
    "xanthan gum",
    "carbomer",
    "tocopherol",
    "sodium hydroxide",
    "citric acid",
    "disodium edta",
    "phenoxyethanol",
    "ethylhexylglycerin",
    "pentylene glycol",
]
STYLES = {
    "botanical": ["rosa canina fruit oil", "simmondsia chinensis seed oil", "aloe barbadensis leaf juice"],
    "k-beauty": ["snail secretion filtrate", "propolis extract", "saccharomyces/rice ferment filtrate"],
    "clinical": ["cyclopentasiloxane", "polysorbate 20", "acrylates copolymer"],
    "rich": ["butyrospermum parkii butter", "cetyl alcohol", "glyceryl stearate"],
}
FRAGRANCE = ["limonene", "linalool", "citronellol", "geraniol", "coumarin"]
SYNONYMS = {
    "aqua": ("water", "eau"),
    "parfum": ("fragrance", "perfume", "aroma"),
    "ascorbic acid": ("vitamin c", "l-ascorbic acid"),
    "niacinamide": ("nicotinamide", "vitamin b3"),
    "retinol": ("vitamin a",),
    "tocopherol": ("vitamin e",),
    "sodium hyaluronate": ("hyaluronic acid",),
}


def ingredient_table() -> dict[str, IngredientInfo]:
    table: dict[str, IngredientInfo] = {"aqua": IngredientInfo("aqua", synonyms=SYNONYMS["aqua"])}
    for name in BASE + [n for names in STYLES.values() for n in names]:
        table[name] = IngredientInfo(name, synonyms=SYNONYMS.get(name, ()))
    for name, targets in ACTIVES.items():
        table[name] = IngredientInfo(
            name,
            synonyms=SYNONYMS.get(name, ()),
            targets=targets,
            pregnancy_caution=actives.pregnancy_rule(name).level,
            active_class=actives.active_class_of(name),
        )
    table["parfum"] = IngredientInfo("parfum", synonyms=SYNONYMS["parfum"], is_fragrance=True)
    for name in FRAGRANCE:
        table[name] = IngredientInfo(name, is_fragrance=True)
    return table


@dataclass
class Catalog:
    products: list[ProductInfo]
    ingredients: dict[str, IngredientInfo]
    quality: np.ndarray  # hidden
    style: np.ndarray  # n × S, hidden one-hot-ish trait
    has_fragrance: np.ndarray

    def content_index(self) -> ContentIndex:
        return ContentIndex(self.products, self.ingredients, CONCERN_KEYS)


def make_catalog(n_products: int, *, seed: int = 0) -> Catalog:
    rng = np.random.default_rng(seed)
    actives = list(ACTIVES)
    style_names = list(STYLES)
    products = []
    style = np.zeros((n_products, len(style_names)), dtype=np.float32)
    fragrance = np.zeros(n_products, dtype=bool)
    for i in range(n_products):
        s = int(rng.integers(len(style_names)))
        style[i, s] = 1.0
        base = list(rng.choice(BASE, size=int(rng.integers(4, 9)), replace=False))
        acts = list(rng.choice(actives, size=int(rng.integers(1, 4)), replace=False))
        styl = list(rng.choice(STYLES[style_names[s]], size=int(rng.integers(1, 3)), replace=False))
        # Water first; actives land somewhere in the first half, style ingredients in the middle.
        body = base[:]
        for a in acts:
            body.insert(int(rng.integers(0, max(1, len(body) // 2) + 1)), a)
        for t in styl:
            body.insert(int(rng.integers(0, len(body) + 1)), t)
        names = ["aqua", *body]
        if rng.random() < 0.35:
            fragrance[i] = True
            names += ["parfum", *rng.choice(FRAGRANCE, size=int(rng.integers(1, 3)), replace=False)]
        products.append(
            ProductInfo(
                id=f"p{i:06d}",
                category=CATEGORIES[int(rng.integers(len(CATEGORIES)))],
                ingredients=tuple(str(n) for n in names),
                is_vegan=bool(rng.random() < 0.6),
            )
        )
    return Catalog(
        products=products,
        ingredients=ingredient_table(),
        quality=rng.normal(size=n_products).astype(np.float32),
        style=style,
        has_fragrance=fragrance,
    )


@dataclass
class Population:
    needs: list[UserNeeds]  # what the recommender sees (measured concerns)
    interactions: dict[int, dict[int, float]]  # user → {product row: weight}
    kinds: dict[int, dict[int, str]]  # user → {product row: kind}


_SEVERITIES = ["mild", "moderate", "severe"]


def make_population(
    catalog: Catalog,
    index: ContentIndex,
    n_users: int,
    *,
    seed: int = 0,
    chunk: int = 1000,
) -> Population:
    """Sample people and their interactions (see the module docstring). Works in chunks of people so a
    50,000 × 10,000 population never holds a dense utility matrix larger than chunk × products."""
    rng = np.random.default_rng(seed + 1)
    n_items = len(catalog.products)
    c = len(CONCERN_KEYS)
    kinds = list(KIND_WEIGHTS)
    kind_p = np.array([0.40, 0.25, 0.20, 0.15])
    concern_t = index.concern_matrix.T.astype(np.float32)  # C × N
    needs_out: list[UserNeeds] = []
    inter: dict[int, dict[int, float]] = {}
    kind_out: dict[int, dict[int, str]] = {}
    for start in range(0, n_users, chunk):
        b = min(chunk, n_users - start)
        true = np.zeros((b, c), dtype=np.float32)
        for u in range(b):
            for j in rng.choice(c, size=int(rng.integers(1, 4)), replace=False):
                true[u, j] = (1 + int(rng.integers(3))) / 3.0
        taste = rng.dirichlet(np.full(catalog.style.shape[1], 0.3), size=b).astype(np.float32)
        dislikes_fragrance = rng.random(b) < 0.3
        match = (true @ concern_t) / true.sum(axis=1, keepdims=True)
        util = 2.0 * match + 1.5 * (taste @ catalog.style.T) + 0.6 * catalog.quality[None, :]
        util -= 1.0 * (dislikes_fragrance[:, None] & catalog.has_fragrance[None, :])
        util += rng.gumbel(scale=0.5, size=(b, n_items)).astype(np.float32)
        n_each = np.minimum(40, 3 + rng.poisson(9, size=b))
        n_each = np.minimum(n_each, n_items)
        m = int(n_each.max())
        cand = np.argpartition(-util, m - 1, axis=1)[:, :m] if m < n_items else np.tile(np.arange(n_items), (b, 1))
        for u in range(b):
            order = cand[u][np.argsort(-util[u, cand[u]])][: n_each[u]]
            uk = rng.choice(kinds, size=len(order), p=kind_p)
            uid = start + u
            inter[uid] = {int(r): interaction_weight(str(k)) for r, k in zip(order, uk, strict=True)}
            kind_out[uid] = {int(r): str(k) for r, k in zip(order, uk, strict=True)}
            measured = []
            for j in np.flatnonzero(true[u]):
                if rng.random() < 0.8:
                    level = int(round(true[u, j] * 3)) - 1 + int(rng.integers(-1, 2) if rng.random() < 0.3 else 0)
                    measured.append({"key": CONCERN_KEYS[j], "severity": _SEVERITIES[min(2, max(0, level))]})
            if rng.random() < 0.2:
                measured.append({"key": CONCERN_KEYS[int(rng.integers(c))], "severity": "mild"})
            needs_out.append(needs_from(analysis_concerns=measured, concern_keys=CONCERN_KEYS))
    return Population(needs=needs_out, interactions=inter, kinds=kind_out)
