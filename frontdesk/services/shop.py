"""The shop's identity and the formatting that follows from it (money, local time)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ShopProfile
from frontdesk.domain.money import format_money
from frontdesk.domain.shop_time import shop_zone, to_local
from frontdesk.services.clock import Clock
from frontdesk.services.database import Database


@dataclass(frozen=True)
class ShopInfo:
    """Who the shop is and how it writes money and times."""

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

    def money(self, minor: int) -> str:
        return format_money(minor, self.currency, self.locale)

    def local(self, instant: datetime) -> datetime:
        return to_local(instant, self.zone)

    def time(self, instant: datetime) -> str:
        return str(format_time(self.local(instant), "short", locale=self.locale))

    def date_time(self, instant: datetime) -> str:
        """'23 Nov 2026, 10:00' in the shop's locale: minutes, not seconds."""
        local = self.local(instant)
        day = format_date(local.date(), "medium", locale=self.locale)
        return f"{day}, {format_time(local, 'short', locale=self.locale)}"

    def long_date(self, day: date) -> str:
        return str(format_date(day, "full", locale=self.locale))

    def short_date(self, day: date) -> str:
        return _medium_date(day, self.locale)

    def today(self, now: datetime) -> date:
        return self.local(now).date()


@functools.lru_cache(maxsize=8192)
def _medium_date(day: date, locale: str) -> str:
    """babel's medium date; cached, because every row of a client search shows one or two
    (babel parses the locale and the pattern on each call: a third of a search's time)."""
    return str(format_date(day, "medium", locale=locale))


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
    """The shop's identity and today's date in its zone; the base of the area services."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def info(self) -> ShopInfo:
        with self._db.read() as session:
            return load_shop(session)

    def today(self) -> date:
        """The shop-local date now (not the computer's, which may be set to another zone)."""
        return self.info().today(self._clock.now())
