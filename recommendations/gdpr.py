"""GDPR hooks: everything the recommendations app stores about a person (their interactions). Rows go
with the user by on_delete=CASCADE; trained models hold no user ids (item factors and counts only)."""

from __future__ import annotations

from .models import Interaction


def export(user) -> dict:
    return {
        "interactions": [
            {
                "product": str(row["product_id"]),
                "product_name": f"{row['product__brand']} {row['product__name']}",
                "kind": row["kind"],
                "value": row["value"],
                "created_at": row["created_at"].isoformat(),
                "updated_at": row["updated_at"].isoformat(),
            }
            for row in Interaction.objects.filter(user=user)
            .order_by("created_at")
            .values("product_id", "product__brand", "product__name", "kind", "value", "created_at", "updated_at")
        ]
    }


def files(user) -> list[str]:
    return []
