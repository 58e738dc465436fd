"""Token authentication of the API: DRF's, with the lookup of the token and its user in one plain
SQL statement.

Every authenticated API request runs it; compiling the ORM's ``select_related("user")`` query costs
several times more CPU than PostgreSQL takes to answer it, and planning the join more than running
it (so it is prepared). Same rules and messages as DRF's.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from marketplace.db import fetch_prepared


def _token_sql() -> tuple[str, list[str], list[str]]:
    """The statement, and the attribute names of the token's and the user's columns in it."""
    user_model = get_user_model()
    token_fields = list(Token._meta.concrete_fields)
    user_fields = list(user_model._meta.concrete_fields)
    columns = [f"t.{field.column}" for field in token_fields] + [
        f"u.{field.column}" for field in user_fields
    ]
    sql = (
        f"SELECT {', '.join(columns)} FROM {Token._meta.db_table} t"  # noqa: S608 (model names)
        f" JOIN {user_model._meta.db_table} u ON u.id = t.user_id WHERE t.key = %s"
    )
    return sql, [f.attname for f in token_fields], [f.attname for f in user_fields]


class TokenAuthentication(authentication.TokenAuthentication):
    _statement: tuple[str, list[str], list[str]] | None = None

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        if TokenAuthentication._statement is None:
            TokenAuthentication._statement = _token_sql()
        sql, token_fields, user_fields = TokenAuthentication._statement
        rows = fetch_prepared("accounts_token_with_user", sql, [key])
        row = rows[0] if rows else None
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = Token.from_db(connection.alias, token_fields, row[: len(token_fields)])
        user = get_user_model().from_db(connection.alias, user_fields, row[len(token_fields) :])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
