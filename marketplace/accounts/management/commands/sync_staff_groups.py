"""Make the ``moderators`` and ``finance`` staff groups match ``marketplace.accounts.staff``."""

from typing import Any

from django.core.management.base import BaseCommand

from marketplace.accounts.staff import staff_groups_sync


class Command(BaseCommand):
    help = "Create or update the staff groups and their admin permissions."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, count in staff_groups_sync().items():
            self.stdout.write(f"{name}: {count} permissions")
