"""Money in the marketplace currency: exact Decimals in one precision, one rounding rule.

Amounts are ``Decimal`` everywhere in the product (models, services, the API, where DRF sends them
as strings). Integer minor units (fen for CNY) exist only at the edge, inside a payment-provider
client. Floats are refused: a float cannot hold 0.10 exactly.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

ZERO = Decimal("0")


def decimal_places() -> int:
    return int(settings.MARKETPLACE_CURRENCY_DECIMAL_PLACES)


def quantum() -> Decimal:
    """The smallest amount of the currency: Decimal("0.01") for two decimal places."""
    return Decimal(1).scaleb(-decimal_places())


def to_money(value: Decimal | int | str) -> Decimal:
    """Round an amount to the currency's precision, half up (0.005 → 0.01).

    Raises ``TypeError`` for floats and ``ValueError`` for text that is not a finite number.
    """
    if isinstance(value, float | bool):
        raise TypeError("Money is never a float or a bool; pass a Decimal, an int or a string.")
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"Not an amount of money: {value!r}") from error
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    return amount.quantize(quantum(), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal) -> int:
    """Whole minor units (fen) of an amount already in the currency's precision."""
    rounded = to_money(amount)
    if rounded != amount:
        raise ValueError(f"{amount} has more than {decimal_places()} decimal places.")
    return int(rounded.scaleb(decimal_places()))


def from_minor_units(units: int) -> Decimal:
    if not isinstance(units, int) or isinstance(units, bool):
        raise TypeError("Minor units are a whole number.")
    return to_money(Decimal(units).scaleb(-decimal_places()))


def format_money(amount: Decimal) -> str:
    """``¥12.50`` style text for pages and e-mails."""
    symbol = {"CNY": "¥"}.get(settings.MARKETPLACE_CURRENCY, settings.MARKETPLACE_CURRENCY + " ")
    return f"{symbol}{to_money(amount):,}"
