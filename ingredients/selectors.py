"""Ingredients reads: catalog and knowledge-base search, ownership-checked fetches, helpers other apps call."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from skincare.core.errors import NotFound

from . import inci, rules
from .models import Batch, Favorite, Ingredient, Product, ProductIngredient

SEARCH_MAX = 200


# --- helpers other apps call -------------------------------------------------------------------


def product_active_classes(product: Product) -> set[str]:
    """Active classes (retinoid, aha, bha, vitamin_c, ...) in a product. Honours a prefetch of
    `product_ingredients__ingredient`; otherwise one query."""
    cache = getattr(product, "_prefetched_objects_cache", {})
    if "product_ingredients" in cache:
        return {
            pi.ingredient.active_class
            for pi in product.product_ingredients.all()
            if pi.ingredient_id and pi.ingredient.active_class
        }
    return set(
        Ingredient.objects.filter(productingredient__product=product)
        .exclude(active_class="")
        .values_list("active_class", flat=True)
    )


def products_active_classes(products: Iterable[Product]) -> dict:
    """{product id: set of active classes} for many products in one query."""
    products = list(products)
    out: dict = {p.pk: set() for p in products}
    rows = (
        ProductIngredient.objects.filter(product__in=products, ingredient__isnull=False)
        .exclude(ingredient__active_class="")
        .values_list("product_id", "ingredient__active_class")
    )
    for pid, cls in rows:
        out.setdefault(pid, set()).add(cls)
    return out


def product_conflicts(products: Iterable[Product] | Product, other: Product | None = None) -> list[dict]:
    """Conflicting actives (DOMAIN.md pairs).

    - `product_conflicts(product)`: conflicts inside one product.
    - `product_conflicts(product_a, product_b)`: conflicts between two products.
    - `product_conflicts([p1, p2, ...])`: every conflicting pair across the list (and inside each product).
    Each conflict: {"products": [id, ...], "classes": [a, b], "advice": str}."""
    if isinstance(products, Product):
        products = [products] if other is None else [products, other]
    products = list(products)
    classes = products_active_classes(products)
    out: list[dict] = []
    for i, a in enumerate(products):
        for c in rules.conflicts_between(classes.get(a.pk, set())):
            out.append({"products": [str(a.pk)], **c})
        for b in products[i + 1 :]:
            for c in rules.conflicts_between(classes.get(a.pk, set()), classes.get(b.pk, set())):
                out.append({"products": [str(a.pk), str(b.pk)], **c})
    return out


# --- catalog -----------------------------------------------------------------------------------


def product_queryset() -> QuerySet[Product]:
    return Product.objects.all()


def product_detail_queryset() -> QuerySet[Product]:
    return Product.objects.prefetch_related(
        Prefetch(
            "product_ingredients",
            queryset=ProductIngredient.objects.select_related("ingredient").order_by("position"),
        )
    )


def product_get(*, product_id) -> Product:
    try:
        return product_detail_queryset().get(pk=product_id)
    except (Product.DoesNotExist, DjangoValidationError, ValueError) as exc:
        raise NotFound(_("No such product."), code="product_not_found") from exc


def ingredient_get(*, ingredient_id) -> Ingredient:
    try:
        return Ingredient.objects.get(pk=ingredient_id)
    except (Ingredient.DoesNotExist, DjangoValidationError, ValueError) as exc:
        raise NotFound(_("No such ingredient."), code="ingredient_not_found") from exc


def batch_get_public(*, public_id: str) -> Batch:
    try:
        return Batch.objects.select_related("product").get(public_id=public_id)
    except Batch.DoesNotExist as exc:
        raise NotFound(_("No such batch."), code="batch_not_found") from exc


def favorites_for(*, user) -> QuerySet[Favorite]:
    return Favorite.objects.filter(user=user).select_related("product")


def favorite_product_ids(*, user) -> set:
    return set(Favorite.objects.filter(user=user).values_list("product_id", flat=True))


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def product_search(*, q: str = "", category: str = "") -> QuerySet[Product]:
    """Catalog search: PostgreSQL full text + trigram similarity (misspellings); on other databases
    icontains on brand/name/category, then rapidfuzz over the catalog for misspellings."""
    qs = Product.objects.all()
    if category:
        qs = qs.filter(category=category)
    q = (q or "").strip()[:100]
    if not q:
        return qs
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity

        # search_document: brand and name weighted A, category B, ingredients D, kept by a trigger (migration 0005).
        query = SearchQuery(q, search_type="websearch")
        return (
            qs.annotate(
                rank=SearchRank(F("search_document"), query),
                sim=TrigramWordSimilarity(q, Concat("brand", Value(" "), "name", Value(" "), "category")),
            )
            .filter(Q(search_document=query) | Q(sim__gt=0.4))
            .order_by("-sim", "-rank", "brand", "name")
        )
    words = q.split()
    cond = Q()
    for w in words:
        cond &= (
            Q(brand__icontains=w)
            | Q(name__icontains=w)
            | Q(category__icontains=w)
            | Q(search_text__icontains=w)
            | Q(ingredients_text__icontains=w)
        )
    hits = qs.filter(cond)
    if hits.exists():
        return hits
    return _fuzzy_fallback(qs, q)


def _fuzzy_fallback(qs: QuerySet, q: str) -> QuerySet:
    rows = list(qs.values_list("pk", "brand", "name", "category")[:5000])
    choices = {pk: f"{brand} {name} {category}".lower() for pk, brand, name, category in rows}
    best = process.extract(q.lower(), choices, scorer=fuzz.partial_ratio, score_cutoff=75, limit=SEARCH_MAX)
    ids = [pk for _, _, pk in best]
    return qs.filter(pk__in=ids)


def ingredient_search(*, q: str) -> QuerySet[Ingredient] | list[Ingredient]:
    """INCI names, synonyms, misspellings. Exact/prefix hits first."""
    q = (q or "").strip()[:100]
    qs = Ingredient.objects.all()
    if not q:
        return qs
    if _is_postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        return (
            qs.annotate(sim=TrigramWordSimilarity(q, "inci_name"))
            .filter(Q(inci_name__icontains=q) | Q(synonyms__icontains=q) | Q(sim__gt=0.45))
            .order_by("-sim", "inci_name")
        )
    hits = qs.filter(Q(inci_name__icontains=q) | Q(synonyms__icontains=q))
    if hits.exists():
        return hits
    # misspelling: rapidfuzz over names and synonyms (OCR-folded keys)
    from .matching import get_index

    index = get_index()
    m = index.match_one(q)
    if m.ingredient_id:
        return qs.filter(pk=m.ingredient_id)
    k = inci.key(q)
    names = dict(qs.values_list("pk", "inci_name"))
    best = process.extract(
        k, {pk: inci.key(n) for pk, n in names.items()}, scorer=fuzz.WRatio, score_cutoff=80, limit=20
    )
    return qs.filter(pk__in=[pk for _, _, pk in best])


def search_suggestions(*, q: str, limit: int = 8) -> list[dict]:
    q = (q or "").strip()
    if len(q) < 2:
        return []
    out = [{"kind": "ingredient", "label": i.inci_name, "id": str(i.pk)} for i in list(ingredient_search(q=q)[:limit])]
    out += [{"kind": "product", "label": str(p), "id": str(p.pk)} for p in list(product_search(q=q)[:limit])]
    return out[: limit * 2]
