"""Create the staff account ``make run`` logs into, once, and print its password that one time."""

import secrets
from typing import Any

from django.core.management.base import BaseCommand

from marketplace.accounts.models import User


class Command(BaseCommand):
    help = "Create a superuser with a random password if it does not exist yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.com")

    def handle(self, *args: Any, username: str, email: str, **options: Any) -> None:
        if User.objects.filter(username__iexact=username).exists():
            self.stdout.write(
                f"Admin account '{username}' exists; its password was printed when it was made. "
                f"Set a new one with: python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account — username: {username}  password: {password}\n"
                "This password is shown only now; write it down."
            )
        )
