from decimal import Decimal

import pytest

from marketplace.money import format_money, from_minor_units, to_minor_units, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", Decimal("0.01")),
        ("0.004", Decimal("0.00")),
        ("-0.005", Decimal("-0.01")),
        (12, Decimal("12.00")),
        (Decimal("1.10"), Decimal("1.10")),
    ],
)
def test_to_money_rounds_half_up_to_two_places(value: object, expected: Decimal) -> None:
    assert to_money(value) == expected  # type: ignore[arg-type]
    assert to_money(value).as_tuple().exponent == -2  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0.1, True])
def test_to_money_refuses_floats_and_bools(value: object) -> None:
    with pytest.raises(TypeError):
        to_money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_to_money_refuses_text_that_is_not_an_amount(value: str) -> None:
    with pytest.raises(ValueError):
        to_money(value)


def test_minor_units_round_trip() -> None:
    assert to_minor_units(Decimal("123.45")) == 12345
    assert from_minor_units(12345) == Decimal("123.45")


def test_minor_units_refuse_amounts_finer_than_a_fen() -> None:
    with pytest.raises(ValueError):
        to_minor_units(Decimal("0.001"))


def test_money_is_formatted_with_the_currency_symbol() -> None:
    assert format_money(Decimal("1234.5")) == "¥1,234.50"
