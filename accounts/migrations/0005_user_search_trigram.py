"""PostgreSQL: a trigram index for the admin's user search (Django's icontains is UPPER(col::text) LIKE '%term%',
which a b-tree cannot serve). Every admin list that searches by the owner's email joins through this index, so a
search on a table of millions of analyses or notifications starts from the few matching users. Nothing happens on
other databases."""

from django.db import migrations

INDEX = "accounts_user_search_trgm"
COLUMNS = ("email", "first_name", "last_name", "phone")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("accounts", "User")._meta.db_table)
    expressions = ", ".join(f"(UPPER(({schema_editor.quote_name(c)})::text)) gin_trgm_ops" for c in COLUMNS)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ({expressions})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_admin_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
