"""Money as integer minor units plus a currency; never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_currency, get_currency_precision, parse_decimal

from frontdesk.domain.errors import ValidationError

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
    """Parse what a user typed ('85', '85.50', '1,234.5') into Money; reject anything else."""
    cleaned = text.strip()
    for symbol in ("£", "€", "$", "¥", "₽", currency):
        cleaned = cleaned.replace(symbol, "")
    cleaned = cleaned.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValidationError(field, "Enter an amount.")
    try:
        value = Decimal(parse_decimal(cleaned, locale=locale, strict=False))
    except (NumberFormatError, InvalidOperation, ValueError):
        raise ValidationError(field, f"“{text.strip()}” is not an amount.") from None
    digits = minor_digits(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValidationError(field, f"Use at most {digits} decimal places.")
    return Money(int(scaled), currency)


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
