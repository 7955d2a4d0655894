"""``manage.py recalculate_formula [--guid …]``: re-run the engine after a mixing rule changed."""

from django.core.management.base import BaseCommand

from calculations.models import Calculation
from calculations.services.forecast import calculation_recalculate


class Command(BaseCommand):
    help = "Recompute and store the forecasts of every calculation (or of the given ones)."

    def add_arguments(self, parser):
        parser.add_argument("--guid", action="append", default=[], help="Only this calculation (repeatable).")

    def handle(self, *args, guid, **options):
        calculations = Calculation.objects.all()
        if guid:
            calculations = calculations.filter(guid__in=guid)
        count = 0
        for calculation in calculations.iterator():
            calculation_recalculate(calculation=calculation)
            count += 1
        self.stdout.write(f"recalculated {count}")
