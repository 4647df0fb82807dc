"""The shop's identity: name, currency, language, time zone; read once, refreshed on change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ShopProfile
from frontdesk.domain.formats import Formats
from frontdesk.domain.money import Money
from frontdesk.domain.shop_time import shop_zone, to_local
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.clock import Clock
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ShopInfo:
    """Who the shop is: its name, currency, language and time zone."""

    name: str
    address: str
    phone: str
    tax_id: str
    currency: str
    locale: str
    timezone: str
    phone_region: str
    receipt_footer: str

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
