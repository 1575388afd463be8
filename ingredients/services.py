"""Ingredients services: assessment of lists, scans, favorites, batches, catalog writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skincare.core import readcache
from skincare.core.errors import DomainError, NotFound

from . import inci, matching, rules
from .assessment import ProfileFacts, Row, assess_rows
from .models import Batch, Favorite, Ingredient, Product, ProductIngredient, Scan

MAX_TEXT = 20_000
MAX_NAMES = 300

FACT_FIELDS = (
    "id",
    "inci_name",
    "synonyms",
    "description",
    "functions",
    "targets",
    "comedogenic_rating",
    "irritancy",
    "is_fragrance",
    "is_allergen",
    "allergen_note",
    "eu_status",
    "eu_limits",
    "pregnancy_caution",
    "bothers_skin_types",
    "suits_skin_types",
    "active_class",
    "hazard_score",
)


def _facts_for(ids: set[str]) -> dict[str, dict]:
    """The facts of the ingredients `ids` (read-only dicts), from the memo beside the index where it holds them
    (`matching.facts_memo`, after `matching.get_index()`), else from the database."""
    if not ids:
        return {}
    memo = matching.facts_memo()
    missing = ids if memo is None else ids - memo.keys()
    read = {str(f["id"]): f for f in Ingredient.objects.filter(id__in=missing).values(*FACT_FIELDS)} if missing else {}
    if memo is None:
        return read
    memo.update(read)
    return {i: memo[i] for i in ids if i in memo}


def match_names(parsed: list[inci.ParsedItem], index: matching.Index | None = None) -> list[Row]:
    index = index or matching.get_index()
    rows: list[Row] = []
    pos = 0
    for item in parsed:
        m = index.match(item.candidates or [item.name])
        if not m.ingredient_id:
            split = index.split_run_on(item.name)
            if split:
                for part in split:
                    pos += 1
                    rows.append(
                        Row(
                            pos,
                            item.raw,
                            part.inci_name or "",
                            part.ingredient_id,
                            part.inci_name,
                            0.9 * part.confidence,
                            "split",
                            item.may_contain,
                        )
                    )
                continue
        pos += 1
        rows.append(
            Row(pos, item.raw, item.name, m.ingredient_id, m.inci_name, m.confidence, m.method, item.may_contain)
        )
    return rows


def assess_ingredients(*, names: list[str] | None = None, text: str | None = None, profile=None) -> dict:
    """The analysis of API.md for a pasted/OCR'd label `text` or a list of `names`.

    `profile` is an accounts Profile (or a dict with the same keys) for personal warnings, or None."""
    if text is None and names is None:
        raise DomainError(_("Send the label text or a list of ingredient names."), code="no_ingredients")
    if text is not None:
        if len(text) > MAX_TEXT:
            raise DomainError(_("The text is too long for one ingredient list."), code="text_too_long")
        parsed = inci.parse(text).items
    else:
        names = [str(n) for n in names or [] if str(n).strip()]
        if len(names) > MAX_NAMES:
            raise DomainError(f"At most {MAX_NAMES} ingredients per list.", code="too_many_ingredients")
        parsed = []
        for n in names:
            # each name may itself carry "(Water)" or "10%": reuse the token cleaner
            for item in inci.parse(n).items[:1] or []:
                parsed.append(inci.ParsedItem(len(parsed) + 1, n, item.name, item.candidates, item.may_contain))
    if not parsed:
        raise DomainError(_("No ingredient list was found in the text."), code="no_ingredients_found", status_code=400)
    index = matching.get_index()
    rows = match_names(parsed, index)
    facts = _facts_for({r.ingredient_id for r in rows if r.ingredient_id})
    return assess_rows(rows, facts, ProfileFacts.from_profile(profile), index=index)


def _product_rows(product: Product) -> list[Row]:
    return [
        Row(
            pi.position,
            pi.raw_name,
            pi.raw_name,
            str(pi.ingredient_id) if pi.ingredient_id else None,
            pi.ingredient.inci_name if pi.ingredient_id else None,
            1.0 if pi.ingredient_id else 0.0,
            "catalog",
        )
        for pi in product.product_ingredients.all()
    ]


def _facts_from_prefetch(product: Product) -> dict[str, dict] | None:
    cache = getattr(product, "_prefetched_objects_cache", {})
    if "product_ingredients" not in cache:
        return None
    facts = {}
    for pi in product.product_ingredients.all():
        if pi.ingredient_id:
            facts[str(pi.ingredient_id)] = {f: getattr(pi.ingredient, f) for f in FACT_FIELDS}
    return facts


def assess_product(*, product: Product, profile=None, index: matching.Index | None = None) -> dict:
    """The analysis of a catalog product. With `product_ingredients__ingredient` prefetched it runs no
    query of its own besides the index version check."""
    rows = _product_rows(product)
    if not rows:
        return {
            "ingredients": [],
            "verdict": None,
            "score": None,
            "rule": rules.RULE_TEXT,
            "warnings": [],
            "unknown": [],
            "conflicts": [],
            "active_classes": [],
            "good_for": {},
            "counts": {"green": 0, "yellow": 0, "red": 0, "unknown": 0, "total": 0},
            "personalized": profile is not None,
            "disclaimer": "No ingredient list is on file for this product, so it is not rated.",
        }
    facts = _facts_from_prefetch(product)
    if facts is None:
        facts = _facts_for({r.ingredient_id for r in rows if r.ingredient_id})
    return assess_rows(rows, facts, ProfileFacts.from_profile(profile), index=index or matching.get_index())


def products_safety_for(*, products, profile) -> dict:
    """{product id: (safe, reasons)} for many products: one prefetch query, one index check."""
    from django.db.models import Prefetch

    products = list(products)
    facts_profile = ProfileFacts.from_profile(profile)
    if facts_profile is None or not (facts_profile.allergies or facts_profile.pregnant):
        return {p.pk: (True, []) for p in products}
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        products,
        Prefetch(
            "product_ingredients",
            queryset=ProductIngredient.objects.select_related("ingredient").order_by("position"),
        ),
    )
    index = matching.get_index()
    return {p.pk: _safety(assess_product(product=p, profile=profile, index=index)) for p in products}


def _safety(result: dict) -> tuple[bool, list[str]]:
    reasons = [
        f"{w['message']} ({', '.join(w['ingredients'])})"
        for w in result["warnings"]
        if w["code"] in {"user_allergy", "pregnancy_avoid"}
    ]
    return (not reasons), reasons


def product_is_safe_for(*, product: Product, profile) -> tuple[bool, list[str]]:
    """False with reasons when the product holds one of the user's allergens (through synonyms and groups
    such as "fragrance" → Parfum and the labelled allergens) or a pregnancy-avoid active for a pregnant
    user. Uses `product.product_ingredients` (prefetch `product_ingredients__ingredient` for lists)."""
    facts_profile = ProfileFacts.from_profile(profile)
    if facts_profile is None or not (facts_profile.allergies or facts_profile.pregnant):
        return True, []
    return _safety(assess_product(product=product, profile=profile))


# --- scans -------------------------------------------------------------------------------------


def scan_create(*, user, text: str, result: dict, source: str = "text") -> Scan:
    return Scan.objects.create(user=user, text=text[:MAX_TEXT], result=result, source=source)


def scan_photo(*, user, image_bytes: bytes, profile=None, save: bool = True) -> dict:
    from . import ocr

    text = ocr.read_label(image_bytes)
    result = assess_ingredients(text=text, profile=profile)
    result["text"] = text
    if save and user is not None:
        scan = scan_create(user=user, text=text, result=result, source="photo")
        result["scan_id"] = str(scan.id)
    return result


# --- favorites ---------------------------------------------------------------------------------


def favorite_add(*, user, product_id) -> Favorite:
    try:
        product = Product.objects.get(pk=product_id)
    except (Product.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
        raise NotFound(_("No such product."), code="product_not_found") from exc
    try:
        with transaction.atomic():
            fav, _created = Favorite.objects.get_or_create(user=user, product=product)
    except IntegrityError:
        fav = Favorite.objects.get(user=user, product=product)
    return fav


@transaction.atomic
def favorite_remove(*, user, product_id) -> None:
    deleted, _count = Favorite.objects.filter(user=user, product_id=product_id).delete()
    if not deleted:
        raise NotFound(_("This product is not in your favorites."), code="favorite_not_found")


# --- catalog -----------------------------------------------------------------------------------


@transaction.atomic
def product_set_ingredients(*, product: Product, text: str) -> list[ProductIngredient]:
    """Parse `text` into the product's ordered ingredients, matched to the knowledge base."""
    product.ingredients_text = text
    product.save(update_fields=["ingredients_text", "updated_at"])
    ProductIngredient.objects.filter(product=product).delete()
    rows = match_names(inci.parse(text).items) if text.strip() else []
    objs = [
        ProductIngredient(
            product=product,
            ingredient_id=r.ingredient_id,
            position=r.position,
            raw_name=(r.inci_name or r.name)[:255],
        )
        for r in rows
    ]
    readcache.shared_changed()
    return ProductIngredient.objects.bulk_create(objs)


