"""Fill the marketplace with demo data so ``make run`` shows a lived-in site.

Each installed app may ship a ``demo`` module whose ``steps()`` returns ``(label, callable)`` pairs;
they run in the order of ``INSTALLED_APPS`` (so shops exist before their orders), each step in its
own transaction, except a step marked ``owns_transactions`` (it calls services that must own
theirs, such as payments). Every step checks what exists first, so running the command again adds
nothing.
"""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm


def demo_steps() -> list[tuple[str, Any]]:
    steps: list[tuple[str, Any]] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is not None:
            steps.extend(import_module(module_name).steps())
    return steps


class Command(BaseCommand):
    help = "Create demo users, shops, listings and trades (safe to run again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        steps = demo_steps()
        with tqdm(
            total=len(steps), desc="Demo data", unit="step", disable=options["no_progress"]
        ) as bar:
            for label, step in steps:
                bar.set_postfix_str(label[:40], refresh=False)
                if getattr(step, "owns_transactions", False):
                    step()
                else:
                    with transaction.atomic():
                        step()
                bar.update()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({len(steps)} steps)."))
