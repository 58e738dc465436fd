"""Rebuild every search document from the listings, with a progress bar."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from search.services.indexing import search_reindex


class Command(BaseCommand):
    help = (
        "Rebuild the search documents of every listing (removing those that must not be found), "
        "then every ranking signal and the title vocabulary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="listings per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(unit=" listings", disable=options["verbosity"] == 0) as bar:
            result = search_reindex(batch=options["batch"], progress=bar)
        self.stdout.write(
            f"Indexed {result.indexed} listings, removed {result.removed} documents "
            f"in {result.seconds:.1f} s."
        )
