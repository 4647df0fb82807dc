"""Setting up the shop itself: its details, opening hours, closed days, receipts, tax and rounding.

One draft holds every value of the shop's page as plain values; `check` refuses bad ones all
at once (FormErrors, no database), `save` writes the whole draft in one unit of work (creating
the profile on an empty database) with an audit entry, and `draft` reads it back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import ClosedDay, OpeningHours, ShopProfile
from frontdesk.domain.clients import normalize_phone
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.money import check_rate
from frontdesk.domain.opening import (
    ROUNDING_MODES,
    ROUNDING_STEPS,
    Span,
    check_hours,
    hours_field,
    step_label,
    step_minor,
)
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import clean_block, clean_line
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import DEFAULT_SHOP, ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes
from printing.logo import LogoError, check_logo, prepare_logo

MAX_NAME = 120
MAX_ADDRESS = 400
MAX_PHONE = 40
MAX_TAX_ID = 40
MAX_RECEIPT_TEXT = 400
#: Lines of a receipt header or footer: more would push the sale off the first screenful.
MAX_RECEIPT_LINES = 8
MAX_CLOSED_NOTE = 120
MAX_CLOSED_DAYS = 400

#: The shop languages offered first (the window's translations); any babel locale with a
#: country works.
SHOP_LOCALES = ("en_GB", "en_US", "en_IE", "en_AU", "zh_CN", "ru_RU")

NAME_NEEDED = words("Enter the shop's name.")
LOGO_NOT_IMAGE = words("That file is not a PNG or JPEG picture.")
#: A week: a later notice is not a late cancellation in any shop.
MAX_LATE_CANCEL_HOURS = 168
LATE_CANCEL_RANGE = words(
    "Give the hours as a whole number from 0 to {limit} (0: no cancellation counts as late)."
)
LOGO_TOO_LARGE = words("That picture is too large for a logo (at most 5 MB and 40 megapixels).")


@dataclass(frozen=True)
class ShopDraft:
    """Every value of the shop's page, as plain values.

    `hours` are (weekday 0 = Monday, open minute, close minute) from local midnight; a weekday
    with none is closed. `rounding_step` is one of ROUNDING_STEPS in units of the currency
    ("0" = no rounding, "0.05", ...). `logo_png` is a logo made by `ShopSetupService.logo`.
    """

    name: str
    address: str = ""
    phone: str = ""
    tax_id: str = ""
    currency: str = "GBP"
    locale: str = "en_GB"
    timezone: str = "Europe/London"
    receipt_header: str = ""
    receipt_footer: str = ""
    logo_png: bytes | None = None
    default_tax_rate_bp: int = 0
    rounding_step: str = "0"
    rounding_mode: str = "half_up"
    rounding_cash_only: bool = True
    #: Cancelling within this many hours of the start is late (counted on the client's card).
    late_cancel_hours: int = 24
    hours: tuple[tuple[int, int, int], ...] = ()
    closed_days: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class _Valid:
    draft: ShopDraft
    phone_region: str
    step_minor: int
    hours: tuple[Span, ...]


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name this computer knows, sorted (the page's picker searches them)."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def phone_region(locale: str) -> str | None:
    """The country of a locale ("en_GB" -> "GB"), or None when it names no country."""
    try:
        parsed = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return parsed.territory


def _validate(draft: ShopDraft) -> _Valid:
    errors: dict[str, DomainError] = {}
    clean: dict[str, str] = {}

    def keep(field: str, check: Callable[[], str]) -> None:
        try:
            clean[field] = check()
        except ValidationError as exc:
            errors[field] = exc

    keep(
        "name",
        lambda: clean_line(draft.name, "name", "The name", MAX_NAME, required=NAME_NEEDED),
    )
    keep("address", lambda: clean_block(draft.address, "address", "The address", MAX_ADDRESS))
    keep("phone", lambda: clean_line(draft.phone, "phone", "The phone number", MAX_PHONE))
    keep("tax_id", lambda: clean_line(draft.tax_id, "tax_id", "The tax number", MAX_TAX_ID))
    for field, text, label in (
        ("receipt_header", draft.receipt_header, "The receipt header"),
        ("receipt_footer", draft.receipt_footer, "The receipt footer"),
    ):
        keep(field, functools.partial(_receipt_text, text, field, label))

    if draft.currency not in currencies():
        errors["currency"] = ValidationError("currency", "Choose a currency from the list.")
    region = phone_region(draft.locale)
    if region is None:
        errors["locale"] = ValidationError("locale", "Choose a language and country from the list.")
    if draft.timezone not in time_zones():
        errors["timezone"] = ValidationError("timezone", "Choose a time zone from the list.")
    if region is not None and clean.get("phone") and "phone" not in errors:
        try:
            normalize_phone(clean["phone"], region)
        except ValidationError as exc:
            errors["phone"] = exc
    try:
        check_rate(draft.default_tax_rate_bp, field="default_tax_rate")
    except ValidationError as exc:
        errors["default_tax_rate"] = exc
    minor = 1
    if "currency" not in errors:
        try:
            minor = step_minor(draft.rounding_step, draft.currency)
        except ValidationError as exc:
            errors["rounding_step"] = exc
    if draft.rounding_mode not in ROUNDING_MODES:
        errors["rounding_mode"] = ValidationError(
            "rounding_mode", "Choose a rounding rule from the list."
        )
    if not 0 <= draft.late_cancel_hours <= MAX_LATE_CANCEL_HOURS:
        errors["late_cancel_hours"] = ValidationError(
            "late_cancel_hours", LATE_CANCEL_RANGE, limit=MAX_LATE_CANCEL_HOURS
        )
    spans: tuple[Span, ...] = ()
    day_errors = _check_days(draft.hours)
    if day_errors:
        errors.update(day_errors)
    else:
        spans = tuple(s for day in check_hours(draft.hours).values() for s in day)
    closed_error = _check_closed_days(draft.closed_days)
    if closed_error is not None:
        errors["closed_days"] = closed_error
    if draft.logo_png is not None:
        try:
            check_logo(draft.logo_png)
        except LogoError as exc:
            errors["logo"] = _logo_error(exc)
    if errors:
        raise FormErrors(errors)
    cleaned = ShopDraft(
        name=clean["name"],
        address=clean["address"],
        phone=clean["phone"],
        tax_id=clean["tax_id"],
        currency=draft.currency,
        locale=draft.locale,
        timezone=draft.timezone,
        receipt_header=clean["receipt_header"],
        receipt_footer=clean["receipt_footer"],
        logo_png=draft.logo_png,
        default_tax_rate_bp=draft.default_tax_rate_bp,
        rounding_step=draft.rounding_step,
        rounding_mode=draft.rounding_mode,
        rounding_cash_only=draft.rounding_cash_only,
        late_cancel_hours=draft.late_cancel_hours,
        hours=tuple((s.weekday, s.open_minute, s.close_minute) for s in spans),
        closed_days=tuple(sorted((d, " ".join(n.split())) for d, n in draft.closed_days)),
    )
    assert region is not None
    return _Valid(cleaned, region, minor, spans)


def _receipt_text(text: str, field: str, label: str) -> str:
    value = clean_block(text, field, label, MAX_RECEIPT_TEXT)
    if value.count("\n") >= MAX_RECEIPT_LINES:
        raise ValidationError(
            field,
            "{label} has at most {max_lines} lines.",
            label=label,
            max_lines=MAX_RECEIPT_LINES,
        )
    return value


def _check_days(hours: tuple[tuple[int, int, int], ...]) -> dict[str, DomainError]:
    """Each weekday's first error, so every bad day is named at once."""
    errors: dict[str, DomainError] = {}
    by_day: dict[int, list[tuple[int, int, int]]] = {}
    for span in hours:
        by_day.setdefault(span[0], []).append(span)
    for day_spans in by_day.values():
        try:
            check_hours(day_spans)
        except ValidationError as exc:
            errors.setdefault(exc.field, exc)
    return errors


