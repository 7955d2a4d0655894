from django.core.management.base import BaseCommand

from routes.services import account_roles_init


class Command(BaseCommand):
    help = "Add the Dodo IS account roles (Shift Manager, Office Manager) that are missing."

    def handle(self, *args, **options):
        added = account_roles_init()
        self.stdout.write(f"init_account_roles: {len(added)} added" + (f" ({', '.join(added)})" if added else ""))
