"""The routes model ``Unit`` is ``Pizzeria`` (the project's other ``Unit`` is a produced unit).

Its table stays ``routes_unit``: ``AlterModelTable`` first pins the name the table already
has, so ``RenameModel`` renames no table and no row moves. The one statement is a rename of
the column Django names after the model in ``ChatRole.units``'s table
(``routes_chatrole_units.unit_id`` → ``pizzeria_id``), a catalog change (keeping the old
name would need an explicit through model, which the admin's two-pane selector refuses).
The rest is names for the admin.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="unit", table="routes_unit"),
        migrations.RenameModel(old_name="Unit", new_name="Pizzeria"),
        migrations.AlterModelOptions(
            name="pizzeria",
            options={
                "ordering": ("id",),
                "verbose_name": "pizzeria (Dodo IS unit)",
                "verbose_name_plural": "pizzerias (Dodo IS units)",
            },
        ),
        migrations.AlterField(
            model_name="pizzeria",
            name="id",
            field=models.IntegerField(primary_key=True, serialize=False, verbose_name="Dodo IS unit id"),
        ),
        migrations.AlterField(
            model_name="pizzeria",
            name="uuid",
            field=models.UUIDField(unique=True, verbose_name="Dodo IS unit UUID"),
        ),
    ]
