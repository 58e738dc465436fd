"""The sandbox provider's hosted pay page: where a buyer "pays" with a test card."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from escrow.exceptions import WebhookRejected
from escrow.models import SandboxCharge
from escrow.providers.sandbox import TEST_CARDS, sandbox_pay
from marketplace.money import from_minor_units


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
