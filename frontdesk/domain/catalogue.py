"""Rules for the service menu: what a valid service is, and which price holds on a day.

A service's price changes from a date on: the price it had from the start, replaced by each
dated price from its own date. Sales and bookings store the price they were made at, so a
change never reaches back into them; `price_on` says what a new one costs on a given day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from babel.numbers import get_decimal_symbol

from frontdesk.domain import opening
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.money import MAX_AMOUNT_UNITS, check_rate, minor_digits, parse_money
from frontdesk.domain.money import parse_rate as parse_rate_text
from frontdesk.domain.text import clean_line

# Column lengths of db/models/catalog.py and rooms.py, in characters.
MAX_CATEGORY = 80
MAX_NAME = 120
MAX_ROOM_KIND = 40
MAX_TAG = 60
MAX_TAGS = 30
MAX_DURATION = 24 * 60
MAX_CAPACITY = 1000
MAX_EQUIPMENT_QUANTITY = 1000

CATEGORY_NEEDED = words("Choose or name a category.")
NAME_NEEDED = words("Enter the service's name.")
DURATION_RANGE = words("A service lasts from 1 to {max_minutes} minutes.")
BUFFER_NEGATIVE = words("The buffer cannot be negative.")
BUFFER_TOO_LONG = words("The buffer is at most {max_minutes} minutes.")
PRICE_NEGATIVE = words("A price cannot be negative.")
PRICE_TOO_LARGE = words("The price is too large.")
CAPACITY_RANGE = words("A service uses from 1 to {max_places} places.")
TOO_MANY_TAGS = words("At most {max_tags} tags.")
EQUIPMENT_QUANTITY = words("Each piece of equipment is needed at least once.")
EQUIPMENT_TWICE = words("The same equipment is listed twice.")
NOT_A_NUMBER = words("“{text}” is not a whole number.")
ORDER_NEGATIVE = words("The display order cannot be negative.")

#: Separators between tags: commas (Latin, Chinese, Japanese), semicolons and line breaks.
_TAG_SPLIT = re.compile(r"[,，、;；\n]")


@dataclass(frozen=True)
class ServiceDraft:
    """A service as a form or an import submits it; `check_service` says whether it is valid.

    Money in minor units, the tax rate in basis points (2000 = 20 %), `equipment` as
    (resource id, quantity) pairs, tags lower-cased and trimmed once checked.
    """

    category: str
    name: str
    duration_minutes: int
    buffer_minutes: int
    price_minor: int
    tax_rate_bp: int
    room_kind: str | None = None
    capacity_used: int = 1
    bookable: bool = True
    ingredients: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    equipment: tuple[tuple[int, int], ...] = ()
    sort_order: int = 0


@dataclass(frozen=True)
class Price:
    """A price (tax included, minor units) and its tax rate (basis points)."""

    price_minor: int
    tax_rate_bp: int


@dataclass(frozen=True, order=True)
class DatedPrice:
    """A price that holds from `starts_on` (a shop-local date) until the next one."""

    starts_on: date
    price_minor: int
    tax_rate_bp: int

    @property
    def price(self) -> Price:
        return Price(self.price_minor, self.tax_rate_bp)


def price_on(base: Price, dated: Iterable[DatedPrice], day: date) -> Price:
    """The price that holds on `day`: the latest dated price starting on or before it, else
    the price from the start."""
    current: DatedPrice | None = None
    for entry in dated:
        if entry.starts_on <= day and (current is None or entry.starts_on > current.starts_on):
            current = entry
    return base if current is None else current.price


def scheduled_after(dated: Iterable[DatedPrice], day: date) -> tuple[DatedPrice, ...]:
    """The dated prices that start after `day`, soonest first."""
    return tuple(sorted(d for d in dated if d.starts_on > day))


def parse_tags(text: str, field: str) -> tuple[str, ...]:
    """Tags typed as one line ("nut oil, Lavender，sesame"): split, trimmed, lower-cased, each
    once, in the order typed."""
    return check_tags(tuple(_TAG_SPLIT.split(text)), field)


def check_tags(tags: Iterable[str], field: str) -> tuple[str, ...]:
    """Each tag trimmed and lower-cased, empty ones dropped, duplicates removed."""
    seen: dict[str, None] = {}
    for raw in tags:
        tag = clean_line(raw, field, "A tag", MAX_TAG).lower()
        if tag:
            seen.setdefault(tag, None)
    if len(seen) > MAX_TAGS:
        raise ValidationError(field, TOO_MANY_TAGS, max_tags=MAX_TAGS)
    return tuple(seen)


def parse_whole(text: str, field: str) -> int:
    """A whole number typed in a form ("60", " 15 ")."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if not re.fullmatch(r"-?[0-9]{1,9}", cleaned):
        raise ValidationError(field, NOT_A_NUMBER, text=cleaned[:20])
    return int(cleaned)


