"""``manage.py seed_demo``: the demo data set of every app (DECISIONS §6), once per database.

Issue 11: the demo data is never a backdoor and never undoes an operator's work. A database
whose ``demo_company`` exists is left alone (``--reset`` seeds again); a user that exists
keeps its password, groups and flags; production settings refuse the command.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_COMPANY_KEY, demo_actors_ensure, demo_data_present, demo_seeders

PRODUCTION_REFUSAL = (
    "seed_demo refuses to run with production settings (config.settings.production): the demo "
    "users have a public password. Create real users with `manage.py createsuperuser`."
)


class Command(BaseCommand):
    help = (
        "Seed demo_company, the users demo/viewer/admin and each app's demo data into a database "
        "that has none; refused with production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "seed again over an existing demo data set: restore the demo rows and re-create missing "
                "ones (users that exist keep their password, groups and flags)"
            ),
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(PRODUCTION_REFUSAL)
        if not options["reset"] and demo_data_present():
            self.stdout.write(
                f"demo data already seeded (company {DEMO_COMPANY_KEY} exists): nothing changed. "
                "Run `manage.py seed_demo --reset` to seed it again."
            )
            return
        # One transaction: a failed first seed leaves no half data set that would count as seeded.
        with transaction.atomic():
            self._seed()

    def _seed(self) -> None:
        actors = demo_actors_ensure(password=settings.DEMO_PASSWORD)
        # Each app seeds its own part, in INSTALLED_APPS order (DECISIONS §6: accounts first).
        for seeder in demo_seeders():
            summary = seeder.seed(actors=actors)
            self.stdout.write(f"{seeder.label}: {summary or 'done'}")
        self.stdout.write(self.style.SUCCESS("demo data ready: users demo, viewer, admin"))
