"""Forms of the seller's rating pages: they only parse input; the rules live in the services."""

from django import forms
from django.core.exceptions import ValidationError

from ratings.models import Rating

VALUE_CHOICES = [
    (Rating.Value.GOOD, "Good (+1)"),
    (Rating.Value.NEUTRAL, "Neutral (0)"),
    (Rating.Value.BAD, "Bad (−1)"),
]


class RateBuyerForm(forms.Form):
    value = forms.TypedChoiceField(
        label="Your rating of the buyer",
        coerce=int,
        choices=VALUE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose good, neutral or bad."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=500,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "e.g. 付款及时，沟通愉快 — paid at once, easy to deal with",
            }
        ),
        help_text="Optional, at most 500 characters. Shown in public once published.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write your reply."},
        help_text="Public, once: it cannot be changed afterwards.",
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's field errors next to the form's fields (others above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
