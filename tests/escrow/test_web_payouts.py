"""The seller's payouts page, the sandbox's bank statement, and the finance staff's admin pages,
through Django's test client."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from escrow.conf import escrow_setting
from escrow.exceptions import BankAmountsWrong, BankCheckLocked
from escrow.models import BankAccountCheck, Order, Payout
from escrow.services.payouts import bank_check_confirm, bank_check_start, payout_request
from shops.models import Shop, ShopEvent
from tests.escrow.helpers import deliver
from tests.escrow.test_payouts import (
    CLOSED_ACCOUNT,
    balances,
    kyc,
    outcome,
    shop_with_money,
    statement,
    wrong_amounts,
)
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

OrderIn = Callable[..., Order]
PAGE = "/seller/payouts/"
START = "/seller/payouts/bank-check/"
CONFIRM = "/seller/payouts/bank-check/confirm/"
WITHDRAW = "/seller/payouts/withdraw/"


def seller(client: Client, shop: Shop) -> Client:
    client.force_login(shop.owner)
    return client


def lock(shop: Shop) -> None:
    """Start the check and get it wrong until it locks."""
    bank_check_start(shop=shop)
    first, second = wrong_amounts(shop)
    for _ in range(escrow_setting("BANK_CHECK_MAX_ATTEMPTS")):
        with pytest.raises((BankAmountsWrong, BankCheckLocked)):
            bank_check_confirm(shop=shop, first_amount=first, second_amount=second)


# --- Access -----------------------------------------------------------------------------------


def test_the_page_needs_a_login_and_a_shop(client: Client) -> None:
    anonymous = client.get(PAGE)
    client.force_login(UserFactory())
    shopless = client.get(PAGE)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert (shopless.status_code, shopless["Location"]) == (302, "/seller/open/")


def test_the_balance_page_leads_to_payouts(client: Client) -> None:
    response = seller(client, ShopFactory()).get("/seller/balance/")

    assert f'href="{PAGE}"' in response.content.decode()


def test_posting_without_a_csrf_token_is_refused(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop.owner)

    response = client.post(WITHDRAW, {"amount": "10.00", "request_key": "k"})

    assert response.status_code == 403
    assert not Payout.objects.exists()


# --- The bank check ---------------------------------------------------------------------------


def test_without_a_bank_account_the_page_points_to_verification(client: Client) -> None:
    response = seller(client, ShopFactory()).get(PAGE)

    page = response.content.decode()
    assert response.context["state"].status == "not_started"
    assert 'href="/seller/verification/"' in page
    assert 'id="withdraw-closed"' in page


def test_the_seller_starts_the_check_reads_the_statement_and_confirms(client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    seller(client, shop)

    offer = client.get(PAGE).content.decode()
    started = client.post(START, follow=True)
    check = BankAccountCheck.objects.get(shop=shop)
    statement_url = f"/seller/sandbox/bank/{check.provider_reference}/"
    bank = client.get(statement_url)
    first, second = statement(shop)
    confirmed = client.post(
        CONFIRM, {"first_amount": str(second), "second_amount": str(first)}, follow=True
    )

    assert "Send the two amounts" in offer
    assert "************1234" in offer
    assert started.redirect_chain == [(PAGE, 302)]
    assert statement_url in started.content.decode()
    assert "3 tries left" in started.content.decode()
    assert bank.status_code == 200
    assert [amount for _, _, amount in bank.context["lines"]] == [first, second]
    assert f"+¥{first}" in bank.content.decode()
    assert confirmed.redirect_chain == [(PAGE, 302)]
    assert "is confirmed" in confirmed.content.decode()
    assert BankAccountCheck.objects.get(shop=shop).status == "confirmed"


def test_wrong_amounts_show_on_the_form_with_the_tries_left(client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)
    first, second = wrong_amounts(shop)

    response = seller(client, shop).post(
        CONFIRM, {"first_amount": str(first), "second_amount": str(second)}
    )

    assert response.status_code == 200
    assert response.context["bank_form"].non_field_errors() == [
        "These are not the two amounts sent to your account. 2 tries left."
    ]
    assert "2 tries left" in response.content.decode()


def test_a_malformed_amount_is_shown_next_to_its_field_and_uses_no_try(client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    bank_check_start(shop=shop)

    response = seller(client, shop).post(CONFIRM, {"first_amount": "1.50", "second_amount": "0.2"})

    assert response.status_code == 200
    assert 'id="id_first_amount_errors"' in response.content.decode()
    assert BankAccountCheck.objects.get(shop=shop).failed_attempts == 0


def test_a_locked_check_tells_the_seller_to_contact_staff(client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    lock(shop)
    seller(client, shop)

    page = client.get(PAGE).content.decode()
    again = client.post(START, follow=True).content.decode()

    assert "Contact marketplace staff to unlock it" in page
    assert "Send the two amounts" not in page
    assert "locked" in again


# --- Withdrawing ------------------------------------------------------------------------------


def test_the_seller_withdraws_and_sees_the_payout_listed(client: Client, order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    seller(client, shop)

    form = client.get(PAGE)
    key = form.context["request_key"]
    sent = client.post(WITHDRAW, {"amount": "50.00", "request_key": key}, follow=True)
    deliver(outcome(Payout.objects.get()))
    after = client.get(PAGE).content.decode()

    assert "Withdraw" in form.content.decode()
    assert sent.redirect_chain == [(PAGE, 302)]
    assert "¥50.00 is on its way to ************1234." in sent.content.decode()
    assert "On its way" in sent.content.decode()
    assert "Paid to your bank" in after
    assert balances(shop) == (Decimal("6.00"), Decimal("0.00"))


def test_sending_the_withdraw_form_twice_pays_out_once(client: Client, order_in: OrderIn) -> None:
    shop = shop_with_money(order_in)
    seller(client, shop)
    key = client.get(PAGE).context["request_key"]

    client.post(WITHDRAW, {"amount": "20.00", "request_key": key})
    again = client.post(WITHDRAW, {"amount": "20.00", "request_key": key}, follow=True)

    assert "already" in again.content.decode()
    assert Payout.objects.count() == 1
    assert balances(shop) == (Decimal("36.00"), Decimal("20.00"))


def test_too_much_is_shown_next_to_the_amount_and_the_form_can_be_sent_again(
    client: Client, order_in: OrderIn
) -> None:
    shop = shop_with_money(order_in)
    seller(client, shop)
    key = client.get(PAGE).context["request_key"]

    too_much = client.post(WITHDRAW, {"amount": "99.00", "request_key": key})
    corrected = client.post(WITHDRAW, {"amount": "9.00", "request_key": key})

    assert too_much.status_code == 200
    assert too_much.context["payout_form"].errors == {
        "amount": ["You have ¥56.00 available to pay out."]
    }
    assert 'id="id_amount_errors"' in too_much.content.decode()
    assert corrected.status_code == 302
    assert list(Payout.objects.values_list("amount", flat=True)) == [Decimal("9.00")]


def test_without_a_confirmed_account_there_is_no_withdraw_form(
    client: Client, order_in: OrderIn
) -> None:
    shop = order_in(Order.Status.COMPLETED).shop
    kyc(shop)
    seller(client, shop)

    page = client.get(PAGE).content.decode()
    forced = client.post(WITHDRAW, {"amount": "10.00", "request_key": "k"}, follow=True)

    assert 'id="withdraw-closed"' in page
    assert "Confirm your bank account" in forced.content.decode()
    assert not Payout.objects.exists()


def test_a_failed_payout_says_why_and_that_the_money_is_back(
    client: Client, order_in: OrderIn
) -> None:
    shop = shop_with_money(order_in, account=CLOSED_ACCOUNT)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))
    deliver(outcome(payout))

    page = seller(client, shop).get(PAGE).content.decode()

    assert "Sent back" in page
    assert "account closed — the money is available again" in page


def test_another_shops_payouts_are_not_listed(client: Client, order_in: OrderIn) -> None:
    other = shop_with_money(order_in)
    payout_request(shop=other, actor=other.owner, amount=Decimal("10.00"))

    response = seller(client, shop_with_money(order_in)).get(PAGE)

    assert response.context["rows"] == []


# --- The sandbox's bank statement -------------------------------------------------------------


def test_the_statement_of_a_closed_account_shows_no_payouts(order_in: OrderIn) -> None:
    shop = shop_with_money(order_in, account=CLOSED_ACCOUNT)
    payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))
    check = BankAccountCheck.objects.get(shop=shop)

    response = Client().get(f"/seller/sandbox/bank/{check.provider_reference}/")

    assert 'id="account-closed"' in response.content.decode()
    assert len(response.context["lines"]) == 2


def test_an_unknown_statement_is_404(client: Client) -> None:
    assert client.get("/seller/sandbox/bank/sbx_md_nothing/").status_code == 404


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/escrow/payout/",
        "/admin/escrow/payout/?status__exact=pending&q=Village",
        "/admin/escrow/bankaccountcheck/",
        "/admin/escrow/bankaccountcheck/?status__exact=locked",
    ],
)
def test_finance_staff_list_payouts_and_bank_checks(
    staff_client: Client, order_in: OrderIn, url: str
) -> None:
    shop = shop_with_money(order_in)
    payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))

    response = staff_client.get(url)

    assert response.status_code == 200


def test_payouts_cannot_be_added_or_changed_in_admin(
    staff_client: Client, order_in: OrderIn
) -> None:
    shop = shop_with_money(order_in)
    payout = payout_request(shop=shop, actor=shop.owner, amount=Decimal("10.00"))

    add = staff_client.get("/admin/escrow/payout/add/")
    change = staff_client.post(f"/admin/escrow/payout/{payout.pk}/change/", {"status": "settled"})

    assert (add.status_code, change.status_code) == (403, 403)
    payout.refresh_from_db()
    assert payout.status == "pending"


def test_the_amounts_sent_are_not_shown_to_staff(staff_client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    check = bank_check_start(shop=shop)

    page = staff_client.get(f"/admin/escrow/bankaccountcheck/{check.pk}/change/").content.decode()

    assert "************1234" in page
    assert "amount" not in page.lower().replace("failed_attempts", "")


def test_staff_unlock_a_locked_check_with_a_reason(staff_client: Client) -> None:
    shop = ShopFactory()
    kyc(shop)
    lock(shop)
    check = BankAccountCheck.objects.get(shop=shop)
    action = {"action": "unlock_bank_checks", "_selected_action": [check.pk]}

    asked = staff_client.post("/admin/escrow/bankaccountcheck/", action)
    done = staff_client.post(
        "/admin/escrow/bankaccountcheck/",
        {**action, "confirm": "yes", "reason": "Called the seller back."},
    )

    assert asked.status_code == 200
    assert "reason" in asked.content.decode()
    assert done.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.failed_attempts) == ("pending", 0)
    event = ShopEvent.objects.get(shop=shop, type="bank_check_unlocked")
    assert event.data == {"reason": "Called the seller back."}
    assert event.actor is not None and event.actor.is_staff
