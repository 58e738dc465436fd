"""Compare the stored counting and credit figures with a full rebuild; exit 1 on a difference."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ratings.services.rebuild import credit_differences


class Command(BaseCommand):
    help = "Check that every stored credit figure equals a full rebuild from the ratings."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = credit_differences()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError("Credit figures differ from a rebuild.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Credit figures equal a full rebuild."))
