"""Money as integer minor units plus a currency; never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
)

from frontdesk.domain.errors import ValidationError

#: No amount typed at a front desk is above a billion major units (pounds, roubles, yuan).
MAX_AMOUNT_UNITS = 10**9

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")

#: The one rounding rule for every money calculation (tax shares, discounts).
ROUNDING = ROUND_HALF_UP


def minor_digits(currency: str) -> int:
    """How many minor-unit digits a currency has (GBP 2, JPY 0)."""
    return int(get_currency_precision(currency))


@dataclass(frozen=True, order=True)
class Money:
    """An amount in a currency's minor units (pence, cents, fen, kopecks)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError("Money.minor must be an int of minor units")

    def __str__(self) -> str:
        """English, for the rare message with no translator; the window formats its own."""
        return format_money(self.minor, self.currency, "en")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __mul__(self, quantity: int) -> Money:
        return Money(self.minor * quantity, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def as_decimal(self) -> Decimal:
        return Decimal(self.minor).scaleb(-minor_digits(self.currency))

    def format(self, locale: str) -> str:
        """The amount as the shop's locale writes it, e.g. '£85.00' or '1 234,00 ₽'."""
        return format_money(self.minor, self.currency, locale)


def format_money(minor: int, currency: str, locale: str) -> str:
    """Format integer minor units for display in `locale`."""
    amount = Decimal(minor).scaleb(-minor_digits(currency))
    return str(format_currency(amount, currency, locale=locale))


def parse_money(text: str, currency: str, locale: str, *, field: str = "amount") -> Money:
    """Parse what a user typed ('85', '85.50', '1,234.5') in the shop's locale into Money.

    Refused plainly rather than guessed: anything but digits and the locale's separators, more
    decimal places than the currency has, amounts above MAX_AMOUNT_UNITS, and a separator that
    could mean two things: in a shop that writes 1,234.50, "120,50" might be 120.50 or 12,050;
    in one that writes 1 234,50, "120.50" or "1.200" is as unclear. A grouping separator is
    accepted only where it groups thousands ("1,200.50").
    """
    shown = text.strip()[:40]
    cleaned = text.strip()
    for symbol in ("£", "€", "$", "¥", "￥", "₽", currency):
        cleaned = cleaned.replace(symbol, "")
    cleaned = _SPACES.sub("", cleaned)
    if not cleaned:
        raise ValidationError(field, "Enter an amount.")
    if not re.fullmatch(r"[0-9.,]+", cleaned) or not re.search(r"[0-9]", cleaned):
        raise ValidationError(field, "“{text}” is not an amount.", text=shown)
    decimal_mark = str(get_decimal_symbol(locale))
    group_mark = str(get_group_symbol(locale))
    foreign = "," if decimal_mark == "." else "."
    if cleaned.count(decimal_mark) > 1:
        raise ValidationError(field, "“{text}” is not an amount.", text=shown)
    whole, _, fraction = cleaned.partition(decimal_mark)
    if foreign in fraction:
        raise ValidationError(field, "“{text}” is not an amount.", text=shown)
    if foreign in whole:
        thousands = rf"[0-9]{{1,3}}(?:{re.escape(foreign)}[0-9]{{3}})+"
        if foreign != group_mark or not re.fullmatch(thousands, whole):
            example = format_decimal(Decimal("1234.50"), "#,##0.00", locale=locale)
            raise ValidationError(
                field,
                "“{text}” is ambiguous: this shop writes amounts like {example}.",
                text=shown,
                example=_SPACES.sub(" ", example),
            )
        whole = whole.replace(foreign, "")
    digits = minor_digits(currency)
    if len(fraction) > digits:
        raise ValidationError(field, "Use at most {digits} decimal places.", digits=digits)
    if len(whole.lstrip("0")) > len(str(MAX_AMOUNT_UNITS)):
        raise ValidationError(field, "“{text}” is too large for an amount.", text=shown)
    minor = int(whole or "0") * 10**digits + int(fraction.ljust(digits, "0") or "0")
    if minor > MAX_AMOUNT_UNITS * 10**digits:
        raise ValidationError(field, "“{text}” is too large for an amount.", text=shown)
    return Money(minor, currency)


def tax_included(gross_minor: int, rate_bp: int) -> int:
    """The tax share inside a tax-inclusive price; `rate_bp` is basis points (2000 = 20 %)."""
    if rate_bp <= 0:
        return 0
    share = Decimal(gross_minor) * Decimal(rate_bp) / Decimal(10_000 + rate_bp)
    return int(share.quantize(Decimal(1), rounding=ROUNDING))


def percent_label(rate_bp: int) -> str:
    """Basis points as a percentage label: 2000 -> '20%', 550 -> '5.5%'."""
    value = Decimal(rate_bp) / 100
    text = format(value.normalize(), "f")
    return f"{text}%"


MAX_RATE_BP = 10_000  # 100 %


def parse_rate(text: str, locale: str, *, field: str = "tax_rate") -> int:
    """A percentage the user typed ('20', '5.5', '5,5 %') as basis points (2000 = 20 %).

    Refused plainly: anything but a number with at most two decimals, below 0 or over 100 %.
    """
    shown = text.strip()[:20]
    cleaned = _SPACES.sub("", text.strip()).rstrip("%％").strip()
    decimal_mark = str(get_decimal_symbol(locale))
    cleaned = cleaned.replace(decimal_mark, ".")
    if not cleaned:
        raise ValidationError(field, "Enter a rate in per cent, e.g. 20.")
    if cleaned.startswith("-"):
        raise ValidationError(field, "A rate cannot be negative.")
    if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,2})?", cleaned):
        raise ValidationError(field, "“{text}” is not a rate in per cent.", text=shown)
    bp = int((Decimal(cleaned) * 100).to_integral_value())
    if bp > MAX_RATE_BP:
        raise ValidationError(field, "A rate cannot be over 100 %.")
    return bp


def check_rate(rate_bp: int, *, field: str = "tax_rate") -> int:
    """A rate in basis points, refused when below 0 or over 100 %."""
    if rate_bp < 0:
        raise ValidationError(field, "A rate cannot be negative.")
    if rate_bp > MAX_RATE_BP:
        raise ValidationError(field, "A rate cannot be over 100 %.")
    return rate_bp
