"""Accounts in the browser's server-rendered pages (form posts through Django's test client)."""

import re

import pytest
from django.core import mail
from django.test import Client

from marketplace.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client: Client, **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "username": "meili",
        "email": "meili@example.com",
        "password1": "tea-hills-2024",
        "password2": "tea-hills-2024",
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_signup_form_creates_the_account_and_logs_in(client: Client) -> None:
    response = signup(client)

    assert response.status_code == 302
    assert User.objects.filter(username="meili").exists()
    home = client.get("/")
    assert b"logged in as <strong>meili</strong>" in home.content


def test_signup_form_shows_a_taken_username_next_to_the_field(client: Client) -> None:
    UserFactory(username="MeiLi")

    response = signup(client)

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["This username is taken."]
    assert b'id="id_username_errors"' in response.content
    assert User.objects.count() == 1


def test_signup_form_shows_weak_password_and_mismatch(client: Client) -> None:
    weak = signup(client, password1="123", password2="123")
    mismatch = signup(client, password2="something-else-1")

    assert any("too short" in error for error in weak.context["form"].errors["password1"])
    assert mismatch.context["form"].errors["password2"] == ["The two passwords differ."]
    assert not User.objects.exists()


def test_login_and_logout(client: Client) -> None:
    UserFactory(username="laoli")

    login = client.post("/accounts/login/", {"username": "LaoLi", "password": PASSWORD})
    assert login.status_code == 302
    assert b"laoli" in client.get("/").content

    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302
    assert b"Log in" in client.get("/").content
    assert "_auth_user_id" not in client.session


def test_login_with_a_wrong_password_shows_an_error(client: Client) -> None:
    UserFactory(username="laoli")

    response = client.post("/accounts/login/", {"username": "laoli", "password": "nope"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_password_change_page_requires_login_and_changes_it(client: Client) -> None:
    user = UserFactory()
    assert client.get("/accounts/password/change/").status_code == 302

    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "river-valley-33",
            "new_password2": "river-valley-33",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("river-valley-33")


def test_password_reset_pages_email_a_working_link(client: Client) -> None:
    UserFactory(username="forgot", email="forgot@example.com")

    client.post("/accounts/password/reset/", {"email": "forgot@example.com"})
    link = re.search(r"http://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "mountain-path-8", "new_password2": "mountain-path-8"},
    )

    assert response.status_code == 302
    assert User.objects.get(username="forgot").check_password("mountain-path-8")
