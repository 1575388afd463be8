"""The recommender core: pure Python (numpy, scipy, scikit-learn), no Django.

Three parts, each usable alone and all fed with plain arrays/records:

* `ContentIndex`: one vector per product from its ordered ingredient list. TF-IDF over INCI names
  (scikit-learn `TfidfVectorizer` with a custom analyzer over the ordered list, so "sodium hyaluronate"
  is one term, not two words), each term weighted by its position on the label (labels list
  ingredients by descending concentration above 1%: `position_weight`), a one-hot category and the
  concerns the product's ingredients target (strength = position weight of the strongest active for
  that concern). It also answers "which products contain one of this person's allergens or a
  pregnancy-unsafe active" for the whole catalogue at once (a sparse product × ingredient incidence
  matrix and an index of names and synonyms → ingredients).
* `CFModel`: collaborative filtering on implicit interactions. PureSVD (Cremonesi et al., RecSys
  2010): scikit-learn `TruncatedSVD` of the sparse user × item matrix of log-scaled interaction
  weights; a user is folded in at request time (x_u · V · Vᵀ), so a person who interacted since the
  last nightly training gets CF scores without retraining.
* `Recommender`: the hybrid. score = (1-ε)·((1-α)·content + α·cf) + ε·popularity with
  α = n / (n + CF_HALF_AT): the weight on CF grows with the number of products the person interacted
  with; a new person is served by content (their measured needs) alone. Blocked products (allergens,
  pregnancy, hard preferences, owned, other categories) are never returned. Every result carries
  reasons.

Evaluation helpers (`precision_at_k`, `recall_at_k`, `ndcg_at_k`, `leave_some_out`, `evaluate`) and
a popularity baseline live here too, so the management command and the bench share one definition.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from domain import actives
from domain import messages as M
from domain import vocabulary as vocab
from domain.i18n import N_

# --- constants (documented, tuned once on the synthetic population, not per run) ------------------
POSITION_DECAY = 0.25  # weight of the n-th ingredient (0-based) = 1 / (1 + 0.25 n): 1st 1.0, 5th 0.5, 13th 0.25
KIND_WEIGHTS = {"view": 1.0, "favorite": 3.0, "shelf": 4.0, "routine": 5.0}
OWNED_KINDS = frozenset({"shelf", "routine"})
CF_HALF_AT = 5.0  # with 5 interacted products, CF and content weigh the same
POPULARITY_PRIOR = 0.05  # ε: a tie-breaker for people about whom nothing is known
OVER_BUDGET_FACTOR = 0.5  # a product over the person's per-product budget cap keeps half its score
# For someone about whom nothing is known (no concerns, no history) there is no match to score: the list
# starts with the basics every routine needs, gentle ones first (an order, not a score: scores are null).
BASICS = ("sunscreen", "moisturizer", "cleanser")
HISTORY_SHARE = 0.3  # share of the content score that is similarity to what the person already uses
CATEGORY_WEIGHT = 0.35  # block weights inside the product vector (blocks are L2-normalised first)
CONCERN_WEIGHT = 0.6
SEVERITY_WEIGHTS = {"none": 0.0, "mild": 0.34, "moderate": 0.67, "severe": 1.0}
PROFILE_CONCERN_WEIGHT = 0.6  # a concern the person listed but that no analysis measured
SKIN_TYPE_CONCERNS = vocab.USUAL_CONCERNS
FRAGRANCE_ALLERGY_TERMS = vocab.FRAGRANCE_ALLERGY_WORDS
REGION_WORDS = vocab.REGION_GROUP_WORDS

_space = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """INCI names compare case- and spacing-insensitively ("Sodium  Hyaluronate" == "sodium hyaluronate")."""
    return _space.sub(" ", str(name).strip().lower())


def position_weight(position: int) -> float:
    return 1.0 / (1.0 + POSITION_DECAY * max(0, position))


def interaction_weight(kind: str, value: float | None = None) -> float:
    """Implicit-feedback confidence of one interaction. Views count (value = number of views, log-scaled);
    a rating 1-5 is positive from 4 up (5 → 5, 4 → 3) and ignored at 3 or below (no negative feedback
    in an implicit model)."""
    if kind == "rating":
        r = float(value or 0)
        return max(0.0, 2.0 * r - 5.0) if r >= 4 else 0.0
    base = KIND_WEIGHTS.get(kind, 0.0)
    if kind == "view" and value:
        return base * (1.0 + math.log(max(1.0, float(value))))
    return base


def concern_label(key: str) -> str:
    return vocab.concern_phrase(key)


# --- records passed in by the Django layer (or the synthetic generator) ----------------------------
@dataclass(frozen=True)
class IngredientInfo:
    name: str
    synonyms: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    is_fragrance: bool = False
    pregnancy_caution: str = "none"  # none | caution | avoid
    active_class: str = ""


@dataclass(frozen=True)
class ProductInfo:
    id: str
    category: str
    ingredients: tuple[str, ...]  # ordered as on the label
    is_vegan: bool | None = None
    price: float | None = None


@dataclass
class UserNeeds:
    """What the person needs, with where each need comes from (used in the reasons)."""

    concerns: dict[str, float] = field(default_factory=dict)  # concern key → weight 0..1
    concern_sources: dict[str, str] = field(default_factory=dict)  # concern key → "measured in your T-zone"
    # the same as messages (domain.messages), said in the reader's language where shown
    concern_source_msgs: dict[str, dict] = field(default_factory=dict)
    skin_type: str | None = None
    preferences: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    pregnant: bool = False
    budget: str | None = None  # low | medium | high: products over its per-product cap rank lower

    @property
    def budget_cap(self) -> float | None:
        cap = vocab.BUDGET_CAPS.get(self.budget or "")
        return float(cap) if cap is not None else None

    @property
    def personal(self) -> bool:
        """Something about the person to match against (measured or listed concerns, or the skin type's)."""
        return bool(self.concerns)


def needs_from(
    *,
    analysis_concerns: Sequence[Mapping] | None = None,
    profile_concerns: Iterable[str] = (),
    skin_type: str | None = None,
    preferences: Iterable[str] = (),
    allergies: Iterable[str] = (),
    pregnant: bool = False,
    concern_keys: Iterable[str] | None = None,
    budget: str | None = None,
) -> UserNeeds:
    """Build `UserNeeds`: measured concerns (latest done analysis: severity → weight, regions → words)
    first; concerns listed in the profile fill in what was not measured; skin type adds its usual
    concerns at a lower weight."""
    allowed = set(concern_keys) if concern_keys is not None else None
    concerns: dict[str, float] = {}
    sources: dict[str, dict] = {}
    for item in analysis_concerns or ():
        key = item.get("key")
        if not key or (allowed is not None and key not in allowed):
            continue
        weight = SEVERITY_WEIGHTS.get(str(item.get("severity") or "none"), 0.0)
        if weight <= 0:
            continue
        concerns[key] = weight
        words = []
        for region in item.get("regions") or ():
            word = REGION_WORDS.get(str(region), str(region).replace("_", " "))
            if word not in words:
                words.append(word)
        if len(words) >= 2:
            sources[key] = M.msg(
                N_("measured in your %(region)s and %(other_region)s"),
                region=M.word(words[0]),
                other_region=M.word(words[1]),
            )
        elif words:
            sources[key] = M.msg(N_("measured in your %(region)s"), region=M.word(words[0]))
        else:
            sources[key] = M.msg(N_("measured in your last analysis"))
    measured = set(concerns)
    for key in profile_concerns:
        if key in measured or (allowed is not None and key not in allowed):
            continue
        concerns[key] = max(concerns.get(key, 0.0), PROFILE_CONCERN_WEIGHT)
        sources[key] = M.msg(N_("you listed in your profile"))
    for key, weight in SKIN_TYPE_CONCERNS.get(skin_type or "", {}).items():
        if key in concerns or (allowed is not None and key not in allowed):
            continue
        concerns[key] = weight
        sources[key] = M.msg(N_("common with %(skin)s skin"), skin=M.term("skin_type", str(skin_type)))
    return UserNeeds(
        concerns=concerns,
        concern_sources={k: M.render(m) for k, m in sources.items()},
        concern_source_msgs=sources,
        skin_type=skin_type,
        preferences=tuple(preferences),
        allergies=tuple(allergies),
        pregnant=bool(pregnant),
        budget=budget,
    )


# --- content ------------------------------------------------------------------------------------
def _ordered_unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        n = normalize_name(n)
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _l2_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to unit length; an empty catalogue (no rows or no terms) stays empty instead of failing."""
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return sp.csr_matrix(matrix.shape, dtype=np.float64)
    return normalize(matrix)


class ContentIndex:
    """Product vectors and safety lookups for a whole catalogue (rows follow `product_ids`)."""

    def __init__(
        self,
        products: Sequence[ProductInfo],
        ingredients: Mapping[str, IngredientInfo],
        concern_keys: Sequence[str],
    ) -> None:
        self.product_ids: list[str] = [str(p.id) for p in products]
        self.row_of: dict[str, int] = {pid: i for i, pid in enumerate(self.product_ids)}
        self.concern_keys = list(concern_keys)
        concern_col = {c: j for j, c in enumerate(self.concern_keys)}
        n = len(products)
        info = {normalize_name(k): v for k, v in ingredients.items()}
        docs = [_ordered_unique(p.ingredients) for p in products]

        # TF-IDF over whole INCI names (the analyzer returns the ordered list itself), then each
        # term's weight is multiplied by its label position weight.
        self.vectorizer = TfidfVectorizer(analyzer=_ordered_unique, binary=True, norm=None)
        if n and any(docs):
            binary_tfidf = self.vectorizer.fit_transform(docs).tocsr()
            vocab = self.vectorizer.vocabulary_
        else:
            binary_tfidf = sp.csr_matrix((n, 0), dtype=np.float64)
            vocab = {}
        self.vocabulary: dict[str, int] = dict(vocab)
        rows, cols, vals = [], [], []
        for i, doc in enumerate(docs):
            for pos, name in enumerate(doc):
                rows.append(i)
                cols.append(vocab[name])
                vals.append(position_weight(pos))
        pos_w = sp.csr_matrix((vals, (rows, cols)), shape=binary_tfidf.shape, dtype=np.float64)
        self.tfidf = _l2_rows(binary_tfidf.multiply(pos_w).tocsr())
        self.incidence = (pos_w > 0).astype(np.float32).tocsr()  # product × term (term = ingredient name)

        # Category one-hot.
        self.categories = np.array([p.category or "" for p in products], dtype=object)
        self.category_names = sorted(set(self.categories.tolist()))
        cat_col = {c: j for j, c in enumerate(self.category_names)}
        self.category_codes = np.array([cat_col[c] for c in self.categories], dtype=np.int32)
        cat_onehot = sp.csr_matrix(
            (np.ones(n), (np.arange(n), self.category_codes)), shape=(n, max(1, len(self.category_names)))
        )

        # Concerns targeted: strength = position weight of the strongest ingredient for the concern, and
        # which ingredient it is (for the reasons).
        self.concern_matrix = np.zeros((n, len(self.concern_keys)), dtype=np.float32)
        self.concern_source = np.full((n, len(self.concern_keys)), -1, dtype=np.int32)
        for i, doc in enumerate(docs):
            for pos, name in enumerate(doc):
                ing = info.get(name)
                if ing is None:
                    continue
                w = position_weight(pos)
                for target in ing.targets:
                    j = concern_col.get(target)
                    if j is not None and w > self.concern_matrix[i, j]:
                        self.concern_matrix[i, j] = w
                        self.concern_source[i, j] = vocab[name]
        self.terms = [""] * len(vocab)
        for name, j in vocab.items():
            self.terms[j] = name

        blocks = [self.tfidf, CATEGORY_WEIGHT * cat_onehot]
        if self.concern_keys:
            blocks.append(CONCERN_WEIGHT * _l2_rows(sp.csr_matrix(self.concern_matrix)))
        self.vectors = _l2_rows(sp.hstack(blocks).tocsr())

        # Safety: name/synonym → term columns; fragrance and pregnancy flags per term.
        self.key_terms: dict[str, set[int]] = {}
        self.fragrance_terms = np.zeros(len(vocab), dtype=bool)
        self.pregnancy_terms = np.zeros(len(vocab), dtype=bool)
        self.strong_terms = np.zeros(len(vocab), dtype=bool)
        for name, j in vocab.items():
            self.key_terms.setdefault(name, set()).add(j)
            self.fragrance_terms[j] = name in FRAGRANCE_ALLERGY_TERMS
            ing = info.get(name)
            if ing is None:
                continue
            for syn in ing.synonyms:
                self.key_terms.setdefault(normalize_name(syn), set()).add(j)
            if ing.active_class:
                self.key_terms.setdefault(normalize_name(ing.active_class), set()).add(j)
            self.fragrance_terms[j] = bool(ing.is_fragrance) or name in FRAGRANCE_ALLERGY_TERMS
            # "caution" (sources differ: ask your doctor) is never pushed either: the builder and the
            # scanner follow the same rule (domain.actives.pregnancy_allows)
            self.pregnancy_terms[j] = not actives.pregnancy_allows(ing.pregnancy_caution)
            self.strong_terms[j] = (ing.active_class or "") in actives.STRONG
        self.strong = self._contains_any(self.strong_terms) if len(self.terms) else np.zeros(n, dtype=bool)
        self.non_vegan = np.array([p.is_vegan is False for p in products], dtype=bool)
        self.prices = np.array([np.nan if p.price is None else float(p.price) for p in products], dtype=np.float64)

    def __len__(self) -> int:
        return len(self.product_ids)

    # safety
    def allergen_terms(self, allergies: Iterable[str]) -> np.ndarray:
        """Boolean mask over terms: ingredients matching an allergy by INCI name, synonym or active class;
        an allergy to "fragrance"/"parfum" covers every fragrance ingredient (parfum, limonene, linalool...)."""
        mask = np.zeros(len(self.terms), dtype=bool)
        for allergy in allergies:
            key = normalize_name(allergy)
            if not key:
                continue
            for j in self.key_terms.get(key, ()):
                mask[j] = True
            if key in FRAGRANCE_ALLERGY_TERMS:
                mask |= self.fragrance_terms
        return mask

    def _contains_any(self, term_mask: np.ndarray) -> np.ndarray:
        if not term_mask.any():
            return np.zeros(len(self), dtype=bool)
        return np.asarray(self.incidence @ term_mask.astype(np.float32)).ravel() > 0

    def blocked_mask(
        self, needs: UserNeeds, allergen_terms: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Rows that must never be recommended to this person, and why (per rule). `allergen_terms`: an
        extra boolean mask over terms from a richer matcher (the Django layer passes the ingredients app's
        own allergy rules), OR-ed with the name/synonym/fragrance matching here."""
        allergen = self.allergen_terms(needs.allergies)
        if allergen_terms is not None:
            allergen = allergen | allergen_terms
        why = {
            "allergy": self._contains_any(allergen),
            "pregnancy": self._contains_any(self.pregnancy_terms)
            if needs.pregnant
            else np.zeros(len(self), dtype=bool),
            "fragrance_free": self._contains_any(self.fragrance_terms)
            if "fragrance_free" in needs.preferences
            else np.zeros(len(self), dtype=bool),
            "vegan": self.non_vegan if "vegan" in needs.preferences else np.zeros(len(self), dtype=bool),
        }
        blocked = np.zeros(len(self), dtype=bool)
        for mask in why.values():
            blocked |= mask
        return blocked, why

    # scoring
    def need_vector(self, needs: UserNeeds) -> np.ndarray:
        v = np.zeros(len(self.concern_keys), dtype=np.float32)
        for j, key in enumerate(self.concern_keys):
            v[j] = needs.concerns.get(key, 0.0)
        return v

    def concern_match(self, needs: UserNeeds) -> np.ndarray:
        """Weighted share of the person's needs that each product targets, in [0, 1]."""
        v = self.need_vector(needs)
        total = float(v.sum())
        if total <= 0:
            return np.zeros(len(self), dtype=np.float32)
        return (self.concern_matrix @ v) / total

    def history_similarity(self, history: Mapping[int, float]) -> np.ndarray:
        """Cosine similarity of each product to the weighted mean vector of what the person used, in [0, 1]."""
        if not history:
            return np.zeros(len(self), dtype=np.float32)
        rows = np.fromiter(history.keys(), dtype=np.int64)
        weights = np.fromiter(history.values(), dtype=np.float64)
        profile = np.asarray(self.vectors[rows].T @ weights).ravel()  # dense: one value per vector column
        norm = float(np.linalg.norm(profile))
        if norm == 0:
            return np.zeros(len(self), dtype=np.float32)
        return (self.vectors @ (profile / norm)).astype(np.float32)  # sparse × dense vector

    def content_scores(self, needs: UserNeeds, history: Mapping[int, float]) -> np.ndarray:
        match = self.concern_match(needs)
        if not history:
            return match
        sim = self.history_similarity(history)
        if not needs.concerns:
            return sim
        return (1 - HISTORY_SHARE) * match + HISTORY_SHARE * sim


# --- collaborative filtering --------------------------------------------------------------------
@dataclass
class CFModel:
    """Item factors from PureSVD, keyed by product id, plus interaction counts for the popularity prior."""

    item_ids: list[str]
    item_factors: np.ndarray  # n_items × k (float32)
    popularity: np.ndarray  # n_items: number of distinct users who interacted
    n_users: int = 0
    n_interactions: int = 0

    @classmethod
    def fit(
        cls,
        *,
        user_index: np.ndarray,
        item_index: np.ndarray,
        weights: np.ndarray,
        n_users: int,
        item_ids: Sequence[str],
        n_components: int = 48,
        seed: int = 0,
    ) -> CFModel:
        n_items = len(item_ids)
        matrix = sp.csr_matrix(
            (np.log1p(np.asarray(weights, dtype=np.float64)), (user_index, item_index)), shape=(n_users, n_items)
        )
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        popularity = np.asarray((matrix > 0).sum(axis=0)).ravel().astype(np.float32)
        k = min(n_components, max(1, min(matrix.shape) - 1))
        if matrix.nnz == 0 or min(matrix.shape) < 2:
            factors = np.zeros((n_items, max(1, k)), dtype=np.float32)
        else:
            svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5, random_state=seed)
            with warnings.catch_warnings():  # explained_variance_ratio_ of a degenerate matrix: unused here
                warnings.simplefilter("ignore", RuntimeWarning)
                svd.fit(matrix)
            factors = svd.components_.T.astype(np.float32)
        return cls(
            item_ids=[str(i) for i in item_ids],
            item_factors=np.ascontiguousarray(factors),
            popularity=popularity,
            n_users=n_users,
            n_interactions=int(matrix.nnz),
        )

    def save(self, path) -> None:
        np.savez_compressed(
            path,
            item_ids=np.array(self.item_ids, dtype=str),
            item_factors=self.item_factors,
            popularity=self.popularity,
            meta=np.array([self.n_users, self.n_interactions], dtype=np.int64),
        )

    @classmethod
    def load(cls, path) -> CFModel:
        with np.load(path, allow_pickle=False) as data:
            meta = data["meta"]
            return cls(
                item_ids=[str(x) for x in data["item_ids"]],
                item_factors=data["item_factors"].astype(np.float32),
                popularity=data["popularity"].astype(np.float32),
                n_users=int(meta[0]),
                n_interactions=int(meta[1]),
            )


