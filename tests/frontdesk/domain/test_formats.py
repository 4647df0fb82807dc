"""Dates with times as each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from frontdesk.domain.formats import Formats
from frontdesk.domain.money import Money, parse_money

AT = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB", "1 Dec 2026, 10:30"),
        ("ru_RU", "1 дек. 2026 г., 10:30"),
        ("zh_CN", "2026年12月1日 10:30"),  # no English comma between date and time
    ],
)
def test_date_and_time_are_joined_as_the_language_joins_them(locale: str, expected: str) -> None:
    shown = Formats(locale, ZoneInfo("UTC")).date_time(AT)
    assert " ".join(shown.replace("\u202f", " ").split()) == expected


@pytest.mark.parametrize(
    ("locale", "currency", "suffix", "unit", "amount"),
    [
        ("en_GB", "GBP", "%", "£1", "£50,000.00"),
        ("ru_RU", "RUB", "\u00a0%", "1\u00a0₽", "50\u00a0000,00\u00a0₽"),
        ("zh_CN", "CNY", "%", "¥1", "¥50,000.00"),
    ],
)
def test_percent_one_currency_unit_and_an_amount_read_back(
    locale: str, currency: str, suffix: str, unit: str, amount: str
) -> None:
    formats = Formats(locale, ZoneInfo("UTC"))
    assert formats.percent_affixes() == ("", suffix)
    assert formats.one_unit(currency) == unit
    shown = formats.money(Money(5_000_000, currency))
    assert shown == amount
    assert parse_money(shown, currency, locale).minor == 5_000_000  # an edit shows it, saves it
