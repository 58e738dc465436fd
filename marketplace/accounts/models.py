"""People of the marketplace.

Every registered user is a buyer; a user who opens a shop is also a seller (the shop belongs to the
``shops`` app); staff are users in the ``moderators`` or ``finance`` groups. Usernames and e-mail
addresses are unique regardless of letter case, so nobody can register ``Alice`` beside ``alice``.
Users are addressed by ``public_id`` outside the database, never by primary key.
"""

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class CaseInsensitiveUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        """Log-in matches the username whatever its letter case, like the uniqueness rule."""
        return self.get(username__iexact=username)


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address")

    objects: ClassVar[CaseInsensitiveUserManager] = CaseInsensitiveUserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.username
