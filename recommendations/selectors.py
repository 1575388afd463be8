"""Recommendations reads: the person's needs and history, the cached catalogue index and CF model, and the
ranked, explained, safety-filtered list the API and the page show.

Per request, a constant number of queries whatever `limit` is: catalogue fingerprint, active model,
profile, latest done analysis, recorded interactions, live favorites/shelf/routine use, and one fetch of
the products shown. The catalogue index (TF-IDF vectors, concern matrix, safety lookups) is rebuilt only
when the catalogue fingerprint changes, and the CF artefact is loaded once per version, per process.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, FloatField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext, ngettext

from domain import vocabulary as vocab
from skincare.core.errors import DomainError
from skincare.core.i18n import translated_msg

from . import engine
from .models import Interaction, RecommenderModel

logger = logging.getLogger(__name__)

MAX_LIMIT = 50
DEFAULT_LIMIT = 20
_lock = threading.Lock()
_cache: dict = {
    "fingerprint": None,
    "catalog": None,
    "model_version": None,
    "cf": None,
    "recommender": None,
    "checked_at": None,
}


@dataclass
class Catalog:
    index: engine.ContentIndex
    facts: list[dict]  # per term of the index: the ingredients app's fact dict (for its allergy rules)
    allergy_masks: dict = field(default_factory=dict)  # allergy term → bool mask over index terms


def _state() -> tuple[tuple, dict | None]:
    """One query: the catalogue fingerprint (counts and last changes of products, their ingredient rows
    and the knowledge base) and the active CF model's version and path."""
    from ingredients.models import Ingredient, Product, ProductIngredient

    qn = connection.ops.quote_name
    p, pi, ing = (qn(m._meta.db_table) for m in (Product, ProductIngredient, Ingredient))
    rm = qn(RecommenderModel._meta.db_table)
    active = f"FROM {rm} WHERE is_active = %s ORDER BY version DESC LIMIT 1"
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {p}), (SELECT MAX(updated_at) FROM {p}), "  # noqa: S608 (table names only)
        f"(SELECT COUNT(*) FROM {pi}), (SELECT MAX(id) FROM {pi}), "
        f"(SELECT COUNT(*) FROM {ing}), (SELECT MAX(updated_at) FROM {ing}), "
        f"(SELECT version {active}), (SELECT path {active})"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [True, True])
        row = cur.fetchone()
    fingerprint = (connection.alias, connection.settings_dict.get("NAME"), *map(str, row[:6]))
    model = {"version": int(row[6]), "path": row[7]} if row[6] is not None else None
    return fingerprint, model


FACT_FIELDS = (
    "id",
    "inci_name",
    "synonyms",
    "targets",
    "is_fragrance",
    "is_allergen",
    "pregnancy_caution",
    "active_class",
)


def build_catalog() -> Catalog:
    """Read the whole catalogue (3 queries) and build the content index."""
    from ingredients.models import Ingredient, Product, ProductIngredient

    facts_by_id = {str(f["id"]): f for f in Ingredient.objects.values(*FACT_FIELDS)}
    names: dict = {}
    for pid, raw, ing_id in (
        ProductIngredient.objects.order_by("product_id", "position")
        .values_list("product_id", "raw_name", "ingredient_id")
        .iterator(chunk_size=10000)
    ):
        fact = facts_by_id.get(str(ing_id)) if ing_id else None
        names.setdefault(pid, []).append(fact["inci_name"] if fact else raw)
    products = [
        engine.ProductInfo(
            id=str(pid),
            category=cat,
            ingredients=tuple(names.get(pid, ())),
            is_vegan=vegan,
            price=float(price) if price is not None else None,
        )
        for pid, cat, vegan, price in Product.objects.order_by("id").values_list("id", "category", "is_vegan", "price")
    ]
    infos = {}
    for f in facts_by_id.values():
        infos[f["inci_name"]] = engine.IngredientInfo(
            name=f["inci_name"],
            synonyms=tuple(str(s) for s in (f["synonyms"] or [])),
            targets=tuple(str(t) for t in (f["targets"] or [])),
            # the EU-labelled fragrance allergens are fragrance materials too
            is_fragrance=bool(f["is_fragrance"] or f["is_allergen"]),
            pregnancy_caution=f["pregnancy_caution"] or "none",
            active_class=f["active_class"] or "",
        )
    index = engine.ContentIndex(products, infos, vocab.CONCERN_KEYS)
    by_name = {engine.normalize_name(f["inci_name"]): f for f in facts_by_id.values()}
    facts = [
        by_name.get(term) or {"id": "", "inci_name": term, "synonyms": [], "is_fragrance": False, "is_allergen": False}
        for term in index.terms
    ]
    return Catalog(index=index, facts=facts)