def _check_closed_days(days: tuple[tuple[date, str], ...]) -> DomainError | None:
    if len(days) > MAX_CLOSED_DAYS:
        return ValidationError(
            "closed_days", "At most {count} closed days can be kept.", count=MAX_CLOSED_DAYS
        )
    seen: set[date] = set()
    for day, note in days:
        if day in seen:
            return ValidationError("closed_days", "A day is listed twice.")
        seen.add(day)
        try:
            clean_line(note, "closed_days", "The note", MAX_CLOSED_NOTE)
        except ValidationError as exc:
            return exc
    return None


def _logo_error(exc: LogoError) -> ValidationError:
    if exc.reason == "too_large":
        return ValidationError("logo", LOGO_TOO_LARGE)
    return ValidationError("logo", LOGO_NOT_IMAGE)


def draft_of(shop: ShopInfo) -> ShopDraft:
    """A shop's current values as a draft to edit."""
    return ShopDraft(
        name=shop.name,
        address=shop.address,
        phone=shop.phone,
        tax_id=shop.tax_id,
        currency=shop.currency,
        locale=shop.locale,
        timezone=shop.timezone,
        receipt_header=shop.receipt_header,
        receipt_footer=shop.receipt_footer,
        logo_png=shop.logo_png,
        default_tax_rate_bp=shop.default_tax_rate_bp,
        rounding_step=step_label(shop.rounding_step_minor, shop.currency),
        rounding_mode=shop.rounding_mode,
        rounding_cash_only=shop.rounding_cash_only,
        late_cancel_hours=shop.late_cancel_hours,
        hours=tuple((s.weekday, s.open_minute, s.close_minute) for s in shop.hours),
        closed_days=shop.closed_days,
    )


