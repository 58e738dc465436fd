"""Forms of the seller centre. They only parse input; the rules live in ``shops.services``."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from shops.models import Listing
from shops.selectors import category_choices, place_choices


class ShopForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="2 to 40 characters, shown to every buyer.")
    slug = forms.CharField(
        label="Shop address",
        max_length=50,
        required=False,
        help_text="Your storefront lives at /shops/<address>/. Lowercase letters, digits and "
        "hyphens; left empty, one is made from the name.",
    )
    place = forms.TypedChoiceField(
        label="Location",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Your county or village; buyers can search by it.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    contact_phone = forms.CharField(max_length=30, required=False)
    contact_wechat = forms.CharField(label="WeChat", max_length=60, required=False)
    logo = forms.FileField(required=False, help_text="JPEG or PNG, up to 5 MB.")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "— choose —"), *place_choices()]  # type: ignore[attr-defined]


class VerificationForm(forms.Form):
    legal_name = forms.CharField(label="Legal name", max_length=100, required=False)
    id_number = forms.CharField(label="ID card number", max_length=18, required=False)
    id_photo = forms.FileField(
        label="Photo of you holding your ID card",
        required=False,
        help_text="Only platform staff can see it.",
    )
    bank_name = forms.CharField(max_length=100, required=False)
    bank_account_name = forms.CharField(
        label="Account holder", max_length=100, required=False, help_text="Must be your own name."
    )
    bank_account_number = forms.CharField(max_length=40, required=False)


class ListingForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="Up to 60 characters.")
    category = forms.TypedChoiceField(coerce=int)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    shipping_method = forms.ChoiceField(choices=Listing.ShippingMethod.choices)
    shipping_fee = forms.DecimalField(min_value=0, decimal_places=2, initial=0)
    variants = forms.CharField(
        label="Variant attributes",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Colour: Red, Blue\nSize: M, L"}),
        required=False,
        help_text="One attribute per line, its values after a colon, separated by commas. "
        "Leave empty for a listing without variants.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "— choose —"), *category_choices()]  # type: ignore[attr-defined]


class CsvImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, one row per SKU.")


def add_service_errors(form: forms.Form, error: ValidationError, rename: dict[str, str]) -> None:
    """Show a service's field errors next to the form's fields (others above the form)."""
    for field, messages in error.message_dict.items():
        target = rename.get(field, field)
        form.add_error(target if target in form.fields else None, messages)