def _load_cf(row: dict | None) -> tuple[int | None, engine.CFModel | None]:
    if not row:
        return None, None
    if _cache["model_version"] == row["version"] and _cache["cf"] is not None:
        return row["version"], _cache["cf"]
    path = Path(settings.ML_MODELS_DIR) / row["path"]
    try:
        cf = engine.CFModel.load(path)
    except (OSError, ValueError, KeyError):
        logger.warning("recommender model v%s missing or unreadable at %s; content only", row["version"], path)
        return row["version"], None
    return row["version"], cf


def recommender() -> tuple[engine.Recommender, Catalog, int | None]:
    """The current hybrid (rebuilt only when the catalogue or the model changed). The state query is
    skipped for `RECOMMENDATIONS_STATE_TTL` seconds (default 5) after a check, per process: a catalogue
    edit or a new model shows within that time."""
    ttl = float(getattr(settings, "RECOMMENDATIONS_STATE_TTL", 5.0))
    now = time.monotonic()
    with _lock:
        if ttl > 0 and _cache["recommender"] is not None and now - (_cache["checked_at"] or -1e9) < ttl:
            return _cache["recommender"], _cache["catalog"], _cache["model_version"]
    fp, active = _state()
    version, cf = _load_cf(active)
    with _lock:
        _cache["checked_at"] = now
        if _cache["fingerprint"] != fp or _cache["catalog"] is None:
            _cache["catalog"] = build_catalog()
            _cache["fingerprint"] = fp
            _cache["recommender"] = None
        if _cache["recommender"] is None or _cache["model_version"] != version or _cache["cf"] is not cf:
            _cache["recommender"] = engine.Recommender(_cache["catalog"].index, cf)
            _cache["model_version"], _cache["cf"] = version, cf
        return _cache["recommender"], _cache["catalog"], version


def reset_cache() -> None:
    with _lock:
        for key in _cache:
            _cache[key] = None


def allergen_term_mask(catalog: Catalog, allergies) -> np.ndarray:
    """The ingredients app's own allergy rules (`ingredients.assessment.allergy_hits`: names, synonyms,
    groups such as fragrance, parabens, sulfates, whole-word containment) applied once per catalogue term,
    cached per allergy: products are then blocked through the product × term incidence matrix."""
    from ingredients import inci
    from ingredients.assessment import allergy_hits

    mask = np.zeros(len(catalog.facts), dtype=bool)
    for allergy in allergies:
        key = inci.key(str(allergy))
        if not key:
            continue
        cached = catalog.allergy_masks.get(key)
        if cached is None:
            match_ids = {
                str(f["id"])
                for f in catalog.facts
                if f["id"] and key in {inci.key(n) for n in [f["inci_name"], *(f.get("synonyms") or [])]}
            }
            match_id = next(iter(match_ids)) if len(match_ids) == 1 else None
            cached = np.array(
                [allergy_hits(str(allergy), f, match_id) or str(f["id"]) in match_ids for f in catalog.facts],
                dtype=bool,
            )
            if len(catalog.allergy_masks) < 1000:
                catalog.allergy_masks[key] = cached
        mask |= cached
    return mask


