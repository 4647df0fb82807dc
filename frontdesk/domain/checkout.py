"""Sale totals and payment rules: tax-inclusive prices, cash change, card exact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.money import Money, minor_digits, tax_included
from frontdesk.domain.opening import RoundingRule

#: Cash above this many times the amount due is a typing slip, not a note handed over...
MAX_CASH_MULTIPLE = 100
#: ...unless it is within this many major units (a big note for a small bill).
CASH_FLOOR_UNITS = 10_000
#: The most of one product on one sale (more is a typing slip or a wholesale order).
MAX_QUANTITY = 999


class PaymentMethod(StrEnum):
    """How a sale is paid; its name is written by the ui (and the receipt) in their language."""

    CASH = "cash"
    CARD = "card"


@dataclass(frozen=True)
class LineDraft:
    """One thing being sold, priced tax-inclusive in minor units."""

    description: str
    quantity: int
    unit_price_minor: int
    tax_rate_bp: int

    @property
    def total_minor(self) -> int:
        return self.unit_price_minor * self.quantity

    @property
    def tax_minor(self) -> int:
        return tax_included(self.total_minor, self.tax_rate_bp)


@dataclass(frozen=True)
class SaleTotals:
    total_minor: int
    tax_minor: int
    tax_by_rate: tuple[tuple[int, int], ...]  # (rate_bp, tax_minor), ascending rate

    @property
    def net_minor(self) -> int:
        return self.total_minor - self.tax_minor


def basket(items: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Products to sell as (product_id, quantity), one entry per product (the same product
    twice is added up), in the order first given; each quantity 1..MAX_QUANTITY."""
    merged: dict[int, int] = {}
    for product_id, quantity in items:
        merged[product_id] = merged.get(product_id, 0) + quantity
    for product_id, quantity in merged.items():
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationError(
                f"product:{product_id}",
                "Quantity must be between 1 and {most}.",
                most=MAX_QUANTITY,
            )
    return tuple(merged.items())


def sale_totals(lines: list[LineDraft] | tuple[LineDraft, ...]) -> SaleTotals:
    """Totals of a sale; tax is computed per rate on the rate's gross, then summed."""
    if not lines:
        raise DomainError("A sale needs at least one line.")
    by_rate: dict[int, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise ValidationError("quantity", "Quantity must be at least 1.")
        if line.unit_price_minor < 0:
            raise ValidationError("price", "A price cannot be negative.")
        by_rate[line.tax_rate_bp] = by_rate.get(line.tax_rate_bp, 0) + line.total_minor
    total = sum(by_rate.values())
    tax_by_rate = tuple(
        (rate, tax_included(gross, rate)) for rate, gross in sorted(by_rate.items())
    )
    return SaleTotals(total, sum(t for _, t in tax_by_rate), tax_by_rate)


def payable(totals: SaleTotals, method: PaymentMethod, rule: RoundingRule) -> tuple[int, int]:
    """(what is due, the rounding in it) for paying `totals` by `method` under the shop's
    rounding rule. The lines and their tax stay as priced; the rounding is its own line."""
    rounding = rule.rounding(totals.total_minor, cash=method is PaymentMethod.CASH)
    return totals.total_minor + rounding, rounding


@dataclass(frozen=True)
class Tender:
    method: PaymentMethod
    amount_minor: int  # what is taken towards the sale
    tendered_minor: int  # what the client handed over
    change_minor: int


def cash_ceiling(due_minor: int, currency: str) -> int:
    """The most cash that can plausibly be handed over for `due_minor`."""
    floor: int = CASH_FLOOR_UNITS * 10 ** minor_digits(currency)
    return max(due_minor * MAX_CASH_MULTIPLE, floor)


def tender(
    method: PaymentMethod,
    due_minor: int,
    tendered_minor: int | None,
    *,
    currency: str = "GBP",
    locale: str = "en_GB",
) -> Tender:
    """Validate a single payment for `due_minor`; cash may be over-tendered and gives change,
    but not absurdly (see cash_ceiling)."""
    if due_minor < 0:
        raise DomainError("Refunds are not taken at checkout.")
    given = due_minor if tendered_minor is None else tendered_minor
    if given < 0:
        raise ValidationError("tendered", "The amount received cannot be negative.")
    if method is PaymentMethod.CARD and given != due_minor:
        raise ValidationError("tendered", "A card payment is for the exact amount due.")
    if given < due_minor:
        raise ValidationError("tendered", "The amount received is less than the amount due.")
    if given > cash_ceiling(due_minor, currency):
        raise ValidationError(
            "tendered",
            "{received} received for {due} due looks like a typing mistake: "
            "enter the amount handed over.",
            received=Money(given, currency),
            due=Money(due_minor, currency),
        )
    return Tender(method, due_minor, given, given - due_minor)


def cash_change(due: Money, received: Money) -> Money | None:
    """The change to give for cash `received` against `due`, by the same rule a sale is
    taken with (`tender`); None while what is received is not enough yet. An amount no one
    hands over for `due` (see cash_ceiling) is refused as `tender` refuses it."""
    if received.currency != due.currency:
        raise ValueError(f"cannot mix {due.currency} and {received.currency}")
    if received.minor < due.minor:
        return None
    paid = tender(PaymentMethod.CASH, due.minor, received.minor, currency=due.currency)
    return Money(paid.change_minor, due.currency)
