"""Recommendations writes: recording interactions, mirroring them from other apps, training the CF model."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from skincare.core.errors import DomainError, NotFound

from . import engine
from .models import DERIVED_KINDS, INTERACTION_KINDS, Interaction, RecommenderModel

logger = logging.getLogger(__name__)

KIND_KEYS = {k for k, _ in INTERACTION_KINDS}
MODEL_SUBDIR = "recommendations"
KEEP_MODELS = 3


def _product(product_id):
    from ingredients.models import Product

    try:
        return Product.objects.only("id").get(pk=product_id)
    except (Product.DoesNotExist, DjangoValidationError, ValueError, TypeError) as exc:
        raise NotFound("No such product.", code="product_not_found") from exc


def interaction_record(*, user, product_id, kind: str, value: float | None = None) -> Interaction:
    """Record that `user` did `kind` with a product. A view counts up; a rating (1-5) replaces the last
    rating; favorite/shelf/routine are present-or-absent (idempotent)."""
    if kind not in KIND_KEYS:
        raise DomainError(f"Unknown interaction kind “{kind}”.", code="invalid_kind")
    if kind == "rating":
        try:
            value = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise DomainError("A rating needs a value from 1 to 5.", code="invalid_rating") from exc
        if not 1 <= value <= 5:
            raise DomainError("A rating needs a value from 1 to 5.", code="invalid_rating")
    product = _product(product_id)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                obj, created = Interaction.objects.select_for_update().get_or_create(
                    user=user, product=product, kind=kind, defaults={"value": 1.0 if value is None else value}
                )
                if not created:
                    if kind == "view":
                        Interaction.objects.filter(pk=obj.pk).update(value=F("value") + 1, updated_at=timezone.now())
                        obj.refresh_from_db()
                    elif kind == "rating":
                        obj.value = value
                        obj.save(update_fields=["value", "updated_at"])
                return obj
        except IntegrityError:  # a concurrent first record: the row exists now; go again
            continue
    raise DomainError("Could not record the interaction; try again.", code="conflict", status_code=409)


def _derived_for_users(user_ids) -> dict:
    """{user_id: {(product_id, kind): value}} from favorites, shelf items and completed routine steps."""
    from ingredients.models import Favorite
    from routines.models import ShelfItem, StepCompletion

    out: dict = {uid: {} for uid in user_ids}
    for uid, pid in Favorite.objects.filter(user_id__in=user_ids).values_list("user_id", "product_id"):
        out[uid][(pid, "favorite")] = 1.0
    for uid, pid in ShelfItem.objects.filter(user_id__in=user_ids, product__isnull=False).values_list(
        "user_id", "product_id"
    ):
        out[uid][(pid, "shelf")] = 1.0
    used = (
        StepCompletion.objects.filter(user_id__in=user_ids, step__product__isnull=False)
        .values("user_id", "step__product_id")
        .annotate(n=Count("id"))
    )
    for row in used:
        out[row["user_id"]][(row["step__product_id"], "routine")] = float(row["n"])
    return out


@transaction.atomic
def interactions_sync_for_users(*, user_ids) -> dict:
    """Mirror favorites, shelf items and routine use (step completions) into Interaction rows for these
    people: add what is new, update counts, delete what is gone. Views and ratings are left alone."""
    user_ids = list(user_ids)
    wanted = _derived_for_users(user_ids)
    existing = {
        (uid, pid, kind): (pk, value)
        for pk, uid, pid, kind, value in Interaction.objects.filter(
            user_id__in=user_ids, kind__in=DERIVED_KINDS
        ).values_list("id", "user_id", "product_id", "kind", "value")
    }
    create, update, keep = [], [], set()
    for uid, items in wanted.items():
        for (pid, kind), value in items.items():
            key = (uid, pid, kind)
            keep.add(key)
            if key not in existing:
                create.append(Interaction(user_id=uid, product_id=pid, kind=kind, value=value))
            elif existing[key][1] != value:
                update.append(Interaction(pk=existing[key][0], value=value, updated_at=timezone.now()))
    stale = [pk for key, (pk, _v) in existing.items() if key not in keep]
    Interaction.objects.bulk_create(create, ignore_conflicts=True)
    Interaction.objects.bulk_update(update, ["value", "updated_at"])
    Interaction.objects.filter(pk__in=stale).delete()
    return {"created": len(create), "updated": len(update), "deleted": len(stale)}


def interactions_sync_for_user(*, user) -> dict:
    return interactions_sync_for_users(user_ids=[user.pk])


def interactions_sync_all(*, batch_size: int = 500) -> dict:
    """Sync everyone who has favorites, shelf items, routine use or derived interactions, in bounded batches."""
    from ingredients.models import Favorite
    from routines.models import ShelfItem, StepCompletion

    ids = set(Favorite.objects.values_list("user_id", flat=True).distinct())
    ids |= set(ShelfItem.objects.filter(product__isnull=False).values_list("user_id", flat=True).distinct())
    ids |= set(StepCompletion.objects.values_list("user_id", flat=True).distinct())
    ids |= set(Interaction.objects.filter(kind__in=DERIVED_KINDS).values_list("user_id", flat=True).distinct())
    total = {"created": 0, "updated": 0, "deleted": 0, "people": len(ids)}
    ordered = sorted(ids, key=str)
    for start in range(0, len(ordered), batch_size):
        result = interactions_sync_for_users(user_ids=ordered[start : start + batch_size])
        for key in ("created", "updated", "deleted"):
            total[key] += result[key]
    return total


def interaction_matrix() -> tuple[dict[int, dict[int, float]], list, list[str]]:
    """All interactions as {user row: {product row: weight}}, with the user ids and product ids (str) of the
    rows. Kinds of one (user, product) add up."""
    users: dict = {}
    items: dict = {}
    data: dict[int, dict[int, float]] = {}
    rows = Interaction.objects.values_list("user_id", "product_id", "kind", "value").iterator(chunk_size=5000)
    for uid, pid, kind, value in rows:
        w = engine.interaction_weight(kind, value)
        if w <= 0:
            continue
        u = users.setdefault(uid, len(users))
        i = items.setdefault(str(pid), len(items))
        data.setdefault(u, {})
        data[u][i] = data[u].get(i, 0.0) + w
    return data, list(users), list(items)


def models_dir() -> Path:
    path = Path(settings.ML_MODELS_DIR) / MODEL_SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def recommender_train(*, seed: int = 0, n_components: int | None = None) -> RecommenderModel | None:
    """Train the CF model on every interaction and register it (file under ML_MODELS_DIR + a row). The
    SVD rank is chosen by validation inside the data (`engine.choose_components`). Returns None when there
    are no interactions yet (content-based recommendations need no training)."""
    started = time.monotonic()
    data, user_ids, item_ids = interaction_matrix()
    if not data or len(item_ids) < 2:
        logger.info("recommender_train: not enough interactions (%d people)", len(data))
        return None
    validation: dict = {}
    if n_components is None:
        n_components, validation = engine.choose_components(data, item_ids, seed=seed)
    cf = engine.fit_cf_from(data, item_ids, n_components=n_components, seed=seed)
    with transaction.atomic():
        last = RecommenderModel.objects.select_for_update().order_by("-version").first()
        version = (last.version + 1) if last else 1
        name = f"{MODEL_SUBDIR}/cf-v{version}.npz"
        cf.save(models_dir().parent / name)
        RecommenderModel.objects.filter(is_active=True).update(is_active=False)
        model = RecommenderModel.objects.create(
            version=version,
            path=name,
            n_users=len(user_ids),
            n_items=len(item_ids),
            n_interactions=cf.n_interactions,
            n_components=int(cf.item_factors.shape[1]),
            metrics={
                "validation_ndcg@10_by_components": {str(k): round(v, 5) for k, v in validation.items()},
                "train_seconds": round(time.monotonic() - started, 3),
                "factor_norm_mean": float(np.linalg.norm(cf.item_factors, axis=1).mean()),
            },
            is_active=True,
        )
    _prune_old_models()
    return model


def _prune_old_models() -> None:
    old = RecommenderModel.objects.order_by("-version")[KEEP_MODELS:]
    for row in old:
        try:
            (Path(settings.ML_MODELS_DIR) / row.path).unlink(missing_ok=True)
        except OSError:
            logger.warning("could not delete %s", row.path)
        row.delete()
