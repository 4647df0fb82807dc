"""Money, dates and times written for people: one place, used at the edges.

Services return `Money` and aware datetimes; the window, the receipt builder and the PDF builder
each make a `Formats` for the language they write in and the shop's time zone, and format there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_currency, format_percent

from frontdesk.domain.money import Money, format_money
from frontdesk.domain.shop_time import to_local


@dataclass(frozen=True)
class Formats:
    """How one language writes money, dates and times, for a shop in `zone`."""

    locale: str
    zone: ZoneInfo

    def money(self, amount: Money) -> str:
        return format_money(amount.minor, amount.currency, self.locale)

    def local(self, instant: datetime) -> datetime:
        return to_local(instant, self.zone)

    def time(self, instant: datetime) -> str:
        local = self.local(instant)
        return _short_time(local.hour, local.minute, self.locale)

    def time_range(self, start: datetime, end: datetime) -> str:
        return f"{self.time(start)}–{self.time(end)}"

    def date_time(self, instant: datetime) -> str:
        """'23 Nov 2026, 10:00' in this language ('2026年11月23日 10:00'): minutes, not seconds;
        date and time joined as the language joins them."""
        local = self.local(instant)
        return _date_time_pattern(self.locale).format(
            self.time(instant), _medium_date(local.date(), self.locale)
        )

    def long_date(self, day: date) -> str:
        return str(format_date(day, "full", locale=self.locale))

    def short_date(self, day: date) -> str:
        return _medium_date(day, self.locale)

    def percent_affixes(self) -> tuple[str, str]:
        """What goes before and after a per-cent number: ("", "%") in English and Chinese,
        ("", "\u00a0%") in Russian."""
        return _percent_affixes(self.locale)

    def one_unit(self, currency: str) -> str:
        """One whole currency unit as this language writes it: "£1", "1 ₽", "¥1"."""
        return _one_unit(currency, self.locale)

    def clock(self, minutes: int) -> str:
        """Minutes from local midnight as a wall-clock time ('09:30')."""
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


@functools.lru_cache(maxsize=8192)
def _short_time(hour: int, minute: int, locale: str) -> str:
    """babel's short time ('14:30', '下午2:30'); cached like the dates (a busy day shows
    hundreds, and babel parses the pattern on every call)."""
    return str(format_time(time(hour, minute), "short", locale=locale))


@functools.lru_cache(maxsize=8192)
def _medium_date(day: date, locale: str) -> str:
    """babel's medium date; cached, because every row of a client search shows one or two
    (babel parses the locale and the pattern on each call: a third of a search's time)."""
    return str(format_date(day, "medium", locale=locale))


@functools.lru_cache(maxsize=64)
def _date_time_pattern(locale: str) -> str:
    """How `locale` joins a date ({1}) and a time ({0}): "{1}, {0}" in English and Russian,
    "{1} {0}" in Chinese (babel's medium date-time pattern)."""
    return str(get_datetime_format("medium", locale=locale))


@functools.lru_cache(maxsize=16)
def _percent_affixes(locale: str) -> tuple[str, str]:
    prefix, _, suffix = str(format_percent(0, locale=locale)).partition("0")
    return prefix, suffix


@functools.lru_cache(maxsize=64)
def _one_unit(currency: str, locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = pattern.split(";")[0].replace("0.00", "0")
    return str(format_currency(1, currency, whole, locale=locale, currency_digits=False))
