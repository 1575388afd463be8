"""The demo catalog (ingredients/data/demo_products.json): fictional brands, every product marked is_demo."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import transaction

from .knowledge import DATA_DIR

DEMO_FILE = DATA_DIR / "demo_products.json"


@transaction.atomic
def load_demo_catalog() -> dict:
    from .models import Product
    from .services import product_upsert

    created = updated = 0
    existing = {(p.brand, p.name): p for p in Product.objects.filter(is_demo=True)}
    for row in json.loads(DEMO_FILE.read_text(encoding="utf-8")):
        old = existing.get((row["brand"], row["name"]))
        if (
            old is not None
            and old.ingredients_text == row["ingredients_text"]
            and old.price == Decimal(str(row["price"]))
        ):
            continue
        _, was_created = product_upsert(
            brand=row["brand"],
            name=row["name"],
            category=row["category"],
            ingredients_text=row["ingredients_text"],
            price=Decimal(str(row["price"])),
            currency=row.get("currency", "EUR"),
            size_ml=Decimal(str(row["size_ml"])) if row.get("size_ml") else None,
            pao_months=row.get("pao_months"),
            spf=row.get("spf"),
            barcode=row.get("barcode", ""),
            is_vegan=bool(row.get("is_vegan")),
            is_demo=True,
            source="demo",
        )
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated, "total": len(existing) + created}
