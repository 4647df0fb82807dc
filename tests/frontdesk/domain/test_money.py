from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.checkout import LineDraft, PaymentMethod, sale_totals, tender
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import Money, format_money, parse_money, percent_label, tax_included

amounts = st.integers(min_value=0, max_value=10**9)
rates = st.sampled_from([0, 500, 600, 1000, 2000, 2250])


def test_formats_per_locale() -> None:
    assert format_money(8500, "GBP", "en_GB") == "£85.00"
    assert format_money(123456, "RUB", "ru_RU").replace("\xa0", " ") == "1 234,56 ₽"
    assert format_money(8800, "CNY", "zh_CN") == "¥88.00"
    assert format_money(500, "JPY", "ja_JP") == "￥500"


@pytest.mark.parametrize(
    ("text", "locale", "minor"),
    [
        ("85", "en_GB", 8500),
        ("£85.50", "en_GB", 8550),
        ("1,234.5", "en_GB", 123450),
        ("1 234,5", "ru_RU", 123450),
        ("0", "en_GB", 0),
    ],
)
def test_parses_what_people_type(text: str, locale: str, minor: int) -> None:
    currency = "RUB" if locale == "ru_RU" else "GBP"
    assert parse_money(text, currency, locale) == Money(minor, currency)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "--5", "12.3.4"])
def test_rejects_non_amounts(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_money(text, "GBP", "en_GB")


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(8.5, "GBP")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot mix"):
        Money(1, "GBP") + Money(1, "EUR")


@given(amounts, rates)
def test_tax_share_is_the_rounded_exact_share(gross: int, rate: int) -> None:
    tax = tax_included(gross, rate)
    exact = Decimal(gross) * rate / (10_000 + rate)
    assert abs(Decimal(tax) - exact) <= Decimal("0.5")
    assert 0 <= tax <= gross


@given(st.lists(st.tuples(amounts, st.integers(1, 20), rates), min_size=1, max_size=12))
def test_sale_totals_add_up(rows: list[tuple[int, int, int]]) -> None:
    lines = [LineDraft("x", qty, price, rate) for price, qty, rate in rows]
    totals = sale_totals(lines)
    assert totals.total_minor == sum(price * qty for price, qty, _ in rows)
    assert totals.tax_minor == sum(t for _, t in totals.tax_by_rate)
    assert totals.net_minor + totals.tax_minor == totals.total_minor
    assert 0 <= totals.tax_minor <= totals.total_minor


@given(amounts, st.integers(min_value=0, max_value=10**9))
def test_cash_change_is_exact(due: int, given_minor: int) -> None:
    if given_minor < due:
        with pytest.raises(ValidationError):
            tender(PaymentMethod.CASH, due, given_minor)
    else:
        paid = tender(PaymentMethod.CASH, due, given_minor)
        assert paid.amount_minor + paid.change_minor == given_minor
        assert paid.amount_minor == due


def test_card_is_exact_and_sale_needs_lines() -> None:
    assert tender(PaymentMethod.CARD, 500, None).change_minor == 0
    with pytest.raises(ValidationError, match="exact amount"):
        tender(PaymentMethod.CARD, 500, 600)
    with pytest.raises(DomainError):
        sale_totals([])
    assert percent_label(2000) == "20%"
    assert percent_label(550) == "5.5%"
