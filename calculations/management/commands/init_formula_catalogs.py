"""``manage.py init_formula_catalogs``: the reference catalog of calculations.md §9 (idempotent)."""

from django.core.management.base import BaseCommand

from calculations.services.access import formula_roles_ensure
from calculations.services.catalogs import formula_catalogs_ensure


class Command(BaseCommand):
    help = "Create or refresh the formula reference catalog and roles (safe to run again)."

    def handle(self, *args, **options):
        formula_roles_ensure()
        counts = formula_catalogs_ensure()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
