"""Ingredients: the knowledge base (Ingredient), the catalog (Product, ProductIngredient), favorites,
batches with public QR pages, and label scans.

Models stay thin: logic lives in services.py (writes, assessment) and selectors.py (reads)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from domain import actives

# Vocabulary and rules live in the domain package (one home); labels are translated where shown.

EU_STATUSES = [
    ("none", pgettext_lazy("EU status", "Not in an annex")),
    ("prohibited", pgettext_lazy("EU status", "Prohibited (Annex II)")),
    ("restricted", pgettext_lazy("EU status", "Restricted (Annex III)")),
    ("colorant", pgettext_lazy("EU status", "Allowed colorant (Annex IV)")),
    ("preservative", pgettext_lazy("EU status", "Allowed preservative (Annex V)")),
    ("uv_filter", pgettext_lazy("EU status", "Allowed UV filter (Annex VI)")),
]
PREGNANCY = [(key, _(label)) for key, label in actives.PREGNANCY_LEVELS]
ACTIVE_CLASSES = [(key, _(label)) for key, label in actives.ACTIVE_CHOICES]
# The facts an Ingredient carries besides its name: one list for the loader, the CSV import/export and
# the API, so a new fact is added in one place.
INGREDIENT_FACT_FIELDS = [
    "synonyms",
    "cas_number",
    "functions",
    "description",
    "benefits",
    "targets",
    "comedogenic_rating",
    "irritancy",
    "is_fragrance",
    "is_allergen",
    "allergen_note",
    "eu_status",
    "eu_annex_ref",
    "eu_limits",
    "pregnancy_caution",
    "suits_skin_types",
    "bothers_skin_types",
    "active_class",
    "hazard_score",
    "sources",
]

PRODUCT_CATEGORIES = [
    ("cleanser", pgettext_lazy("product category", "Cleanser")),
    ("toner", pgettext_lazy("product category", "Toner")),
    ("essence", pgettext_lazy("product category", "Essence")),
    ("serum", pgettext_lazy("product category", "Serum")),
    ("treatment", pgettext_lazy("product category", "Treatment")),
    ("eye", pgettext_lazy("product category", "Eye care")),
    ("moisturizer", pgettext_lazy("product category", "Moisturizer")),
    ("sunscreen", pgettext_lazy("product category", "Sunscreen")),
    ("mask", pgettext_lazy("product category", "Mask")),
    ("exfoliant", pgettext_lazy("product category", "Exfoliant")),
    ("oil", pgettext_lazy("product category", "Face oil")),
    ("spot_treatment", pgettext_lazy("product category", "Spot treatment")),
]


class Ingredient(models.Model):
    """One INCI ingredient. Every value has a source in `sources` ({field: source})."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inci_name = models.CharField(max_length=255, unique=True)
    synonyms = models.JSONField(default=list, blank=True, help_text="Other names and common names")
    cas_number = models.CharField(max_length=120, blank=True)
    functions = models.JSONField(default=list, blank=True, help_text="INCI functions per CosIng")
    description = models.TextField(blank=True)
    benefits = models.TextField(blank=True)
    targets = models.JSONField(default=list, blank=True, help_text="Concern keys it is used for")
    comedogenic_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(5)], help_text="0-5, rabbit-ear data: a hint only"
    )
    irritancy = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(5)])
    is_fragrance = models.BooleanField(default=False)
    is_allergen = models.BooleanField(default=False, help_text="EU labelled fragrance allergen")
    allergen_note = models.CharField(max_length=255, blank=True)
    eu_status = models.CharField(max_length=20, choices=EU_STATUSES, default="none")
    eu_annex_ref = models.CharField(max_length=60, blank=True)
    eu_limits = models.TextField(blank=True)
    pregnancy_caution = models.CharField(max_length=10, choices=PREGNANCY, default="none")
    suits_skin_types = models.JSONField(default=list, blank=True)
    bothers_skin_types = models.JSONField(default=list, blank=True)
    active_class = models.CharField(max_length=30, choices=ACTIVE_CLASSES, blank=True, default="")
    hazard_score = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(10)], help_text="0-10, see README"
    )
    sources = models.JSONField(default=dict, blank=True, help_text="{field: source}")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inci_name"]
        indexes = [models.Index(fields=["active_class"]), models.Index(fields=["eu_status"])]

    def __str__(self) -> str:
        return self.inci_name


class ProductQuerySet(models.QuerySet):
    def real(self):
        return self.filter(is_demo=False)


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.CharField(max_length=120)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=20, choices=PRODUCT_CATEGORIES, db_index=True)
    barcode = models.CharField(max_length=32, blank=True, db_index=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    size_ml = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    pao_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Period after opening")
    spf = models.PositiveSmallIntegerField(null=True, blank=True)
    is_vegan = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False, help_text="Demo catalog data, not a real product listing")
    source = models.CharField(max_length=60, blank=True, help_text="demo, openbeautyfacts, staff...")
    ingredients_text = models.TextField(blank=True)
    ingredients = models.ManyToManyField(Ingredient, through="ProductIngredient", related_name="products")
    search_text = models.TextField(blank=True, help_text="brand + name + category, for search")
    # PostgreSQL only: the weighted full-text document (brand, name A; category B; ingredients D), kept by a trigger
    # on every insert and update (migration 0005) and GIN-indexed, so a search no longer parses every product's
    # ingredient list three times per request. NULL on other databases, which search with icontains.
    search_document = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="product_brand_name_unique")]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class ProductIngredient(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="product_ingredients")
    ingredient = models.ForeignKey(Ingredient, on_delete=models.SET_NULL, null=True, blank=True)
    position = models.PositiveSmallIntegerField()
    raw_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["product", "position"]
        constraints = [models.UniqueConstraint(fields=["product", "position"], name="product_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.raw_name}"


class Favorite(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorite_products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="favorite_user_product_unique")]
        indexes = [models.Index(fields=["created_at"], name="favorite_created_at_idx")]  # the admin list's order

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.product_id}"


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class Batch(models.Model):
    """A production batch registered by staff; its public page is reached by an unguessable id (QR)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="batches")
    batch_code = models.CharField(max_length=60)
    manufacture_date = models.DateField()
    expiry_date = models.DateField()
    public_id = models.CharField(max_length=40, unique=True, default=new_public_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"
        constraints = [models.UniqueConstraint(fields=["product", "batch_code"], name="batch_product_code_unique")]

    def __str__(self) -> str:
        return f"{self.product} #{self.batch_code}"


def scan_image_path(instance, filename: str) -> str:
    """Label photos are not kept today; if one is, it is encrypted with its owner's key (privacy.storage)."""
    import os

    from privacy.storage import owned_name

    return owned_name(instance.user, "scans", os.path.splitext(filename)[1].lower() or ".jpg")


class Scan(models.Model):
    """One ingredient-list analysis a user asked for (photo or pasted text)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ingredient_scans")
    source = models.CharField(
        max_length=10,
        choices=[("photo", pgettext_lazy("scan source", "Photo")), ("text", pgettext_lazy("scan source", "Text"))],
        default="text",
    )
    text = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    image = models.ImageField(upload_to=scan_image_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(
                fields=["created_at"], name="scan_created_at_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return f"Scan {self.id}"
