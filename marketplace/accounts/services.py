"""Writes of accounts: sign-up, credentials, API tokens, password reset.

The browser pages and the API both call these, so the rules (case-insensitive uniqueness, Django's
password validators, token rotation on password change) hold whichever way a person comes in.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from rest_framework.authtoken.models import Token

from marketplace.accounts.exceptions import InvalidCredentials
from marketplace.accounts.models import User
from marketplace.accounts.selectors import user_list_by_email

PASSWORD_RESET_SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"  # noqa: S105
PASSWORD_RESET_EMAIL_TEMPLATE = "accounts/password_reset_email.txt"  # noqa: S105


def _normalise(*, username: str, email: str) -> tuple[str, str]:
    return username.strip(), User.objects.normalize_email(email.strip())


def user_validate_new(*, username: str, email: str, password: str) -> None:
    """Raise ``ValidationError`` with field errors for a sign-up that cannot succeed."""
    username, email = _normalise(username=username, email=email)
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append("This username is taken.")
    if email and user_list_by_email(email=email).exists():
        errors.setdefault("email", []).append("An account with this e-mail address exists.")
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> User:
    """Register a buyer. Every rule is checked before anything is written."""
    user_validate_new(username=username, email=email, password=password)
    username, email = _normalise(username=username, email=email)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError as error:  # a concurrent sign-up took the name a moment ago
        raise ValidationError({"username": ["This username is taken."]}) from error
    return user


def user_authenticate(*, username: str, password: str) -> User:
    user = authenticate(username=username.strip(), password=password)
    if not isinstance(user, User):
        raise InvalidCredentials("The username or password is wrong.")
    return user


def token_issue(*, user: User) -> Token:
    token, _ = Token.objects.get_or_create(user=user)
    return token


def token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> Token:
    """Change the password and rotate the API token, so a leaked token stops working."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is wrong."]})
    user_set_password(user=user, password=new_password)
    token_revoke(user=user)
    return token_issue(user=user)


def user_set_password(*, user: User, password: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])


def password_reset_request(*, email: str) -> None:
    """E-mail a reset link to each active account with this address. Says nothing either way,
    so the form cannot be used to learn who has an account. The browser's reset page sends the
    same e-mail through the same form."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name=PASSWORD_RESET_SUBJECT_TEMPLATE,
            email_template_name=PASSWORD_RESET_EMAIL_TEMPLATE,
        )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as error:
        raise ValidationError({"token": ["This reset link is invalid or has expired."]}) from error
    if not default_token_generator.check_token(user, token):
        raise ValidationError({"token": ["This reset link is invalid or has expired."]})
    user_set_password(user=user, password=new_password)
    token_revoke(user=user)
    return user
