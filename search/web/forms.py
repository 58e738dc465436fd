"""The storefront search form (GET): the same filters as the API."""

from typing import Any

from django import forms

from search.selectors import SORT_CHOICES
from shops.models import Category, Listing, Shop

SORT_LABELS = {
    "relevance": "Best match",
    "sales": "Best selling",
    "credit": "Seller credit",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest",
}


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    category = forms.ModelChoiceField(
        Category.objects.all(), to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    price_min = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="From ¥"
    )
    price_max = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="to ¥"
    )
    province = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    min_grade = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Seller",
        choices=[("", "Any seller"), ("1", "♥ and up"), ("6", "◆ and up"), ("11", "Crowns")],
    )
    shipping = forms.ChoiceField(
        required=False, choices=[("", "Any shipping"), *Listing.ShippingMethod.choices]
    )
    in_stock = forms.BooleanField(required=False, label="In stock")
    sort = forms.ChoiceField(
        required=False, choices=[(key, SORT_LABELS[key]) for key in SORT_CHOICES]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", "Must not be below the lowest price.")
        return data


class ExplainForm(forms.Form):
    listing = forms.ModelChoiceField(Listing.objects.none(), to_field_name="public_id")
    words = forms.CharField(max_length=100, label="Buyer's search words")

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["listing"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = shop.listings.filter(status=Listing.Status.ACTIVE).order_by("title")
