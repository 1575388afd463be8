"""Importer for the Open Beauty Facts export format (https://world.openbeautyfacts.org/data, ODbL).

Two shapes: the JSONL dump (one product object per line) and the CSV export (tab- or comma-separated,
same field names). Fields used: code, product_name, brands, categories_tags/categories, ingredients_text
(or ingredients_text_en/_fr), quantity ("50 ml"), periods_after_opening ("12 months"), labels_tags
("en:vegan"). Products whose category is not skin care, or without a name or brand, are skipped and counted.
Rows are matched by (brand, name); re-importing updates them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO

CATEGORY_RULES = [
    ("sunscreen", r"sun-?screen|sun-?protect|sun-?cream|solaire|spf"),
    ("spot_treatment", r"spot|blemish|imperfection|acne-treatment"),
    ("eye", r"eye"),
    ("cleanser", r"cleans|face-?wash|micellar|demaquill|make-?up-?remov|cleansing"),
    ("toner", r"toner|tonique|tonic"),
    ("essence", r"essence"),
    ("serum", r"serum|sérum"),
    ("mask", r"mask|masque"),
    ("exfoliant", r"exfoli|scrub|peel|gommage"),
    ("oil", r"face-?oil|facial-?oil|huile"),
    ("treatment", r"treatment|soin"),
    ("moisturizer", r"moistur|face-?cream|day-?cream|night-?cream|creme|cream|hydrat|lotion"),
]


def category_for(tags: str) -> str | None:
    tags = tags.lower()
    for category, pattern in CATEGORY_RULES:
        if re.search(pattern, tags):
            return category
    return None


def _first(row: dict, *keys: str) -> str:
    for k in keys:
        v = row.get(k)
        if isinstance(v, list):
            v = ",".join(str(x) for x in v)
        if v:
            return str(v).strip()
    return ""


def _quantity_ml(text: str) -> Decimal | None:
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*(ml|mL|ML|cl|l|L|fl\.? ?oz)\b", text or "")
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    unit = m.group(2).lower()
    factor = {"ml": 1, "cl": 10, "l": 1000}.get(unit, Decimal("29.57"))
    return (value * Decimal(factor)).quantize(Decimal("0.1"))


def _pao(text: str) -> int | None:
    m = re.search(r"(\d{1,2})\s*(?:m\b|months?|mois|monate)", text or "", re.I)
    return int(m.group(1)) if m else None


def read_jsonl(stream: IO[str]) -> Iterator[dict]:
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            yield {"_error": "invalid JSON line"}
            continue
        yield obj if isinstance(obj, dict) else {"_error": "not an object"}


def read_csv(stream: IO[str]) -> Iterator[dict]:
    sample = stream.read(4096)
    rest = stream.read()
    text = sample + rest
    delimiter = "\t" if sample.split("\n", 1)[0].count("\t") > sample.split("\n", 1)[0].count(",") else ","
    csv.field_size_limit(10_000_000)
    yield from csv.DictReader(io.StringIO(text), delimiter=delimiter)


def normalise(row: dict) -> tuple[dict | None, str]:
    """An OBF row → product_upsert kwargs, or (None, reason)."""
    if "_error" in row:
        return None, row["_error"]
    name = _first(row, "product_name", "product_name_en", "product_name_fr")
    brand = _first(row, "brands").split(",")[0].strip()
    if not name or not brand:
        return None, "no name or brand"
    category = category_for(_first(row, "categories_tags", "categories", "categories_en") + " " + name)
    if not category:
        return None, "not a skin-care category"
    labels = _first(row, "labels_tags", "labels").lower()
    text = _first(
        row, "ingredients_text", "ingredients_text_en", "ingredients_text_fr", "ingredients_text_with_allergens"
    )
    spf = re.search(r"spf\s*(\d{2})", name, re.I)
    return (
        {
            "brand": brand[:120],
            "name": name[:255],
            "category": category,
            "ingredients_text": text[:20000],
            "barcode": _first(row, "code")[:32],
            "size_ml": _quantity_ml(_first(row, "quantity")),
            "pao_months": _pao(_first(row, "periods_after_opening", "periods_after_opening_tags")),
            "spf": int(spf.group(1)) if spf else None,
            "is_vegan": "vegan" in labels,
            "is_demo": False,
            "source": "openbeautyfacts",
            "price": None,
        },
        "",
    )


def import_rows(rows: Iterable[dict], *, limit: int | None = None) -> dict:
    from .services import product_upsert

    counts: Counter = Counter()
    for i, row in enumerate(rows):
        if limit is not None and i >= limit:
            break
        kwargs, reason = normalise(row)
        if kwargs is None:
            counts[f"skipped: {reason}"] += 1
            continue
        _, created = product_upsert(**kwargs)
        counts["created" if created else "updated"] += 1
    return dict(counts)
