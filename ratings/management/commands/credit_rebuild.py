"""Recount every rating and rebuild every credit figure now (the nightly task does the same)."""

from typing import Any

from django.core.management.base import BaseCommand

from ratings.services.rebuild import credit_rebuild


class Command(BaseCommand):
    help = "Rebuild every credit figure from the ratings and move the 180-day window to today."

    def handle(self, *args: Any, **options: Any) -> None:
        result = credit_rebuild()
        self.stdout.write(
            f"Rebuilt in {result.seconds:.1f} s; {result.ratings_changed} ratings recounted."
        )
