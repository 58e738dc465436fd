"""Moderators decide disputes in admin with a reason; the money follows through the services."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from escrow.models import Dispute, Order
from escrow.selectors import shop_balances
from escrow.services.refunds import refund_escalate, refund_refuse, refund_request
from marketplace.accounts.models import User
from tests.escrow.helpers import assert_ledger_sound
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NothingChanges = Callable[..., AbstractContextManager[None]]


def staff_in(group: str) -> User:
    call_command("sync_staff_groups", stdout=StringIO())
    user: User = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def dispute(order_in: Callable[..., Order]) -> Dispute:
    order = order_in(Order.Status.SHIPPED)
    refund = refund_request(
        order=order,
        buyer=order.buyer,
        reason="not_as_described",
        amount=Decimal("30.00"),
        with_return=False,
        description="茶叶罐压扁了",
    )
    refund_refuse(refund=refund, actor=order.shop.owner, reason="Sent as pictured.")
    return refund_escalate(refund=refund, actor=order.buyer, statement="See the photos.")


def test_a_moderator_sees_the_case_and_decides_a_partial_refund(
    client: Client, dispute: Dispute
) -> None:
    moderator = staff_in("moderators")
    client.force_login(moderator)
    waiting = client.get("/admin/escrow/dispute/?decided=no")
    page = client.get(f"/admin/escrow/dispute/{dispute.pk}/decide/")

    response = client.post(
        f"/admin/escrow/dispute/{dispute.pk}/decide/",
        {"decision": "partial_refund", "amount": "10.00", "reason": "Dented tin, tea fine."},
    )

    assert "Decide" in waiting.content.decode()
    content = page.content.decode()
    assert "茶叶罐压扁了" in content and "Sent as pictured." in content
    assert "Dispute opened" in content  # the timeline is the evidence
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.decision, dispute.decided_by) == ("partial_refund", moderator)
    order = dispute.refund.order
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED
    assert shop_balances(shop=order.shop)["available"] == Decimal("46.00")
    assert_ledger_sound()


def test_a_decision_without_a_reason_or_with_a_bad_amount_changes_nothing(
    client: Client, dispute: Dispute, nothing_changes: NothingChanges
) -> None:
    client.force_login(staff_in("moderators"))

    with nothing_changes():
        no_reason = client.post(
            f"/admin/escrow/dispute/{dispute.pk}/decide/", {"decision": "release", "reason": ""}
        )
        too_much = client.post(
            f"/admin/escrow/dispute/{dispute.pk}/decide/",
            {"decision": "partial_refund", "amount": "56.00", "reason": "Half."},
        )

    assert no_reason.status_code == too_much.status_code == 200
    assert "This field is required." in no_reason.content.decode()
    assert "A partial refund is more than 0 and less than 56.00." in too_much.content.decode()


def test_finance_staff_cannot_decide_disputes(client: Client, dispute: Dispute) -> None:
    client.force_login(staff_in("finance"))

    response = client.post(
        f"/admin/escrow/dispute/{dispute.pk}/decide/",
        {"decision": "full_refund", "reason": "Because."},
    )

    assert response.status_code == 403
    dispute.refresh_from_db()
    assert not dispute.is_decided
