"""The seller's payouts page, reached from the balance page: the micro-deposit check of the bank
account, the withdraw form, and the shop's payouts. The same services as the API do the work;
the forms only parse input.

A double-sent withdraw form pays out once: each rendering of the form carries a fresh key, which
the first request claims through the same idempotency records as the API's ``Idempotency-Key``.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow import selectors
from escrow.conf import escrow_setting
from escrow.exceptions import (
    BankAmountsWrong,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    InsufficientBalance,
)
from escrow.models import Payout
from escrow.services import idempotency
from escrow.services import payouts as services
from escrow.web.forms import add_service_errors
from escrow.web.views import PAGE_SIZE, shop_required
from marketplace.accounts.models import User
from marketplace.exceptions import ApplicationError
from marketplace.money import format_money
from shops.models import Shop

STATUS_LABELS: dict[str, str] = {
    Payout.Status.PENDING: "On its way",
    Payout.Status.SETTLED: "Paid to your bank",
    Payout.Status.FAILED: "Sent back",
}


def deposit_amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("0.99"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}),
    )


class BankCheckForm(forms.Form):
    """The two amounts on the bank statement; either order."""

    first_amount = deposit_amount("First amount")
    second_amount = deposit_amount("Second amount")


class PayoutForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


@dataclass(frozen=True)
class PayoutRow:
    payout: Payout

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.payout.status, self.payout.status)

    @property
    def failure(self) -> str:
        return self.payout.failure_reason.replace("_", " ")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(
    request: HttpRequest,
    shop: Shop,
    bank_form: BankCheckForm | None = None,
    payout_form: PayoutForm | None = None,
) -> HttpResponse:
    state = services.bank_check_state(shop=shop)
    check = state.check
    page = Paginator(selectors.payout_list_for_shop(shop=shop), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "shop": shop,
        "state": state,
        "balances": selectors.shop_balances(shop=shop),
        "statement_url": reverse(
            "seller_orders:sandbox_bank_statement", args=[check.provider_reference]
        )
        if check is not None and check.provider == "sandbox"
        else "",
        "bank_form": bank_form or BankCheckForm(),
        "payout_form": payout_form or PayoutForm(),
        "request_key": uuid.uuid4().hex,
        "min_payout": escrow_setting("MIN_PAYOUT"),
        "page": page,
        "rows": [PayoutRow(payout) for payout in page],
    }
    return render(request, "escrow/seller/payouts.html", context)


@shop_required
def payout_page(request: HttpRequest, shop: Shop) -> HttpResponse:
    return _page(request, shop)


@require_POST
@shop_required
def bank_check_start(request: HttpRequest, shop: Shop) -> HttpResponse:
    try:
        services.bank_check_start(shop=shop)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Two small amounts are on their way to your account. Type them in below when they "
            "show on your bank statement.",
        )
    return redirect("seller_orders:payouts")


@require_POST
@shop_required
def bank_check_confirm(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = BankCheckForm(request.POST)
    if not form.is_valid():
        return _page(request, shop, bank_form=form)
    try:
        services.bank_check_confirm(shop=shop, **form.cleaned_data)
    except BankAmountsWrong as error:
        form.add_error(None, error.message)
        return _page(request, shop, bank_form=form)
    except ApplicationError as error:  # locked, or the check must start again
        messages.error(request, error.message)
        return redirect("seller_orders:payouts")
    messages.success(request, "Your bank account is confirmed: payouts can go to it.")
    return redirect("seller_orders:payouts")


@require_POST
@shop_required
def payout_create(request: HttpRequest, shop: Shop) -> HttpResponse:
    form = PayoutForm(request.POST)
    if not form.is_valid():
        return _page(request, shop, payout_form=form)
    amount = form.cleaned_data["amount"]
    try:
        claimed = idempotency.idempotency_begin(
            user=_user(request),
            key=request.POST.get("request_key", "")[:64] or uuid.uuid4().hex,
            fingerprint=idempotency.request_fingerprint(
                method="POST", path=request.path, body={"amount": str(amount)}
            ),
        )
    except (IdempotencyKeyReused, IdempotencyInProgress):
        messages.info(request, "This form was sent already. Reload the page to withdraw again.")
        return redirect("seller_orders:payouts")
    if isinstance(claimed, idempotency.StoredResponse):
        messages.info(request, "This payout was requested already.")
        return redirect("seller_orders:payouts")
    try:
        payout = services.payout_request(shop=shop, actor=_user(request), amount=amount)
    except Exception as error:
        claimed.delete()  # nothing happened: the same form may be sent again
        if isinstance(error, ValidationError):
            add_service_errors(form, error)
        elif isinstance(error, InsufficientBalance):
            form.add_error("amount", error.message)
        elif isinstance(error, ApplicationError):
            messages.error(request, error.message)
            return redirect("seller_orders:payouts")
        else:
            raise
        return _page(request, shop, payout_form=form)
    idempotency.idempotency_finish(
        record=claimed, status=201, body={"payout": str(payout.public_id)}
    )
    messages.success(
        request,
        f"{format_money(amount)} is on its way to {payout.bank_account_masked}.",
    )
    return redirect("seller_orders:payouts")
