"""Management commands: load_ingredients (idempotent), CSV export/import, load_demo_catalog."""

import pytest
from django.core.management import CommandError, call_command

from ingredients.models import Ingredient, Product

pytestmark = pytest.mark.django_db


def test_load_ingredients_is_idempotent(kb, capsys):
    call_command("load_ingredients")
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out


def test_csv_export_then_import(kb, tmp_path, capsys):
    path = tmp_path / "kb.csv"
    call_command("export_ingredients_csv", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("inci_name,") and "Niacinamide" in text
    call_command("import_ingredients_csv", str(path))
    assert f"0 created, {Ingredient.objects.count()} updated" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_ingredients_csv", str(tmp_path / "missing.csv"))


def test_load_demo_catalog_command(kb, capsys):
    call_command("load_demo_catalog")
    assert "154 created" in capsys.readouterr().out
    assert Product.objects.filter(is_demo=True, source="demo").count() == 154
