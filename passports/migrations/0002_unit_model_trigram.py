"""Trigram GIN indexes for the passport name search, where the server ships pg_trgm.

The embedded PostgreSQL wheel has no contrib extensions, so this migration is a no-op there
(the partial index ``passports_unit_has_model_idx`` serves the search); on a full
PostgreSQL it creates the extension and the indexes. Not modelled in ``Meta.indexes``
because the models must not depend on an optional extension.
"""

from django.db import DatabaseError, migrations, transaction

INDEXES = (
    "CREATE INDEX IF NOT EXISTS passports_unit_model_trgm ON passports_unit USING gin (UPPER(model) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS passports_schema_name_trgm "
    "ON passports_productionschema USING gin (UPPER(unit_name) gin_trgm_ops)",
)


def _trigram_available(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if not _trigram_available(cursor):
            return
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:  # no privilege to create it: the partial index still serves the search
            return
    for sql in INDEXES:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS passports_unit_model_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS passports_schema_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("passports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
