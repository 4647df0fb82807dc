"""Loyalty rules: points earned for a payment, the tier reached at a lifetime spend, the ledger.

A client's points are a ledger (one entry per change, never edited): the balance is the sum of
the entries. Points are earned on whole currency units paid (never on pence), times the shop's
points per unit, times the client's tier percent / 100, rounded down. A redemption or a manual
adjustment that would take the balance below zero is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import minor_digits

#: Limits a person can type in the back office (sane, and well inside a 32-bit column).
MAX_POINTS_PER_UNIT = 1000
MAX_PERCENT = 1000
MAX_TIERS = 12
MAX_TIER_NAME = 40
MAX_ADJUSTMENT = 1_000_000
#: The percent of a client with no tier (or a shop without tiers).
BASE_PERCENT = 100


@dataclass(frozen=True)
class Tier:
    """A tier reached once a client's lifetime spend is at least `min_spend_minor`."""

    name: str
    min_spend_minor: int
    points_percent: int = BASE_PERCENT


def points_for(amount_minor: int, currency: str, points_per_unit: int, percent: int) -> int:
    """Points earned for paying `amount_minor`: whole currency units x points per unit x the
    tier's percent / 100, rounded down. Nothing for a refund, zero or a scheme switched off."""
    if amount_minor <= 0 or points_per_unit <= 0 or percent <= 0:
        return 0
    units = amount_minor // 10 ** minor_digits(currency)
    return int(units * points_per_unit * percent // 100)


def tier_at(tiers: Iterable[Tier], lifetime_spend_minor: int) -> Tier | None:
    """The highest tier reached at `lifetime_spend_minor` (None below every tier)."""
    reached = [t for t in tiers if t.min_spend_minor <= lifetime_spend_minor]
    if not reached:
        return None
    return max(reached, key=lambda t: (t.min_spend_minor, t.points_percent))


def percent_at(tiers: Iterable[Tier], lifetime_spend_minor: int) -> int:
    tier = tier_at(tiers, lifetime_spend_minor)
    return tier.points_percent if tier is not None else BASE_PERCENT


def balance(points: Iterable[int]) -> int:
    """The balance of a ledger: the sum of its entries."""
    return sum(points)


def check_change(current_balance: int, points: int) -> None:
    """Refuse a redemption or an adjustment that would take the balance below zero."""
    if points == 0:
        raise ValidationError("points", "Enter a number of points other than zero.")
    if abs(points) > MAX_ADJUSTMENT:
        raise ValidationError(
            "points", "Enter at most {limit} points at a time.", limit=MAX_ADJUSTMENT
        )
    if current_balance + points < 0:
        raise ValidationError(
            "points",
            "The client has only {balance} points: the balance cannot go below zero.",
            balance=current_balance,
        )


def reversal(earned: int, current_balance: int) -> int:
    """The entry that takes back points earned on a refunded sale: all of them, or as many as
    the client still has (points spent since stay spent; the balance never goes below zero)."""
    return -min(max(earned, 0), max(current_balance, 0))


@dataclass(frozen=True)
class TierDraft:
    """A tier as typed in the back office: spend in minor units, percent as an integer."""

    name: str
    min_spend_minor: int
    points_percent: int


def validate_scheme(points_per_unit: int, drafts: Sequence[TierDraft]) -> tuple[Tier, ...]:
    """The tiers in order of spend, or FormErrors naming every bad field at once.

    Fields: ``points_per_unit``, ``tier_name_<i>``, ``tier_spend_<i>``, ``tier_percent_<i>``
    (i: the row as typed, from 0)."""
    errors: dict[str, DomainError] = {}
    if not 0 <= points_per_unit <= MAX_POINTS_PER_UNIT:
        errors["points_per_unit"] = ValidationError(
            "points_per_unit",
            "Enter between 0 and {limit} points per currency unit.",
            limit=MAX_POINTS_PER_UNIT,
        )
    if len(drafts) > MAX_TIERS:
        errors["points_per_unit"] = DomainError("At most {limit} tiers.", limit=MAX_TIERS)
    seen_names: dict[str, int] = {}
    seen_spend: dict[int, int] = {}
    for i, draft in enumerate(drafts):
        name = " ".join(draft.name.split())
        if not name:
            errors[f"tier_name_{i}"] = ValidationError(f"tier_name_{i}", "Enter the tier's name.")
        elif len(name) > MAX_TIER_NAME:
            errors[f"tier_name_{i}"] = ValidationError(
                f"tier_name_{i}", "Use at most {limit} characters.", limit=MAX_TIER_NAME
            )
        elif name.casefold() in seen_names:
            errors[f"tier_name_{i}"] = ValidationError(
                f"tier_name_{i}", "Two tiers cannot have the same name."
            )
        else:
            seen_names[name.casefold()] = i
        if draft.min_spend_minor < 0:
            errors[f"tier_spend_{i}"] = ValidationError(
                f"tier_spend_{i}", "The spend cannot be negative."
            )
        elif draft.min_spend_minor in seen_spend:
            errors[f"tier_spend_{i}"] = ValidationError(
                f"tier_spend_{i}", "Two tiers cannot start at the same spend."
            )
        else:
            seen_spend[draft.min_spend_minor] = i
        if not 0 <= draft.points_percent <= MAX_PERCENT:
            errors[f"tier_percent_{i}"] = ValidationError(
                f"tier_percent_{i}",
                "Enter a percent between 0 and {limit}.",
                limit=MAX_PERCENT,
            )
    if errors:
        raise FormErrors(errors)
    tiers = (Tier(" ".join(d.name.split()), d.min_spend_minor, d.points_percent) for d in drafts)
    return tuple(sorted(tiers, key=lambda t: t.min_spend_minor))
