"""``{% load credit %}``: a shop's credit grade icons and its good rate, from the figures
``ratings`` wrote onto the shop."""

from decimal import Decimal
from typing import Any

from django import template

from shops import credit
from shops.models import Shop

register = template.Library()


@register.inclusion_tag("shops/_credit_badge.html")
def credit_badge(shop: Shop | None, size: str = "") -> dict[str, Any]:
    """``{% credit_badge shop %}``: hearts ♥ red, diamonds ◆ blue, crowns blue-purple, golden
    crowns gold (crowns are inline SVG: a crown emoji needs a colour-emoji font and cannot be
    coloured); a quiet "No grade yet" below 4 points. ``size="large"`` for page headers."""
    grade = credit.credit_grade(getattr(shop, "credit_level", 0) or 0)
    return {"grade": grade, "icons": range(grade.count), "size": size}


@register.filter
def rate_percent(rate: Decimal | None) -> str:
    return credit.rate_percent(rate)