def check_service(draft: ServiceDraft) -> ServiceDraft:
    """The draft cleaned for storage (trimmed text, lower-cased tags, None for no room), or
    FormErrors naming every bad field at once."""
    errors: dict[str, DomainError] = {}

    def text(field: str, raw: str, label: str, limit: int, required: str | None) -> str:
        try:
            return clean_line(raw, field, label, limit, required=required)
        except ValidationError as exc:
            errors[field] = exc
            return ""

    category = text(
        "service_category", draft.category, "The category", MAX_CATEGORY, CATEGORY_NEEDED
    )
    name = text("name", draft.name, "The name", MAX_NAME, NAME_NEEDED)
    room_kind = text("room_kind", draft.room_kind or "", "The room kind", MAX_ROOM_KIND, None)
    if not 1 <= draft.duration_minutes <= MAX_DURATION:
        errors["duration"] = ValidationError("duration", DURATION_RANGE, max_minutes=MAX_DURATION)
    if draft.buffer_minutes < 0:
        errors["buffer"] = ValidationError("buffer", BUFFER_NEGATIVE)
    elif draft.buffer_minutes > MAX_DURATION:
        errors["buffer"] = ValidationError("buffer", BUFFER_TOO_LONG, max_minutes=MAX_DURATION)
    if draft.price_minor < 0:
        errors["service_price"] = ValidationError("service_price", PRICE_NEGATIVE)
    elif draft.price_minor > MAX_AMOUNT_UNITS * 100:
        errors["service_price"] = ValidationError("service_price", PRICE_TOO_LARGE)
    try:
        check_rate(draft.tax_rate_bp, field="service_tax_rate")
    except ValidationError as exc:
        errors["service_tax_rate"] = exc
    if not 1 <= draft.capacity_used <= MAX_CAPACITY:
        errors["capacity_used"] = ValidationError(
            "capacity_used", CAPACITY_RANGE, max_places=MAX_CAPACITY
        )
    if draft.sort_order < 0:
        errors["display_order"] = ValidationError("display_order", ORDER_NEGATIVE)
    tags: dict[str, tuple[str, ...]] = {}
    for field, values in (
        ("ingredients", draft.ingredients),
        ("contraindications", draft.contraindications),
    ):
        try:
            tags[field] = check_tags(values, field)
        except ValidationError as exc:
            errors[field] = exc
    resource_ids = [resource_id for resource_id, _ in draft.equipment]
    if any(not 1 <= quantity <= MAX_EQUIPMENT_QUANTITY for _, quantity in draft.equipment):
        errors["equipment"] = ValidationError("equipment", EQUIPMENT_QUANTITY)
    elif len(set(resource_ids)) != len(resource_ids):
        errors["equipment"] = ValidationError("equipment", EQUIPMENT_TWICE)
    if errors:
        raise FormErrors(errors)
    return replace(
        draft,
        category=category,
        name=name,
        room_kind=room_kind or None,
        ingredients=tags["ingredients"],
        contraindications=tags["contraindications"],
        equipment=tuple(sorted(draft.equipment)),
    )