# --- the person ----------------------------------------------------------------------------------
@dataclass
class Person:
    needs: engine.UserNeeds
    history: dict  # product id (str) → weight
    owned: set  # product ids (str) on the shelf or used in a routine
    analysis: dict | None  # {id, completed_at} of the analysis the needs come from
    interactions: int = 0
    missing: list = field(default_factory=list)  # (code, sentence): what would make the list more personal


def person_for(*, user) -> Person:
    from accounts.models import Profile
    from analysis.models import SkinAnalysis
    from ingredients.models import Favorite
    from routines.models import ShelfItem, StepCompletion

    profile = Profile.objects.filter(user=user).first()
    latest = (
        SkinAnalysis.objects.owned_by(user)
        .done()
        .order_by("-completed_at", "-created_at")
        .values("id", "concerns", "skin_type", "completed_at")
        .first()
    )
    skin_type = (profile.skin_type if profile else None) or (latest["skin_type"] if latest else None) or None
    needs = engine.needs_from(
        analysis_concerns=(latest["concerns"] or []) if latest else None,
        profile_concerns=(profile.concerns or []) if profile else (),
        skin_type=skin_type,
        preferences=(profile.preferences or []) if profile else (),
        allergies=(profile.allergies or []) if profile else (),
        pregnant=bool(profile and profile.pregnant_or_nursing),
        concern_keys=vocab.CONCERN_KEYS,
        budget=(profile.budget if profile else None) or None,
    )
    history: dict[str, float] = {}
    kinds: dict[tuple, float] = {}
    # Recorded interactions, and live mirrors of favorites, shelf and routine use (the nightly sync records
    # them too; reading them live means a new shelf item counts at once): one query.
    rows = (
        Interaction.objects.filter(user=user)
        .order_by()
        .values_list("product_id", "kind", "value")
        .union(
            Favorite.objects.filter(user=user)
            .order_by()
            .values_list("product_id")
            .annotate(kind=Value("favorite"), n=Cast(Count("id"), FloatField())),
            ShelfItem.objects.filter(user=user, product__isnull=False)
            .order_by()
            .values_list("product_id")
            .annotate(kind=Value("shelf"), n=Cast(Count("id"), FloatField())),
            StepCompletion.objects.filter(user=user, step__product__isnull=False)
            .order_by()
            .values_list("step__product_id")
            .annotate(kind=Value("routine"), n=Cast(Count("id"), FloatField())),
            all=True,
        )
    )
    for pid, kind, value in rows:
        key = (str(pid), kind)
        kinds[key] = max(kinds.get(key, 0.0), float(value))
    owned = set()
    for (pid, kind), value in kinds.items():
        w = engine.interaction_weight(kind, value)
        if w > 0:
            history[pid] = history.get(pid, 0.0) + w
        if kind in engine.OWNED_KINDS:
            owned.add(pid)
    analysis = {"id": str(latest["id"]), "completed_at": latest["completed_at"]} if latest else None
    missing = []
    if latest is None:
        missing.append(
            ("take_analysis", gettext("Take a skin analysis: the list then matches what is measured on your skin."))
        )
    if not (profile and profile.concerns):
        missing.append(
            ("add_concerns", gettext("Add your concerns to your profile (breakouts, dark spots, fine lines…)."))
        )
    if not (profile and profile.skin_type):
        missing.append(("add_skin_type", gettext("Tell us your skin type in your profile.")))
    return Person(
        needs=needs, history=history, owned=owned, analysis=analysis, interactions=len(kinds), missing=missing
    )


# --- the list ----------------------------------------------------------------------------------
@dataclass
class Item:
    product: object
    score: int | None  # 0-100; None when nothing is known to match (no concerns, no history): no invented number
    reasons: list[str]
    details: list[dict]


