from django.db import migrations


class Migration(migrations.Migration):
    """A terminal's shop exists and belongs to the terminal's company (replaces both plain FKs)."""

    dependencies = [("terminals", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=(
                "ALTER TABLE terminals_terminal ADD CONSTRAINT terminals_terminal_shop_same_company "
                "FOREIGN KEY (company_id, shop_id) REFERENCES terminals_shop (company_id, id)"
            ),
            reverse_sql="ALTER TABLE terminals_terminal DROP CONSTRAINT terminals_terminal_shop_same_company",
        ),
    ]
