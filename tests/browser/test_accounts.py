"""A person signs up, logs out and logs in again in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_log_out_and_log_in_again(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("xiaoyu")
    page.get_by_label("Email").fill("xiaoyu@example.com")
    page.get_by_label("Password", exact=True).fill("mulberry-leaves-8")
    page.get_by_label("Password again").fill("mulberry-leaves-8")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("Welcome, xiaoyu! Your account is ready.")).to_be_visible()
    assert User.objects.filter(username="xiaoyu").exists()

    page.get_by_role("button", name="Log out").click()
    top_bar = page.get_by_role("navigation")
    expect(top_bar.get_by_role("link", name="Log in")).to_be_visible()

    top_bar.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("xiaoyu")
    page.get_by_label("Password").fill("mulberry-leaves-8")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("You are logged in as xiaoyu.")).to_be_visible()


def test_sign_up_with_a_taken_name_shows_the_error_beside_the_field(
    page: Page, live_server
) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="xiaoyu")

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("XiaoYu")
    page.get_by_label("Email").fill("another@example.com")
    page.get_by_label("Password", exact=True).fill("mulberry-leaves-8")
    page.get_by_label("Password again").fill("mulberry-leaves-8")
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("#id_username_errors")).to_have_text("This username is taken.")
    assert User.objects.count() == 1


def test_wrong_password_keeps_the_person_logged_out(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="laozhang")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("laozhang")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign up")).to_be_visible()
