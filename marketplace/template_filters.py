"""Template filters available in every template (registered as a builtin in settings)."""

from decimal import Decimal

from django import template

from marketplace.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    return "" if amount is None else format_money(amount)


@register.filter
def price_range(low: Decimal, high: Decimal) -> str:
    return money(low) if low == high else f"{money(low)} – {money(high)}"