def popularity_ranking(popularity: np.ndarray, exclude: Iterable[int] = (), k: int = 10) -> list[int]:
    scores = np.asarray(popularity, dtype=np.float64).copy()
    for r in exclude:
        scores[r] = -np.inf
    return top_k(scores, k)


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k largest finite scores, best first (ties by index, deterministic)."""
    finite = np.isfinite(scores)
    n_ok = int(finite.sum())
    k = min(k, n_ok)
    if k <= 0:
        return []
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    part = part[np.isfinite(scores[part])]
    order = np.lexsort((part, -scores[part]))
    return [int(i) for i in part[order]]


# --- the hybrid ---------------------------------------------------------------------------------
@dataclass
class Recommendation:
    row: int
    product_id: str
    score: float  # 0..1
    content: float
    cf: float
    reasons: list[dict]


def cf_weight(n_interacted: int) -> float:
    """α: share of the score given to CF; 0 for a new person, 0.5 at CF_HALF_AT products, → 1."""
    return n_interacted / (n_interacted + CF_HALF_AT) if n_interacted > 0 else 0.0


class Recommender:
    """Content index + (optional) CF model aligned on the content index's rows."""

    def __init__(self, content: ContentIndex, cf: CFModel | None = None) -> None:
        self.content = content
        self.cf = cf
        n = len(content)
        self.popularity = np.zeros(n, dtype=np.float32)
        self.factors: np.ndarray | None = None
        if cf is not None and len(cf.item_ids):
            k = cf.item_factors.shape[1]
            self.factors = np.zeros((n, k), dtype=np.float32)
            cf_row = {pid: i for i, pid in enumerate(cf.item_ids)}
            src = np.array([cf_row.get(pid, -1) for pid in content.product_ids], dtype=np.int64)
            known = src >= 0
            self.factors[known] = cf.item_factors[src[known]]
            self.popularity[known] = cf.popularity[src[known]]
        top = float(self.popularity.max()) if n else 0.0
        self.popularity_score = np.log1p(self.popularity) / math.log1p(top) if top > 0 else self.popularity

    def cf_scores(self, history: Mapping[int, float]) -> np.ndarray:
        """PureSVD fold-in: scores = V (Vᵀ x_u), clipped at 0 and scaled to [0, 1] by the best candidate."""
        n = len(self.content)
        if self.factors is None or not history:
            return np.zeros(n, dtype=np.float32)
        rows = np.fromiter(history.keys(), dtype=np.int64)
        weights = np.log1p(np.fromiter(history.values(), dtype=np.float32))
        user_vec = weights @ self.factors[rows]
        raw = self.factors @ user_vec
        raw[rows] = 0.0
        top = float(raw.max())
        if top <= 0:
            return np.zeros(n, dtype=np.float32)
        return np.clip(raw / top, 0.0, 1.0)

    def score_all(
        self, needs: UserNeeds, history: Mapping[int, float]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        content = self.content_scores(needs, history)
        cf = self.cf_scores(history)
        alpha = cf_weight(len(history)) if self.factors is not None else 0.0
        score = (1 - POPULARITY_PRIOR) * ((1 - alpha) * content + alpha * cf) + POPULARITY_PRIOR * self.popularity_score
        return score, content, cf, alpha

    def content_scores(self, needs: UserNeeds, history: Mapping[int, float]) -> np.ndarray:
        return self.content.content_scores(needs, history)

    def recommend(
        self,
        needs: UserNeeds,
        history: Mapping[int, float] | None = None,
        *,
        k: int = 20,
        category: str | None = None,
        exclude_rows: Iterable[int] = (),
        explain: bool = True,
        allergen_terms: np.ndarray | None = None,
    ) -> list[Recommendation]:
        """Top-k products for a person. `history`: row → interaction weight; `exclude_rows`: rows not to
        return (what they own, unless asked). Blocked products get -inf and can never be returned."""
        history = dict(history or {})
        score, content, cf, alpha = self.score_all(needs, history)
        score = score.astype(np.float64)
        blocked, _ = self.content.blocked_mask(needs, allergen_terms)
        cap = needs.budget_cap
        over = np.zeros(len(self.content), dtype=bool)
        if cap is not None and len(self.content):
            over = np.nan_to_num(self.content.prices, nan=0.0) > cap
            score[over] *= OVER_BUDGET_FACTOR
        basics = not needs.personal and not history
        if basics and len(self.content):
            # one of each basic in turn (a sunscreen, a moisturiser, a cleanser, then the next of each),
            # gentle ones only; inside a category the most used first (ε popularity), then catalogue order
            order = np.zeros(len(self.content), dtype=np.float64)
            for i, cat in enumerate(BASICS):
                rows = np.flatnonzero((self.content.categories == cat) & ~self.content.strong)
                rows = rows[np.lexsort((rows, -score[rows]))]
                order[rows] = 1000.0 - 10.0 * np.arange(len(rows)) + (len(BASICS) - i)
            order[over] -= 500.0  # within the budget first
            score = score + order
        score[blocked] = -np.inf
        for r in exclude_rows:
            score[r] = -np.inf
        if category is not None:
            score[self.content.categories != category] = -np.inf
        rows = top_k(score, k)
        out = []
        for r in rows:
            reasons = self.explain(r, needs, history, content=content, cf=cf, alpha=alpha) if explain else []
            if explain and basics and self.content.categories[r] in BASICS and not self.content.strong[r]:
                reasons.insert(0, _reason("basics", M.msg(N_("a gentle basic every routine needs"))))
            if explain and cap is not None and not np.isnan(self.content.prices[r]):
                said = (
                    N_("over your %(budget)s budget (up to %(cap)s)")
                    if over[r]
                    else N_("within your %(budget)s budget (up to %(cap)s)")
                )
                budget = M.term("budget", needs.budget or vocab.DEFAULT_BUDGET)
                reasons.append(_reason("budget", M.msg(said, budget=budget, cap=f"{cap:g}")))
            out.append(
                Recommendation(
                    row=r,
                    product_id=self.content.product_ids[r],
                    score=float(np.clip(score[r], 0.0, 1.0)) if not basics else 0.0,
                    content=float(content[r]),
                    cf=float(cf[r]),
                    reasons=reasons,
                )
            )
        return out

    def explain(
        self,
        row: int,
        needs: UserNeeds,
        history: Mapping[int, float],
        *,
        content: np.ndarray,
        cf: np.ndarray,
        alpha: float,
    ) -> list[dict]:
        """Reasons, strongest first. Each: {code, text, ...}; only what actually contributed to the score."""
        idx = self.content
        reasons: list[dict] = []
        need = idx.need_vector(needs)
        contrib = need * idx.concern_matrix[row]
        # ingredient → {where the need comes from → [concerns]}, strongest contribution first
        groups: dict[str, dict[str, list[str]]] = {}
        for j in np.argsort(-contrib, kind="stable")[:3]:
            if contrib[j] <= 0:
                break
            key = idx.concern_keys[j]
            term = idx.terms[idx.concern_source[row, j]]
            groups.setdefault(term, {}).setdefault(needs.concern_sources.get(key, ""), []).append(key)
        source_msgs = {M.render(m): m for m in needs.concern_source_msgs.values()}
        for term, by_source in list(groups.items())[:2]:
            parts = []
            for source, keys in by_source.items():
                words = [M.term("concern", k) for k in keys]
                what = (
                    words[0]
                    if len(words) == 1
                    else M.msg(N_("%(items)s and %(last)s"), items=M.join(words[:-1], N_(", ")), last=words[-1])
                )
                if source:
                    parts.append(
                        M.msg(N_("the %(concerns)s %(source)s"), concerns=what, source=source_msgs.get(source, source))
                    )
                else:
                    parts.append(M.msg(N_("the %(concerns)s"), concerns=what))
            keys = [k for ks in by_source.values() for k in ks]
            said = M.msg(
                N_("contains %(ingredient)s, which targets %(concerns)s"),
                ingredient=term,
                concerns=M.join(parts, N_(", and ")),
            )
            reasons.append({**_reason("concern", said), "ingredient": term, "concern": keys[0], "concerns": keys})
        if alpha > 0 and cf[row] > 0.2 and history:
            rows = np.fromiter(history.keys(), dtype=np.int64)
            sims = self.factors[rows] @ self.factors[row]
            best = int(rows[int(np.argmax(sims))])
            reasons.append(
                {
                    **_reason("similar_users", M.msg(N_("people with similar shelves use it"))),
                    "because_of": idx.product_ids[best],
                }
            )
        if history and (1 - alpha) * HISTORY_SHARE > 0 and not reasons:
            reasons.append(_reason("similar_ingredients", M.msg(N_("similar ingredients to products you use"))))
        if "fragrance_free" in needs.preferences:
            reasons.append(_reason("preference", M.msg(N_("fragrance-free, as you prefer"))))
        if "vegan" in needs.preferences:
            reasons.append(_reason("preference", M.msg(N_("vegan, as you prefer"))))
        if needs.allergies:
            allergens = M.join(sorted(needs.allergies)[:3], N_(", "))
            reasons.append(_reason("safe", M.msg(N_("free of your allergens (%(allergens)s)"), allergens=allergens)))
        if needs.pregnant:
            reasons.append(_reason("safe", M.msg(N_("no actives to avoid during pregnancy"))))
        users = int(self.popularity[row]) if len(self.popularity) else 0
        if users > 0 and not any(r["code"] in {"concern", "similar_users", "similar_ingredients"} for r in reasons):
            # only with people to count, and the number said: never "popular" on a site nobody has used yet
            # (the Django layer says it with ngettext, by its count: plural forms differ by language)
            who = "1 person here uses it" if users == 1 else f"{users} people here use it"
            reasons.insert(0, {"code": "popular", "text": who, "count": users})
        return reasons


def _reason(code: str, message: dict) -> dict:
    """A reason: its code, its English text and its message (shown in the reader's language)."""
    return {"code": code, "text": M.render(message), "msg": message}


# --- evaluation ---------------------------------------------------------------------------------
def precision_at_k(ranked: Sequence, relevant: set, k: int) -> float:
    if k <= 0:
        return 0.0
    return sum(1 for r in ranked[:k] if r in relevant) / k


def recall_at_k(ranked: Sequence, relevant: set, k: int) -> float:
    if not relevant:
        return 0.0
    return sum(1 for r in ranked[:k] if r in relevant) / len(relevant)


def ndcg_at_k(ranked: Sequence, relevant: set, k: int) -> float:
    """Binary-relevance NDCG@k: DCG = Σ rel_i / log2(i + 2) over the top k, divided by the ideal DCG."""
    if not relevant:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


@dataclass
class Split:
    train: dict[int, dict[int, float]]  # user → {row: weight}
    test: dict[int, set[int]]  # user → held-out rows


def leave_some_out(
    interactions: Mapping[int, Mapping[int, float]],
    *,
    fraction: float = 0.2,
    min_interactions: int = 5,
    seed: int = 0,
) -> Split:
    """Per-user leave-some-out: from each person with at least `min_interactions` products, hold out
    `fraction` of them (at least one) chosen at random (seeded); everyone else stays whole in train."""
    rng = np.random.default_rng(seed)
    train: dict[int, dict[int, float]] = {}
    test: dict[int, set[int]] = {}
    for user in sorted(interactions):
        items = dict(interactions[user])
        if len(items) >= min_interactions:
            keys = sorted(items)
            n_out = max(1, int(round(fraction * len(keys))))
            held = set(int(x) for x in rng.choice(keys, size=n_out, replace=False))
            test[user] = held
            train[user] = {r: w for r, w in items.items() if r not in held}
        else:
            train[user] = items
    return Split(train=train, test=test)


def fit_cf_from(
    train: Mapping[int, Mapping[int, float]], item_ids: Sequence[str], *, n_components: int = 48, seed: int = 0
):
    users, items, weights = [], [], []
    user_row = {}
    for user, hist in train.items():
        u = user_row.setdefault(user, len(user_row))
        for r, w in hist.items():
            users.append(u)
            items.append(r)
            weights.append(w)
    return CFModel.fit(
        user_index=np.array(users, dtype=np.int64),
        item_index=np.array(items, dtype=np.int64),
        weights=np.array(weights, dtype=np.float64),
        n_users=max(1, len(user_row)),
        item_ids=item_ids,
        n_components=n_components,
        seed=seed,
    )


def choose_components(
    train: Mapping[int, Mapping[int, float]],
    item_ids: Sequence[str],
    *,
    candidates: Sequence[int] = (2, 4, 8, 16, 32, 64),
    seed: int = 0,
    max_users: int = 1000,
    k: int = 10,
) -> tuple[int, dict[int, float]]:
    """Pick the SVD rank by validation inside the training interactions (a second leave-some-out on
    them; CF-only NDCG@k on up to `max_users` people). Too many components overfit sparse implicit data;
    too few miss tastes, and the right rank grows with the data, so it is chosen at every training.

    The inner split holds out only 10% of each person's products, so the validation model sees nearly as
    much data as the final one (fewer interactions favour lower ranks); the rank with the best validation
    NDCG wins (ties: the smaller)."""
    inner = leave_some_out(train, fraction=0.1, seed=seed + 7)
    users = sorted(inner.test)
    if not users:
        return min(candidates), {}
    if len(users) > max_users:
        users = sorted(int(u) for u in np.random.default_rng(seed).choice(users, size=max_users, replace=False))
    per_user: dict[int, np.ndarray] = {}
    for n_components in candidates:
        if n_components >= min(len(item_ids), len(inner.train)):
            continue
        rec = Recommender(
            _EmptyIndex(item_ids), fit_cf_from(inner.train, item_ids, n_components=n_components, seed=seed)
        )
        values = []
        for user in users:
            hist = inner.train.get(user, {})
            s = rec.cf_scores(hist).astype(np.float64)
            s[list(hist)] = -np.inf
            values.append(ndcg_at_k(top_k(s, k), inner.test[user], k))
        per_user[n_components] = np.asarray(values)
    if not per_user:
        return min(candidates), {}
    scores = {c: float(v.mean()) for c, v in per_user.items()}
    return max(scores, key=lambda c: (scores[c], -c)), scores


class _EmptyIndex:
    """Just enough of a ContentIndex for CF-only scoring."""

    def __init__(self, item_ids: Sequence[str]) -> None:
        self.product_ids = [str(i) for i in item_ids]

    def __len__(self) -> int:
        return len(self.product_ids)


def evaluate(
    rankers: Mapping[str, Callable[[int, Mapping[int, float]], list[int]]],
    split: Split,
    *,
    k: int = 10,
    users: Iterable[int] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean precision@k, recall@k and NDCG@k of each ranker over the held-out users. A ranker takes
    (user, train history) and returns rows best first (never the train rows)."""
    eval_users = [u for u in (users if users is not None else sorted(split.test)) if u in split.test]
    out: dict[str, dict[str, float]] = {}
    for name, rank in rankers.items():
        p = r = g = 0.0
        for user in eval_users:
            ranked = rank(user, split.train.get(user, {}))
            relevant = split.test[user]
            p += precision_at_k(ranked, relevant, k)
            r += recall_at_k(ranked, relevant, k)
            g += ndcg_at_k(ranked, relevant, k)
        n = max(1, len(eval_users))
        out[name] = {f"precision@{k}": p / n, f"recall@{k}": r / n, f"ndcg@{k}": g / n, "users": len(eval_users)}
    return out
