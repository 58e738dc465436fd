"""Staff read orders, payments and the ledger in admin, and cannot edit them there."""

import pytest
from django.test import Client

from escrow.models import LedgerTransaction, Order
from tests.escrow.helpers import pay, place
from tests.factories import UserFactory, make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    ["order", "payment", "ledgertransaction", "ledgeraccount", "webhookevent", "sandboxcharge"],
)
def test_changelists_show_what_happened(staff_client: Client, model: str) -> None:
    pay(place(UserFactory(), make_listing()))

    response = staff_client.get(f"/admin/escrow/{model}/")

    assert response.status_code == 200
    assert staff_client.get(f"/admin/escrow/{model}/add/").status_code == 403


def test_an_order_page_shows_lines_timeline_and_ledger_but_cannot_be_saved(
    staff_client: Client,
) -> None:
    order = place(UserFactory(), make_listing(title="Bamboo basket"))
    pay(order)

    page = staff_client.get(f"/admin/escrow/order/{order.pk}/change/")
    attempt = staff_client.post(f"/admin/escrow/order/{order.pk}/change/", {"status": "closed"})

    content = page.content.decode()
    assert "Bamboo basket" in content and "paid" in content
    assert LedgerTransaction.objects.filter(order=order).count() == 1
    assert attempt.status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
