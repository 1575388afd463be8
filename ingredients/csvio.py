"""CSV import/export of the knowledge base (commands `export_ingredients_csv`/`import_ingredients_csv` and
admin actions). Lists are `;`-joined, `sources` is JSON. Imported rows are marked as staff edits, so the
bundled-data loader will not overwrite them; the hazard score is recomputed from the imported facts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from . import rules
from .matching import reset_index
from .models import INGREDIENT_FACT_FIELDS, Ingredient

LIST_FIELDS = ["synonyms", "functions", "targets", "suits_skin_types", "bothers_skin_types"]
INT_FIELDS = ["comedogenic_rating", "irritancy"]
BOOL_FIELDS = ["is_fragrance", "is_allergen"]
COLUMNS = ["inci_name", *INGREDIENT_FACT_FIELDS]


class CsvImportError(ValueError):
    pass


def export_rows(queryset=None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for ing in (queryset if queryset is not None else Ingredient.objects.all()).order_by("inci_name"):
        row = {}
        for col in COLUMNS:
            value = getattr(ing, col)
            if col in LIST_FIELDS:
                value = ";".join(value or [])
            elif col == "sources":
                value = json.dumps(value or {}, ensure_ascii=False, sort_keys=True)
            elif col in BOOL_FIELDS:
                value = "1" if value else "0"
            elif value is None:
                value = ""
            row[col] = value
        writer.writerow(row)
    return out.getvalue()


def _row_to_fields(row: dict, line: int) -> dict:
    name = (row.get("inci_name") or "").strip()
    if not name:
        raise CsvImportError(f"Line {line}: inci_name is empty.")
    fields: dict = {}
    for col in COLUMNS[1:]:
        if col not in row or row[col] is None:
            continue
        raw = row[col].strip()
        if col in LIST_FIELDS:
            fields[col] = [v.strip() for v in raw.split(";") if v.strip()]
        elif col in INT_FIELDS:
            if raw == "":
                fields[col] = None
            elif raw.isdigit() and 0 <= int(raw) <= 5:
                fields[col] = int(raw)
            else:
                raise CsvImportError(f"Line {line}: {col} must be 0-5 or empty.")
        elif col in BOOL_FIELDS:
            fields[col] = raw.lower() in {"1", "true", "yes", "y"}
        elif col == "sources":
            try:
                fields[col] = json.loads(raw) if raw else {}
            except json.JSONDecodeError as exc:
                raise CsvImportError(f"Line {line}: sources is not valid JSON.") from exc
        elif col == "hazard_score":
            continue  # computed
        else:
            fields[col] = raw
    for col, allowed in (
        ("eu_status", {c for c, _ in Ingredient._meta.get_field("eu_status").choices}),
        ("pregnancy_caution", {c for c, _ in Ingredient._meta.get_field("pregnancy_caution").choices}),
        ("active_class", {c for c, _ in Ingredient._meta.get_field("active_class").choices}),
    ):
        if col in fields and fields[col] not in allowed:
            raise CsvImportError(f"Line {line}: {col} “{fields[col]}” is not one of {sorted(allowed)}.")
    return {"inci_name": name[:255], **fields}


def recompute_hazard(ing: Ingredient) -> int:
    annexes = {ref.split("/")[0].strip() for ref in (ing.eu_annex_ref or "").split(",") if "/" in ref}
    return rules.hazard_score(
        eu_status=ing.eu_status,
        eu_annexes=annexes,
        irritancy=ing.irritancy,
        comedogenic_rating=ing.comedogenic_rating,
        is_allergen=ing.is_allergen,
        is_fragrance=ing.is_fragrance,
        pregnancy_caution=ing.pregnancy_caution,
    )


TRACKED_FIELDS = [*COLUMNS[1:], "hazard_score"]  # what an import may change, for the caller's record of it


@transaction.atomic
def import_rows(
    text: str,
    *,
    editor: str = "csv import",
    on_saved: Callable[[Ingredient, bool, dict, dict], None] | None = None,
) -> dict:
    """Create or update ingredients from CSV text, all or nothing. `on_saved(ingredient, created, before, after)` is
    called for each saved row with the tracked fields' values (the admin records them in the audit log)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "inci_name" not in reader.fieldnames:
        raise CsvImportError("The CSV needs a header row with at least an inci_name column.")
    created = updated = 0
    stamp = f"{editor} {timezone.now():%Y-%m-%d}"
    for i, row in enumerate(reader, start=2):
        fields = _row_to_fields(row, i)
        name = fields.pop("inci_name")
        ing = Ingredient.objects.filter(inci_name=name).first()
        is_new = ing is None
        if is_new:
            ing = Ingredient(inci_name=name)
            created += 1
        else:
            updated += 1
        before = {} if is_new else {f: getattr(ing, f) for f in TRACKED_FIELDS}
        for k, v in fields.items():
            setattr(ing, k, v)
        ing.sources = {**(ing.sources or {}), "_edited": stamp}
        ing.hazard_score = recompute_hazard(ing)
        ing.save()
        if on_saved is not None:
            on_saved(ing, is_new, before, {f: getattr(ing, f) for f in TRACKED_FIELDS})
    reset_index()
    return {"created": created, "updated": updated}
