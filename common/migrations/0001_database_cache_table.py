"""Create the database cache's table, so that ``migrate`` alone gives a working server.

The login and access-code throttles count in ``CACHES["default"]`` (a ``DatabaseCache``); a
deploy that runs ``migrate`` and not ``createcachetable`` used to answer 500 on every login.
This migration runs Django's own ``createcachetable`` for every database cache configured
when it is applied (so the table has exactly Django's layout); reversing it drops them.
A cache alias or table added later still needs ``manage.py createcachetable`` (README).
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def _database_cache_tables() -> list[str]:
    return [
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
    ]


def create_cache_tables(apps, schema_editor):
    for table in _database_cache_tables():
        call_command("createcachetable", table, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    for table in _database_cache_tables():
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
