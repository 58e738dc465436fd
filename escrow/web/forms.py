"""Forms of the seller's order pages: they only parse input; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError

from escrow.conf import escrow_setting


class ShipForm(forms.Form):
    """Carrier and tracking number; whether they are needed (not for virtual goods) is the
    service's rule, so both are optional here."""

    carrier = forms.CharField(
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. 顺丰速运, 中通快递, 中国邮政"}),
    )
    tracking_number = forms.CharField(label="Tracking number", max_length=60, required=False)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's field errors next to the form's fields (others above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class RefuseRefundForm(forms.Form):
    """The seller's reason for refusing a refund request; the buyer and, in a dispute, staff
    read it."""

    reason = forms.CharField(
        label="Why do you refuse?",
        max_length=500,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": "e.g. 照片显示商品已使用 — the photos show it was used",
            }
        ),
        error_messages={"required": "Tell the buyer why you refuse."},
        help_text="The buyer sees this. They may take the request to marketplace staff, who "
        "read it too.",
    )


def seller_extension_choices() -> list[tuple[int, str]]:
    return [(days, f"{days} more days") for days in escrow_setting("SELLER_EXTENSION_DAYS")]


class ExtendConfirmationForm(forms.Form):
    """How many more days the buyer gets before a shipped order completes by itself (the seller
    may extend once)."""

    days = forms.TypedChoiceField(
        label="Give the buyer", coerce=int, choices=seller_extension_choices
    )
