"""Retail products: what a product form may hold, and the rules of changing stock on hand.

Pure rules: `validate_product` cleans a `ProductDraft` or raises `FormErrors` naming every bad
field at once; `check_adjustment` and `check_count` refuse a stock change that says nothing or
contradicts its reason. Stock never goes below zero: the service enforces that in the database,
in the same statement that changes it (two terminals may adjust at once).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from frontdesk.domain.errors import FormErrors, ValidationError, words
from frontdesk.domain.money import MAX_AMOUNT_UNITS, check_rate
from frontdesk.domain.text import clean_line

# Column sizes (db/models/catalog.py).
MAX_SKU = 40
MAX_BARCODE = 40
MAX_PRODUCT_NAME = 120
MAX_TAG = 60
MAX_NOTE = 200
#: No shop keeps more than this many of one product; a bigger number is a typing slip.
MAX_STOCK = 1_000_000
MAX_TAGS = 30
#: Price ceiling in minor units (a billion major units of a two-digit currency).
MAX_PRICE_MINOR = MAX_AMOUNT_UNITS * 100

#: Form field names of the tags and the stock note (errors are shown beside them).
INGREDIENTS = "product_ingredients"
CONTRAINDICATIONS = "product_contraindications"
STOCK_NOTE = "stock_note"

#: What a SKU and a barcode may hold: letters, digits and a few separators, no spaces.
_CODE = re.compile(r"[0-9A-Za-z._/-]+")


class StockReason(StrEnum):
    """Why stock on hand changed (the values of db STOCK_REASONS)."""

    DELIVERY = "delivery"  # goods arrived: adds
    COUNT = "count"  # a stock-take: sets the counted number
    DAMAGE = "damage"  # broken, expired, used in the treatment room: removes
    SALE = "sale"  # sold at the till: removes
    RETURN = "return"  # a client brought one back: adds
    CORRECTION = "correction"  # a mistake put right: either way, with a note


#: Reasons a person chooses when adjusting stock by hand (count has its own action; sales
#: come from the till).
ADJUSTMENT_REASONS = (
    StockReason.DELIVERY,
    StockReason.DAMAGE,
    StockReason.RETURN,
    StockReason.CORRECTION,
)
_ADDS = frozenset({StockReason.DELIVERY, StockReason.RETURN})
_REMOVES = frozenset({StockReason.DAMAGE, StockReason.SALE})


@dataclass(frozen=True)
class ProductDraft:
    """A product as a form or an import gives it; price is tax-inclusive minor units, tax rate
    in basis points (2000 = 20 %)."""

    sku: str
    name: str
    price_minor: int
    tax_rate_bp: int
    barcode: str | None = None
    low_stock_level: int = 0
    ingredients: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()


_T = TypeVar("_T")


def _collect(errors: dict[str, ValidationError], field: str, check: Callable[[], _T]) -> _T | None:
    try:
        return check()
    except ValidationError as error:
        errors.setdefault(error.field or field, error)
        return None


def clean_code(raw: str, field: str, label: str, max_chars: int, *, required: bool) -> str:
    """A SKU or barcode as stored: trimmed, no spaces inside, only letters, digits and . _ / -"""
    value = clean_line(
        raw,
        field,
        label,
        max_chars,
        required=words("Enter the SKU.") if required else None,
        strict=True,
    )
    if value and not _CODE.fullmatch(value):
        raise ValidationError(
            field,
            "{label} may hold only letters, digits and . _ / - (no spaces).",
            label=label,
        )
    return value


def clean_tags(raw: Iterable[str], field: str, label: str) -> tuple[str, ...]:
    """Tags as stored: each one trimmed, empty ones dropped, repeats (ignoring case) once."""
    seen: set[str] = set()
    tags: list[str] = []
    for tag in raw:
        value = clean_line(tag, field, label, MAX_TAG, strict=True)
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            tags.append(value)
    if len(tags) > MAX_TAGS:
        raise ValidationError(field, "At most {count} tags.", count=MAX_TAGS)
    return tuple(tags)


def split_tags(text: str) -> tuple[str, ...]:
    """Tags typed in one line, separated by commas (also the Chinese and Japanese ones) or
    semicolons."""
    return tuple(part for part in re.split(r"[,;，；、]", text) if part.strip())


def check_price(price_minor: int, field: str = "price") -> int:
    if price_minor < 0:
        raise ValidationError(field, "A price cannot be negative.")
    if price_minor > MAX_PRICE_MINOR:
        raise ValidationError(field, "That price is too large.")
    return price_minor


def check_count(count: int, field: str) -> int:
    """A number of items on hand (stock, a low-stock level): 0 to MAX_STOCK."""
    if count < 0:
        raise ValidationError(field, "This cannot be below zero.")
    if count > MAX_STOCK:
        raise ValidationError(field, "At most {most} items.", most=MAX_STOCK)
    return count


def validate_product(draft: ProductDraft) -> ProductDraft:
    """The draft as it may be stored, or FormErrors naming every bad field."""
    errors: dict[str, ValidationError] = {}
    sku = _collect(
        errors, "sku", lambda: clean_code(draft.sku, "sku", "The SKU", MAX_SKU, required=True)
    )
    name = _collect(
        errors,
        "name",
        lambda: clean_line(
            draft.name,
            "name",
            "The name",
            MAX_PRODUCT_NAME,
            required=words("Enter the product's name."),
            strict=True,
        ),
    )
    barcode = _collect(
        errors,
        "barcode",
        lambda: clean_code(
            draft.barcode or "", "barcode", "The barcode", MAX_BARCODE, required=False
        ),
    )
    _collect(errors, "price", lambda: check_price(draft.price_minor))
    _collect(errors, "tax_rate", lambda: check_rate(draft.tax_rate_bp, field="tax_rate"))
    _collect(
        errors, "low_stock_level", lambda: check_count(draft.low_stock_level, "low_stock_level")
    )
    ingredients = _collect(
        errors, INGREDIENTS, lambda: clean_tags(draft.ingredients, INGREDIENTS, "An ingredient")
    )
    contraindications = _collect(
        errors,
        CONTRAINDICATIONS,
        lambda: clean_tags(draft.contraindications, CONTRAINDICATIONS, "A contraindication"),
    )
    if errors:
        raise FormErrors(errors)
    assert sku is not None
    assert name is not None
    assert ingredients is not None
    assert contraindications is not None
    return replace(
        draft,
        sku=sku,
        name=name,
        barcode=barcode or None,
        ingredients=ingredients,
        contraindications=contraindications,
    )


def clean_note(note: str) -> str:
    return clean_line(note, STOCK_NOTE, "The note", MAX_NOTE)


def check_adjustment(change: int, reason: StockReason, note: str) -> tuple[StockReason, str]:
    """A by-hand stock change as it may be recorded (FormErrors otherwise): it changes
    something, its direction fits its reason, and a correction says what it corrects."""
    errors: dict[str, ValidationError] = {}
    try:
        reason = StockReason(reason)
    except ValueError:
        errors["reason"] = ValidationError("reason", "Choose why the stock changes.")
    if reason == StockReason.COUNT:
        errors["reason"] = ValidationError("reason", "Enter a count as the number counted.")
    cleaned = _collect(errors, STOCK_NOTE, lambda: clean_note(note))
    if change == 0:
        errors["change"] = ValidationError("change", "Enter how many items to add or remove.")
    elif abs(change) > MAX_STOCK:
        errors["change"] = ValidationError("change", "At most {most} items.", most=MAX_STOCK)
    elif reason in _ADDS and change < 0:
        errors["change"] = ValidationError(
            "change", "A delivery or a return adds items: enter a positive number."
        )
    elif reason in _REMOVES and change > 0:
        errors["change"] = ValidationError(
            "change", "Damage removes items: enter a negative number."
        )
    if reason == StockReason.CORRECTION and cleaned == "" and STOCK_NOTE not in errors:
        errors[STOCK_NOTE] = ValidationError(STOCK_NOTE, "Say what the correction puts right.")
    if errors:
        raise FormErrors(errors)
    return reason, cleaned or ""


def check_counted(counted: int, note: str) -> str:
    """A stock-take's counted number (0 to MAX_STOCK); returns the cleaned note."""
    errors: dict[str, ValidationError] = {}
    _collect(errors, "counted", lambda: check_count(counted, "counted"))
    cleaned = _collect(errors, STOCK_NOTE, lambda: clean_note(note))
    if errors:
        raise FormErrors(errors)
    return cleaned or ""


def running_low(stock: int, low_stock_level: int) -> bool:
    """At or below its low-stock level (a level of 0 means: only when none are left)."""
    return stock <= low_stock_level
