"""Recommendations: implicit interactions between people and products, and trained recommender artefacts.

Models stay thin: recording and training live in services.py, scoring in engine.py (pure Python)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

INTERACTION_KINDS = [
    ("view", "Viewed"),
    ("favorite", "Favourited"),
    ("shelf", "On the shelf"),
    ("routine", "Used in a routine"),
    ("rating", "Rated"),
]
DERIVED_KINDS = ("favorite", "shelf", "routine")  # mirrored from other apps by `interactions_sync_for_user`


class InteractionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class Interaction(models.Model):
    """One (person, product, kind). A view counts up in `value`; a rating stores 1-5 in `value`; the other
    kinds are present (1) or absent. Weights for the recommender come from `engine.interaction_weight`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions")
    product = models.ForeignKey("ingredients.Product", on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=10, choices=INTERACTION_KINDS)
    value = models.FloatField(default=1.0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "product", "kind"], name="interaction_user_product_kind_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="interaction_value_non_negative"),
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at"]),
            models.Index(fields=["product"]),
            models.Index(
                fields=["updated_at"], name="interaction_updated_at_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.product_id}"


class RecommenderModel(models.Model):
    """A trained collaborative-filtering artefact: an .npz under ML_MODELS_DIR (item factors, popularity)
    with its version, training time, sizes and the validation that chose its rank. The newest `is_active`
    row is served."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=255, help_text="Relative to ML_MODELS_DIR")
    n_users = models.PositiveIntegerField(default=0)
    n_items = models.PositiveIntegerField(default=0)
    n_interactions = models.PositiveIntegerField(default=0)
    n_components = models.PositiveSmallIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True, help_text="Validation NDCG per SVD rank, timings")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self) -> str:
        return f"CF v{self.version} ({self.trained_at:%Y-%m-%d %H:%M})"
