from django.db import migrations


class Migration(migrations.Migration):
    """A terminal's shop belongs to the terminal's company, enforced by the database."""

    dependencies = [("terminals", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=(
                "ALTER TABLE terminals_terminal ADD CONSTRAINT terminals_terminal_shop_same_company "
                "FOREIGN KEY (company_id, shop_id) REFERENCES terminals_shop (company_id, id) "
                "DEFERRABLE INITIALLY DEFERRED"
            ),
            reverse_sql="ALTER TABLE terminals_terminal DROP CONSTRAINT terminals_terminal_shop_same_company",
        ),
    ]
