from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_OPERATOR, DEMO_PASSWORD, DEMO_USERS, seed_people

# Each app seeds its own demo rows in `<app>/demo.py: seed(workspace)`, in the order data depends on.
DEMO_APPS = [
    "metrics",
    "audits",
    "stakeholders",
    "calendar_app",
    "media_library",
    "competitors",
    "strategy",
    "reports",
    "notifications",
]


class Command(BaseCommand):
    help = "Create the demo workspace 'Demo Brand' with one user per role (password 'demo'). Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            workspace = seed_people()
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(workspace)
                    self.stdout.write(f"  demo data for {app}: ok")
            # Profiles added after the metrics seed (competitors') get their history too.
            from metrics.demo import pull_unpulled_profiles

            pull_unpulled_profiles(workspace)
        self.stdout.write(
            self.style.SUCCESS(f"Demo workspace '{workspace}' ready. Logins (password '{DEMO_PASSWORD}'):")
        )
        for email, _, role in DEMO_USERS:
            self.stdout.write(f"  {email:<24} {role.label}")
        self.stdout.write(f"  {DEMO_OPERATOR[0]:<24} operator: the Django admin (/admin/) only, no workspace")
