"""Forms of the seller's order pages: they only parse input; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError


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
