"""Accounts through the REST API: sign-up, log-in, log-out, password change and reset."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from marketplace.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/api/auth/signup/"
LOGIN = "/api/auth/login/"
LOGOUT = "/api/auth/logout/"
ME = "/api/auth/me/"


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_signup_returns_a_token_that_identifies_the_new_user(api_client: APIClient) -> None:
    response = api_client.post(
        SIGNUP,
        {"username": "xiaomei", "email": "xiaomei@example.com", "password": "rice-fields-42"},
        format="json",
    )

    assert response.status_code == 201
    assert response.data["user"]["username"] == "xiaomei"
    me = token_client(response.data["token"]).get(ME)
    assert me.status_code == 200
    assert me.data["email"] == "xiaomei@example.com"
    assert me.data["id"] == str(User.objects.get(username="xiaomei").public_id)


def test_signup_with_a_taken_username_in_other_letter_case_is_a_field_error(
    api_client: APIClient,
) -> None:
    UserFactory(username="Xiaomei")

    response = api_client.post(
        SIGNUP,
        {"username": "xiaomei", "email": "other@example.com", "password": "rice-fields-42"},
        format="json",
    )

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["extra"]["fields"]["username"][0]["message"] == "This username is taken."
    assert User.objects.count() == 1


def test_signup_with_a_taken_email_is_a_field_error(api_client: APIClient) -> None:
    UserFactory(email="Shared@Example.com")

    response = api_client.post(
        SIGNUP,
        {"username": "newcomer", "email": "shared@example.com", "password": "rice-fields-42"},
        format="json",
    )

    assert response.status_code == 400
    assert "email" in response.data["extra"]["fields"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1", "too short"), ("12345678901", "entirely numeric"), ("password123", "too common")],
)
def test_signup_with_a_weak_password_says_why(
    api_client: APIClient, password: str, reason: str
) -> None:
    response = api_client.post(
        SIGNUP, {"username": "weakling", "email": "w@example.com", "password": password}
    )

    assert response.status_code == 400
    messages = [item["message"] for item in response.data["extra"]["fields"]["password"]]
    assert any(reason in message for message in messages)
    assert not User.objects.filter(username="weakling").exists()


def test_login_is_case_insensitive_and_returns_the_same_token(api_client: APIClient) -> None:
    UserFactory(username="Laowang")

    first = api_client.post(LOGIN, {"username": "laowang", "password": PASSWORD}, format="json")
    second = api_client.post(LOGIN, {"username": "LAOWANG", "password": PASSWORD}, format="json")

    assert first.status_code == 200
    assert first.data["token"] == second.data["token"]


@pytest.mark.parametrize("username", ["buyer-known", "nobody"])
def test_login_with_wrong_credentials_gives_one_message_for_both_cases(
    api_client: APIClient, username: str
) -> None:
    UserFactory(username="buyer-known")

    response = api_client.post(LOGIN, {"username": username, "password": "wrong-password"})

    assert response.status_code == 400
    assert response.data == {
        "code": "invalid_credentials",
        "message": "The username or password is wrong.",
        "extra": {},
    }


def test_inactive_user_cannot_log_in(api_client: APIClient) -> None:
    UserFactory(username="banned", is_active=False)

    response = api_client.post(LOGIN, {"username": "banned", "password": PASSWORD})

    assert response.status_code == 400
    assert response.data["code"] == "invalid_credentials"


def test_logout_revokes_the_token(api_client: APIClient) -> None:
    UserFactory(username="leaving")
    token = api_client.post(LOGIN, {"username": "leaving", "password": PASSWORD}).data["token"]
    client = token_client(token)

    assert client.post(LOGOUT).status_code == 204

    response = client.get(ME)
    assert response.status_code == 401
    assert response.data["code"] == "authentication_failed"


def test_me_without_credentials_is_401_in_the_error_shape(api_client: APIClient) -> None:
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"
    assert set(response.data) == {"code", "message", "extra"}


def test_password_change_rotates_the_token(api_client: APIClient) -> None:
    UserFactory(username="mover")
    old_token = api_client.post(LOGIN, {"username": "mover", "password": PASSWORD}).data["token"]

    response = token_client(old_token).post(
        "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": "new-tea-garden-7"},
        format="json",
    )

    assert response.status_code == 200
    assert token_client(old_token).get(ME).status_code == 401
    assert token_client(response.data["token"]).get(ME).status_code == 200
    login = api_client.post(LOGIN, {"username": "mover", "password": "new-tea-garden-7"})
    assert login.status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(user_client: APIClient) -> None:
    response = user_client.post(
        "/api/auth/password/change/",
        {"old_password": "not-it", "new_password": "new-tea-garden-7"},
        format="json",
    )

    assert response.status_code == 400
    assert "old_password" in response.data["extra"]["fields"]
    user = User.objects.get()
    assert user.check_password(PASSWORD)


def test_password_reset_by_email_link_sets_a_new_password(api_client: APIClient) -> None:
    UserFactory(username="forgetful", email="forgetful@example.com")

    response = api_client.post("/api/auth/password/reset/", {"email": "FORGETFUL@example.com"})

    assert response.status_code == 202
    assert len(mail.outbox) == 1
    uid, token = re.search(r"/password/reset/([^/]+)/([^/]+)/", mail.outbox[0].body).groups()  # type: ignore[union-attr]
    confirm = api_client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "bamboo-forest-9"},
    )
    assert confirm.status_code == 204
    assert (
        api_client.post(LOGIN, {"username": "forgetful", "password": "bamboo-forest-9"}).status_code
        == 200
    )
    reused = api_client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "another-forest-9"},
    )
    assert reused.status_code == 400
    assert "token" in reused.data["extra"]["fields"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    api_client: APIClient,
) -> None:
    response = api_client.post("/api/auth/password/reset/", {"email": "ghost@example.com"})

    assert response.status_code == 202
    assert mail.outbox == []


def test_login_attempts_are_throttled(api_client: APIClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})

    statuses = [
        api_client.post(LOGIN, {"username": "x", "password": "y"}).status_code for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]
    assert api_client.post(LOGIN, {"username": "x", "password": "y"}).data["code"] == "throttled"
