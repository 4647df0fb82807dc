from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.checkout import (
    LineDraft,
    PaymentMethod,
    cash_ceiling,
    sale_totals,
    tender,
)
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import (
    MAX_AMOUNT_UNITS,
    Money,
    format_money,
    minor_digits,
    parse_money,
    percent_label,
    tax_included,
)

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
        ("1,200.50", "en_GB", 120050),
        ("1,234,567", "en_GB", 123456700),
        ("120.50", "en_GB", 12050),
        ("1 200,50", "ru_RU", 120050),
        ("1\u00a0200,50 ₽", "ru_RU", 120050),
        ("120,5", "ru_RU", 12050),
    ],
)
def test_parses_what_people_type(text: str, locale: str, minor: int) -> None:
    currency = "RUB" if locale == "ru_RU" else "GBP"
    assert parse_money(text, currency, locale) == Money(minor, currency)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "--5", "12.3.4", "-5", "1.5,3", "."])
def test_rejects_non_amounts(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_money(text, "GBP", "en_GB")


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("120,50", "en_GB"),  # 120.50 or 12,050? Refused, not read as 12,050
        ("120,50", "zh_CN"),
        ("1,2345", "en_GB"),
        ("12,34,567", "en_GB"),
        ("1,200,50", "en_GB"),
        ("120.50", "ru_RU"),  # a point in a shop that writes 120,50
        ("1.200", "ru_RU"),
        ("1.200,50", "ru_RU"),
    ],
)
def test_refuses_ambiguous_separators_plainly(text: str, locale: str) -> None:
    currency = "RUB" if locale == "ru_RU" else "GBP"
    with pytest.raises(ValidationError, match="ambiguous") as caught:
        parse_money(text, currency, locale)
    assert caught.value.field == "amount"


def test_refuses_absurd_amounts() -> None:
    with pytest.raises(ValidationError, match="too large"):
        parse_money("99,999,999,999", "GBP", "en_GB")
    with pytest.raises(ValidationError, match="too large"):
        parse_money("1" + "0" * 40, "GBP", "en_GB")
    assert parse_money("1,000,000,000", "GBP", "en_GB").minor == MAX_AMOUNT_UNITS * 100


LOCALES = st.sampled_from(
    [("en_GB", "GBP"), ("ru_RU", "RUB"), ("zh_CN", "CNY"), ("de_DE", "EUR"), ("ja_JP", "JPY")]
)


@given(st.integers(min_value=0, max_value=MAX_AMOUNT_UNITS * 100), LOCALES)
def test_what_the_shop_prints_reads_back(minor: int, place: tuple[str, str]) -> None:
    locale, currency = place
    if currency == "JPY":
        minor //= 100
    assert parse_money(format_money(minor, currency, locale), currency, locale).minor == minor


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([("en_GB", "GBP", ","), ("zh_CN", "CNY", ","), ("ru_RU", "RUB", ".")]),
)
def test_foreign_decimal_separator_is_never_misread(
    whole: int, cents: int, place: tuple[str, str, str]
) -> None:
    """'120,50' typed in a shop that writes '120.50' is refused or read as 120.50, never 12,050."""
    locale, currency, foreign = place
    text = f"{whole}{foreign}{cents:02d}"
    try:
        value = parse_money(text, currency, locale).minor
    except ValidationError:
        return
    assert value == whole * 100 + cents


@given(st.text(max_size=30), LOCALES)
def test_parse_either_refuses_or_gives_a_sane_amount(text: str, place: tuple[str, str]) -> None:
    locale, currency = place
    try:
        money = parse_money(text, currency, locale)
    except ValidationError:
        return
    assert 0 <= money.minor <= MAX_AMOUNT_UNITS * 10 ** minor_digits(currency)


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
    if given_minor < due or given_minor > cash_ceiling(due, "GBP"):
        with pytest.raises(ValidationError):
            tender(PaymentMethod.CASH, due, given_minor, currency="GBP")
    else:
        paid = tender(PaymentMethod.CASH, due, given_minor, currency="GBP")
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


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["GBP", "RUB", "CNY", "JPY"]))
def test_absurd_cash_is_refused_plainly(due: int, currency: str) -> None:
    """More than 100 times the total (and above a floor for small bills) is a typing slip."""
    ceiling = cash_ceiling(due, currency)
    assert ceiling >= due * 100
    assert ceiling >= 10_000 * 10 ** minor_digits(currency)  # a big note for a small bill
    assert tender(PaymentMethod.CASH, due, ceiling, currency=currency).tendered_minor == ceiling
    with pytest.raises(ValidationError, match="typing mistake"):
        tender(PaymentMethod.CASH, due, ceiling + 1, currency=currency)


def test_the_reported_absurd_cash_is_refused() -> None:
    with pytest.raises(ValidationError, match="typing mistake"):
        tender(PaymentMethod.CASH, 8500, 99_999_999_999 * 100, currency="GBP")
    assert tender(PaymentMethod.CASH, 50, 5000, currency="GBP").change_minor == 4950
