from django.core.management.base import BaseCommand

from routes.services import report_types_init


class Command(BaseCommand):
    help = "Add the original's report types (and the statistics types under STATISTICS) that are missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inactive", action="store_true", help="Create the new types inactive, as the original did."
        )

    def handle(self, *args, inactive: bool = False, **options):
        added = report_types_init(active=not inactive)
        self.stdout.write(f"init_report_types: {len(added)} added" + (f" ({', '.join(added)})" if added else ""))
