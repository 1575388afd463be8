"""Open Beauty Facts importer: JSONL and CSV (tab-separated) exports, via the command."""

import json

import pytest
from django.core.management import call_command

from ingredients.models import Product

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "code": "3600000000001",
        "product_name": "Hydra Day Cream",
        "brands": "Examplebrand,Other",
        "categories_tags": ["en:beauty", "en:face-creams"],
        "ingredients_text": "Aqua, Glycerin, Cetearyl Alcohol, Parfum, Limonene",
        "quantity": "50 ml",
        "periods_after_opening": "12 months",
        "labels_tags": ["en:vegan"],
    },
    {
        "code": "3600000000002",
        "product_name": "Invisible Fluid SPF 50",
        "brands": "Examplebrand",
        "categories_tags": "en:sunscreens",
        "ingredients_text": "Aqua, Homosalate, Octocrylene, Butyl Methoxydibenzoylmethane",
        "quantity": "4 cl",
    },
    {"code": "1", "product_name": "Shampoo", "brands": "X", "categories_tags": "en:shampoos"},
    {"code": "2", "product_name": "", "brands": "X"},
]


def test_import_jsonl(kb, tmp_path, capsys):
    path = tmp_path / "obf.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n{broken\n", encoding="utf-8")
    call_command("import_obf", str(path))
    out = capsys.readouterr().out
    assert "created: 2" in out and "skipped: not a skin-care category: 1" in out
    cream = Product.objects.get(name="Hydra Day Cream")
    assert (cream.brand, cream.category, cream.size_ml, cream.pao_months, cream.is_vegan, cream.is_demo) == (
        "Examplebrand", "moisturizer", 50, 12, True, False,
    )  # fmt: skip
    assert [pi.ingredient.inci_name for pi in cream.product_ingredients.select_related("ingredient")][:2] == [
        "Aqua", "Glycerin",
    ]  # fmt: skip
    sun = Product.objects.get(name="Invisible Fluid SPF 50")
    assert (sun.category, sun.spf, sun.size_ml) == ("sunscreen", 50, 40)
    call_command("import_obf", str(path))  # idempotent: updates, no duplicates
    assert Product.objects.filter(source="openbeautyfacts").count() == 2


def test_import_csv_tab_separated(kb, tmp_path):
    cols = ["code", "product_name", "brands", "categories_tags", "ingredients_text", "quantity"]
    lines = ["\t".join(cols)]
    for r in ROWS[:2]:
        tags = r["categories_tags"] if isinstance(r["categories_tags"], str) else ",".join(r["categories_tags"])
        lines.append("\t".join([r["code"], r["product_name"], r["brands"], tags, r["ingredients_text"], r["quantity"]]))
    path = tmp_path / "obf.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import_obf", str(path), "--format", "csv")
    assert set(Product.objects.values_list("category", flat=True)) == {"moisturizer", "sunscreen"}
