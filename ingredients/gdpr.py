"""GDPR: what the ingredients app stores about a user (favorites, scans) and their files (scan photos)."""

from __future__ import annotations

from .models import Favorite, Scan


def export(user) -> dict:
    return {
        "favorites": [
            {"product_id": str(f.product_id), "product": str(f.product), "created_at": f.created_at.isoformat()}
            for f in Favorite.objects.filter(user=user).select_related("product")
        ],
        "scans": [
            {
                "id": str(s.id),
                "source": s.source,
                "text": s.text,
                "result": s.result,
                "image": s.image.name or None,
                "created_at": s.created_at.isoformat(),
            }
            for s in Scan.objects.filter(user=user)
        ],
    }


def files(user) -> list[str]:
    return [name for name in Scan.objects.filter(user=user).exclude(image="").values_list("image", flat=True)]