@transaction.atomic
def product_upsert(
    *,
    brand: str,
    name: str,
    category: str,
    ingredients_text: str = "",
    price: Decimal | None = None,
    currency: str = "EUR",
    size_ml: Decimal | None = None,
    pao_months: int | None = None,
    spf: int | None = None,
    barcode: str = "",
    is_vegan: bool = False,
    is_demo: bool = False,
    source: str = "",
) -> tuple[Product, bool]:
    defaults = {
        "category": category,
        "price": price,
        "currency": currency,
        "size_ml": size_ml,
        "pao_months": pao_months,
        "spf": spf,
        "barcode": barcode,
        "is_vegan": is_vegan,
        "is_demo": is_demo,
        "source": source,
        "search_text": f"{brand} {name} {category}",
    }
    product, created = Product.objects.update_or_create(brand=brand, name=name, defaults=defaults)
    if created or product.ingredients_text != ingredients_text or not product.product_ingredients.exists():
        product_set_ingredients(product=product, text=ingredients_text)
    return product, created


# --- batches -----------------------------------------------------------------------------------

USE_SOON_DAYS = 30


def batch_freshness(*, batch: Batch, today: dt.date | None = None) -> dict:
    """fresh / use_soon (last 10% of shelf life or last 30 days) / expired, per DOMAIN.md."""
    today = today or timezone.localdate()
    total = max(1, (batch.expiry_date - batch.manufacture_date).days)
    left = (batch.expiry_date - today).days
    if left < 0:
        status = "expired"
    elif left <= max(USE_SOON_DAYS, total * 0.1):
        status = "use_soon"
    else:
        status = "fresh"
    return {"status": status, "days_left": left, "expiry_date": batch.expiry_date.isoformat()}


@transaction.atomic
def batch_create(*, product: Product, batch_code: str, manufacture_date: dt.date, expiry_date: dt.date) -> Batch:
    if expiry_date <= manufacture_date:
        raise DomainError(_("The expiry date must be after the manufacture date."), code="invalid_dates")
    try:
        with transaction.atomic():
            return Batch.objects.create(
                product=product,
                batch_code=batch_code.strip(),
                manufacture_date=manufacture_date,
                expiry_date=expiry_date,
            )
    except IntegrityError as exc:
        raise DomainError(_("This batch code is already registered."), code="batch_exists") from exc


def batch_qr_svg(*, batch: Batch, base_url: str) -> str:
    import segno
    from django.urls import reverse

    url = base_url.rstrip("/") + reverse("ingredients:batch", kwargs={"public_id": batch.public_id})
    return segno.make(url, error="m").svg_inline(scale=4)
