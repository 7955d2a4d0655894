"""``manage.py seed_demo``: the demo data set of every app (DECISIONS §6), idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import demo_actors_ensure


class Command(BaseCommand):
    help = "Create demo_company, the users demo/viewer/admin and each app's demo data (idempotent)."

    def handle(self, *args, **options):
        actors = demo_actors_ensure(password=settings.DEMO_PASSWORD)
        # Each app seeds its own part, in this order (DECISIONS §6).
        from accounts.demo import seed as seed_accounts
        from calculations.demo import seed as seed_calculations
        from passports.demo import seed as seed_passports
        from routes.demo import seed as seed_routes
        from terminals.demo import seed as seed_terminals

        for name, seed in (
            ("accounts", seed_accounts),
            ("routes", seed_routes),
            ("passports", seed_passports),
            ("calculations", seed_calculations),
            ("terminals", seed_terminals),
        ):
            summary = seed(actors=actors)
            self.stdout.write(f"{name}: {summary or 'done'}")
        self.stdout.write(self.style.SUCCESS("demo data ready: users demo, viewer, admin"))