@dataclass
class Result:
    items: list[Item]
    basis: dict


def reason_text(reason: dict) -> str:
    """A reason of the engine in the active language: its message (or, for `popular`, its count) rendered;
    its English text when it has neither."""
    if reason.get("code") == "popular" and isinstance(reason.get("count"), int):
        n = reason["count"]
        return ngettext("%(count)s person here uses it", "%(count)s people here use it", n) % {"count": n}
    message = reason.pop("msg", None)
    if message:
        return translated_msg(message)
    return str(reason.get("text", ""))


def validate_params(*, category: str | None, limit) -> tuple[str | None, int]:
    from ingredients.models import PRODUCT_CATEGORIES

    category = (category or "").strip() or None
    if category is not None and category not in {k for k, _ in PRODUCT_CATEGORIES}:
        raise DomainError(
            gettext("Unknown category “%(category)s”.") % {"category": category},
            code="invalid_category",
            errors={
                "category": [
                    gettext("Choose one of: %(categories)s.")
                    % {"categories": ", ".join(k for k, _ in PRODUCT_CATEGORIES)}
                ]
            },
        )
    if limit in (None, ""):
        return category, DEFAULT_LIMIT
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(
            gettext("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT},
            code="invalid_limit",
            errors={"limit": [gettext("Between 1 and %(max)s.") % {"max": MAX_LIMIT}]},
        )
    return category, limit


def recommendations_for(
    *, user, category: str | None = None, limit: int = DEFAULT_LIMIT, include_owned: bool = False
) -> Result:
    """Ranked products for `user` with a 0-100 score and reasons. Never a product with one of the person's
    allergens or (when pregnant or nursing) an active to avoid or ask a doctor about; never what they own
    unless `include_owned`."""
    from ingredients.models import Product

    category, limit = validate_params(category=category, limit=limit)
    rec, catalog, version = recommender()
    person = person_for(user=user)
    index = catalog.index
    history = {index.row_of[p]: w for p, w in person.history.items() if p in index.row_of}
    exclude = [] if include_owned else [index.row_of[p] for p in person.owned if p in index.row_of]
    allergen = allergen_term_mask(catalog, person.needs.allergies) if person.needs.allergies else None
    recs = rec.recommend(
        person.needs, history, k=limit, category=category, exclude_rows=exclude, allergen_terms=allergen
    )
    personal = person.needs.personal or bool(history)
    wanted = {r.product_id for r in recs}
    wanted |= {d["because_of"] for r in recs for d in r.reasons if d.get("because_of")}
    products = {str(p.pk): p for p in Product.objects.filter(pk__in=wanted)} if wanted else {}
    items = []
    for r in recs:
        product = products.get(r.product_id)
        if product is None:  # deleted since the index was built
            continue
        details = []
        for d in r.reasons:
            d = dict(d)
            source = products.get(d.get("because_of", ""))
            if source is not None:
                d["text"] = gettext("people who use %(product)s also use it") % {
                    "product": f"{source.brand} {source.name}".strip()
                }
                d.pop("msg", None)
            d["text"] = reason_text(d)
            details.append(d)
        items.append(
            Item(
                product=product,
                score=int(round(100 * r.score)) if personal else None,
                reasons=[d["text"] for d in details],
                details=details,
            )
        )
    basis = {
        "analysis": person.analysis["id"] if person.analysis else None,
        "concerns": sorted(person.needs.concerns, key=lambda c: -person.needs.concerns[c]),
        "interactions": person.interactions,
        "collaborative_weight": round(engine.cf_weight(len(history)) if rec.factors is not None else 0.0, 3),
        "model_version": version,
        "excluded_owned": len(exclude),
        "personal": personal,
        "to_personalise": [{"code": code, "text": text} for code, text in person.missing],
        "budget": person.needs.budget,
        "catalog_size": len(index.product_ids),
    }
    return Result(items=items, basis=basis)
