"""The sandbox provider's hosted pages: the pay page, where a buyer "pays" with a test card, and
the bank statement, where a seller reads the micro-deposits sent to their account."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from escrow.exceptions import WebhookRejected
from escrow.models import SandboxCharge, SandboxTransfer
from escrow.providers.sandbox import TEST_CARDS, is_closed_account, sandbox_pay
from marketplace.money import from_minor_units
from shops.models import mask


def pay_page(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        charge = SandboxCharge.objects.get(reference=reference)
    except ObjectDoesNotExist:
        raise Http404("No such sandbox payment.") from None
    error = ""
    if request.method == "POST":
        try:
            charge = sandbox_pay(reference=reference, card_number=request.POST.get("card", ""))
        except WebhookRejected as rejected:
            error = rejected.message
    context = {
        "charge": charge,
        "amount": from_minor_units(charge.amount_minor),
        "cards": [
            (number, " ".join(number[i : i + 4] for i in range(0, 16, 4)), outcome)
            for number, outcome in TEST_CARDS.items()
        ],
        "error": error,
    }
    return render(request, "escrow/sandbox_pay.html", context)


STATEMENT_LABELS: dict[str, str] = {
    SandboxTransfer.Kind.MICRO_DEPOSIT: "Marketplace sandbox · account check",
    SandboxTransfer.Kind.PAYOUT: "Marketplace sandbox · payout",
}


def bank_statement(request: HttpRequest, reference: str) -> HttpResponse:
    """What the bank shows of the account a sandbox transfer went to: every deposit into it, as
    a real statement would. Payouts to a closed test account never arrive."""
    try:
        transfer = SandboxTransfer.objects.get(reference=reference)
    except ObjectDoesNotExist:
        raise Http404("No such sandbox transfer.") from None
    account_number = transfer.account_number
    closed = is_closed_account(account_number)
    transfers = SandboxTransfer.objects.filter(account_number=account_number).order_by(
        "-created_at", "-pk"
    )
    context = {
        "account": mask(account_number, keep_start=0, keep_end=4),
        "closed": closed,
        "lines": [
            (sent.created_at, STATEMENT_LABELS[sent.kind], from_minor_units(units))
            for sent in transfers
            if not (closed and sent.kind == SandboxTransfer.Kind.PAYOUT)
            for units in sent.amounts_minor
        ],
    }
    return render(request, "escrow/sandbox_statement.html", context)