class ShopSetupService:
    """The owner's use cases for the shop itself (Permission.MANAGE_SHOP)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @staticmethod
    def check(draft: ShopDraft) -> None:
        """FormErrors naming every bad field of `draft`; pure, no database."""
        _validate(draft)

    @staticmethod
    def logo(data: bytes) -> bytes:
        """A chosen PNG or JPEG file made a receipt logo (one-bit PNG, receipt-sized);
        FormErrors at "logo" when it is not a picture or too large."""
        try:
            return prepare_logo(data)
        except LogoError as exc:
            raise FormErrors({"logo": _logo_error(exc)}) from None

    @reads
    def draft(self) -> ShopDraft:
        """The shop's current values, or the defaults on an empty database."""
        with self._uow.read() as session:
            return draft_of(load_shop(session))

    @writes
    def save(self, draft: ShopDraft, by: SignedIn) -> ShopInfo:
        """Write every value of `draft` (creating the profile on an empty database); FormErrors
        and nothing saved when any is bad."""
        by.require(Permission.MANAGE_SHOP)
        valid = _validate(draft)
        clean = valid.draft
        now = self._clock.now()
        with self._uow.write() as session:
            row = session.scalars(select(ShopProfile).order_by(ShopProfile.id).limit(1)).first()
            created = row is None
            if row is None:
                row = ShopProfile(name=clean.name, currency=clean.currency, locale=clean.locale)
                session.add(row)
            changed = _changed_fields(load_shop(session) if not created else DEFAULT_SHOP, clean)
            row.name = clean.name
            row.address = clean.address
            row.phone = clean.phone
            row.tax_id = clean.tax_id
            row.currency = clean.currency
            row.locale = clean.locale
            row.timezone = clean.timezone
            row.phone_region = valid.phone_region
            row.receipt_header = clean.receipt_header
            row.receipt_footer = clean.receipt_footer
            row.logo_png = clean.logo_png
            row.default_tax_rate_bp = clean.default_tax_rate_bp
            row.rounding_step_minor = valid.step_minor
            row.rounding_mode = clean.rounding_mode
            row.rounding_cash_only = clean.rounding_cash_only
            row.late_cancel_hours = clean.late_cancel_hours
            _replace_hours(session, valid.hours)
            _replace_closed_days(session, clean.closed_days)
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="shop",
                entity_id=row.id,
                action="shop.created" if created else "shop.updated",
                detail=",".join(changed),
            )
            return load_shop(session)


def _changed_fields(before: ShopInfo, after: ShopDraft) -> list[str]:
    """Which fields a save changes (names only: the audit says what changed, not to what)."""
    old = draft_of(before)
    return [
        name
        for name in ShopDraft.__dataclass_fields__
        if getattr(old, name) != getattr(after, name)
    ]


def _replace_hours(session: Session, spans: tuple[Span, ...]) -> None:
    existing = {
        (h.weekday, h.open_minute, h.close_minute): h
        for h in session.scalars(select(OpeningHours)).all()
    }
    wanted = {(s.weekday, s.open_minute, s.close_minute) for s in spans}
    stale = [row.id for key, row in existing.items() if key not in wanted]
    if stale:
        session.execute(delete(OpeningHours).where(OpeningHours.id.in_(stale)))
        session.flush()
    for key in sorted(wanted - existing.keys()):
        session.add(OpeningHours(weekday=key[0], open_minute=key[1], close_minute=key[2]))


def _replace_closed_days(session: Session, days: tuple[tuple[date, str], ...]) -> None:
    existing = {c.day: c for c in session.scalars(select(ClosedDay)).all()}
    wanted = dict(days)
    stale = [row.id for day, row in existing.items() if day not in wanted]
    if stale:
        session.execute(delete(ClosedDay).where(ClosedDay.id.in_(stale)))
    for day, note in wanted.items():
        row = existing.get(day)
        if row is None:
            session.add(ClosedDay(day=day, note=note))
        elif row.note != note:
            row.note = note


__all__ = [
    "ROUNDING_MODES",
    "ROUNDING_STEPS",
    "SHOP_LOCALES",
    "ShopDraft",
    "ShopSetupService",
    "draft_of",
    "hours_field",
    "phone_region",
    "time_zones",
]