@dataclass(frozen=True)
class ServiceForm:
    """What the service form submits, as typed (numbers as text, so bad input is named)."""

    category: str
    name: str
    duration: str
    buffer: str
    price: str
    tax_rate: str
    room_kind: str = ""
    capacity_used: str = "1"
    bookable: bool = True
    ingredients: str = ""
    contraindications: str = ""
    equipment: tuple[tuple[int, int], ...] = ()
    display_order: str = "0"


def read_service_form(form: ServiceForm, currency: str, locale: str) -> ServiceDraft:
    """Parse a typed form into a checked draft; FormErrors names every bad field at once."""
    errors: dict[str, DomainError] = {}

    def number(field: str, raw: str) -> int:
        try:
            return parse_whole(raw, field)
        except ValidationError as exc:
            errors[field] = exc
            return 0

    def tag_list(field: str, raw: str) -> tuple[str, ...]:
        try:
            return parse_tags(raw, field)
        except ValidationError as exc:
            errors[field] = exc
            return ()

    duration = number("duration", form.duration)
    if not form.duration.strip():
        errors["duration"] = ValidationError("duration", DURATION_RANGE, max_minutes=MAX_DURATION)
    buffer = number("buffer", form.buffer)
    capacity = number("capacity_used", form.capacity_used or "1")
    order = number("display_order", form.display_order)
    price = 0
    raw_price = form.price.strip()
    if raw_price.startswith("-"):
        errors["service_price"] = ValidationError("service_price", PRICE_NEGATIVE)
    else:
        try:
            price = parse_money(form.price, currency, locale, field="service_price").minor
        except ValidationError as exc:
            errors["service_price"] = exc
    rate = 0
    try:
        rate = parse_rate_text(form.tax_rate or "0", locale, field="service_tax_rate")
    except ValidationError as exc:
        errors["service_tax_rate"] = exc
    draft = ServiceDraft(
        category=form.category,
        name=form.name,
        duration_minutes=duration if "duration" not in errors else 1,
        buffer_minutes=buffer,
        price_minor=price,
        tax_rate_bp=rate,
        room_kind=form.room_kind,
        capacity_used=capacity if "capacity_used" not in errors else 1,
        bookable=form.bookable,
        ingredients=tag_list("ingredients", form.ingredients),
        contraindications=tag_list("contraindications", form.contraindications),
        equipment=form.equipment,
        sort_order=order,
    )
    try:
        checked = check_service(draft)
    except FormErrors as more:
        for field, error in more.errors.items():
            errors.setdefault(field, error)
        raise FormErrors(errors) from None
    if errors:
        raise FormErrors(errors)
    return checked


def longest_opening(spans: Iterable[tuple[int, int, int]]) -> int | None:
    """The shop's longest opening in minutes (domain/opening.py), or None when no hours are
    set (then no service is too long)."""
    given = list(spans)
    return opening.longest_opening(given) if given else None


def amount_for_form(minor: int, currency: str, locale: str) -> str:
    """Minor units as a plain number the form shows and `parse_money` reads back ("85.00",
    "85,00" in a shop that writes decimals with a comma), without grouping or symbol."""
    digits = minor_digits(currency)
    if digits == 0:
        return str(minor)
    whole, fraction = divmod(minor, 10**digits)
    return f"{whole}{get_decimal_symbol(locale)}{fraction:0{digits}d}"


def rate_for_form(rate_bp: int, locale: str) -> str:
    """Basis points as the per-cent number the form shows ("20", "5,5")."""
    whole, fraction = divmod(rate_bp, 100)
    if not fraction:
        return str(whole)
    return f"{whole}{get_decimal_symbol(locale)}{f'{fraction:02d}'.rstrip('0')}"
