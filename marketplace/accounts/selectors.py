"""Reads of users."""

from django.db.models import QuerySet

from marketplace.accounts.models import User


def user_list_by_email(*, email: str) -> QuerySet[User]:
    return User.objects.filter(email__iexact=email.strip(), is_active=True)
