"""Verify every ledger invariant; exit non-zero when one is broken."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from escrow.ledger_check import ledger_problems
from escrow.models import LedgerEntry, LedgerTransaction


class Command(BaseCommand):
    help = "Check that the ledger balances and matches the orders (exit 1 on any violation)."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The ledger is broken: {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ledger sound: {LedgerTransaction.objects.count()} transactions, "
                f"{LedgerEntry.objects.count()} entries."
            )
        )
