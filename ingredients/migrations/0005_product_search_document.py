"""Product.search_document: the weighted full-text document, kept by a PostgreSQL trigger and GIN-indexed.

The weights and the text configuration are those the search used to compute per row (SearchVector without a config,
so the server's default_text_search_config, as SearchQuery uses). Other databases keep a NULL column.
"""

import django.contrib.postgres.search
from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ingredients_product_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector(COALESCE(NEW.brand, '')), 'A') ||
        setweight(to_tsvector(COALESCE(NEW.name, '')), 'A') ||
        setweight(to_tsvector(COALESCE(NEW.category, '')), 'B') ||
        setweight(to_tsvector(COALESCE(NEW.ingredients_text, '')), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER ingredients_product_search_document
BEFORE INSERT OR UPDATE ON ingredients_product
FOR EACH ROW EXECUTE FUNCTION ingredients_product_search_document();
"""
BACKFILL = "UPDATE ingredients_product SET search_document = NULL;"  # the trigger computes each row's document
INDEX = "CREATE INDEX ingredients_product_search_document_gin ON ingredients_product USING gin (search_document);"
DROP = """
DROP INDEX IF EXISTS ingredients_product_search_document_gin;
DROP TRIGGER IF EXISTS ingredients_product_search_document ON ingredients_product;
DROP FUNCTION IF EXISTS ingredients_product_search_document();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (FUNCTION, TRIGGER, BACKFILL, INDEX):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("ingredients", "0004_active_class_from_domain"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
