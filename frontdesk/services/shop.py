"""The shop's identity: name, currency, language, time zone, hours, receipts and rounding; read
once, refreshed on change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ClosedDay, OpeningHours, ShopProfile
from frontdesk.domain.formats import Formats
from frontdesk.domain.money import Money
from frontdesk.domain.opening import RoundingRule, Span, longest_opening
from frontdesk.domain.shop_time import shop_zone, to_local
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.clock import Clock
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ShopInfo:
    """Who the shop is: its name, currency, language and time zone, when it opens, how its
    receipts look and how it rounds."""

    name: str
    address: str
    phone: str
    tax_id: str
    currency: str
    locale: str
    timezone: str
    phone_region: str
    receipt_footer: str
    receipt_header: str = ""
    #: A one-bit PNG at most receipt-wide (printing/logo.py), or None.
    logo_png: bytes | None = None
    default_tax_rate_bp: int = 0
    #: Totals are rounded to a multiple of this many minor units (1 = no rounding).
    rounding_step_minor: int = 1
    rounding_mode: str = "half_up"
    rounding_cash_only: bool = True
    #: A cancellation this many hours or fewer before the start is late (0: none is).
    late_cancel_hours: int = 24
    #: Opening spans, ordered by weekday (0 = Monday) and opening time; none = never open.
    hours: tuple[Span, ...] = ()
    #: Closed days (holidays) in date order, each with its note.
    closed_days: tuple[tuple[date, str], ...] = ()

    @property
    def rounding(self) -> RoundingRule:
        """How this shop rounds what is paid."""
        return RoundingRule(self.rounding_step_minor, self.rounding_mode, self.rounding_cash_only)

    def rounded(self, minor: int, *, cash: bool) -> int:
        """`minor` as the rounding rule says it is paid: in cash, or by any means when the
        shop rounds every payment."""
        return minor + self.rounding.rounding(minor, cash=cash)

    def hours_on(self, weekday: int) -> tuple[Span, ...]:
        return tuple(span for span in self.hours if span.weekday == weekday)

    def closed_on(self, day: date) -> bool:
        """Whether the shop is closed on `day`: a closed day, or a weekday it never opens
        (a shop with no hours at all is taken as open, as before hours existed)."""
        if any(closed == day for closed, _note in self.closed_days):
            return True
        return bool(self.hours) and not self.hours_on(day.weekday())

    @property
    def longest_opening(self) -> int:
        """Minutes of the longest opening without a break (0 when no hours are set)."""
        return longest_opening(self.hours)

    @property
    def zone(self) -> ZoneInfo:
        return shop_zone(self.timezone)

    @property
    def formats(self) -> Formats:
        """Formats in the shop's own language (receipts, reports, the CLI)."""
        return Formats(self.locale, self.zone)

    def amount(self, minor: int) -> Money:
        return Money(minor, self.currency)

    def money(self, minor: int) -> str:
        return self.formats.money(self.amount(minor))

    def local(self, instant: datetime) -> datetime:
        return to_local(instant, self.zone)

    def time(self, instant: datetime) -> str:
        return self.formats.time(instant)

    def date_time(self, instant: datetime) -> str:
        return self.formats.date_time(instant)

    def long_date(self, day: date) -> str:
        return self.formats.long_date(day)

    def short_date(self, day: date) -> str:
        return self.formats.short_date(day)

    def today(self, now: datetime) -> date:
        return self.local(now).date()


DEFAULT_SHOP = ShopInfo(
    name="FrontDesk Spa",
    address="",
    phone="",
    tax_id="",
    currency="GBP",
    locale="en_GB",
    timezone="Europe/London",
    phone_region="GB",
    receipt_footer="Thank you for your visit",
)


def load_shop(session: Session) -> ShopInfo:
    """The shop profile row, or sensible defaults on a new, empty database."""
    row = session.scalars(select(ShopProfile).order_by(ShopProfile.id).limit(1)).first()
    if row is None:
        return DEFAULT_SHOP
    hours = session.scalars(
        select(OpeningHours).order_by(OpeningHours.weekday, OpeningHours.open_minute)
    ).all()
    closed = session.scalars(select(ClosedDay).order_by(ClosedDay.day)).all()
    return ShopInfo(
        name=row.name,
        address=row.address,
        phone=row.phone,
        tax_id=row.tax_id,
        currency=row.currency,
        locale=row.locale,
        timezone=row.timezone,
        phone_region=row.phone_region,
        receipt_footer=row.receipt_footer,
        receipt_header=row.receipt_header,
        logo_png=row.logo_png,
        default_tax_rate_bp=row.default_tax_rate_bp,
        rounding_step_minor=row.rounding_step_minor,
        rounding_mode=row.rounding_mode,
        rounding_cash_only=row.rounding_cash_only,
        late_cancel_hours=row.late_cancel_hours,
        hours=tuple(Span(h.weekday, h.open_minute, h.close_minute) for h in hours),
        closed_days=tuple((c.day, c.note) for c in closed),
    )


class ShopService:
    """The shop's profile, read once and read again only when it changes (here or at another
    terminal), and today's date in the shop's zone."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._cached: ShopInfo | None = None
        uow.subscribe(self._on_changes)

    def info(self) -> ShopInfo:
        cached = self._cached
        if cached is None:
            with self._uow.read() as session:
                cached = self._cached = load_shop(session)
        return cached

    def today(self) -> date:
        """The shop-local date now (not the computer's, which may be set to another zone)."""
        return self.info().today(self._clock.now())

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(ChangeKind.SHOP):
            self._cached = None
