import pytest
from django.core.management import call_command

from marketplace.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from marketplace.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_users_who_can_log_in_and_is_idempotent(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATINGS_DEMO_CREDIT_HISTORY = False  # tested in tests/ratings/test_demo.py
    call_command("seed_demo", "--no-progress")
    count = User.objects.count()
    call_command("seed_demo", "--no-progress")

    buyers = [username for username, _, _ in DEMO_USERS]
    assert User.objects.filter(username__in=buyers).count() == len(DEMO_USERS)
    assert User.objects.count() == count
    response = client.post("/accounts/login/", {"username": "lihua", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_ensure_admin_creates_one_superuser_and_prints_its_password_once(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert password not in second
    assert User.objects.filter(is_superuser=True).count() == 1
