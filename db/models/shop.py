"""The shop's identity, shared by every terminal: name, address, currency, locale, zone, the
hours it opens, the days it is closed, and how its receipts look and round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

#: How a total is rounded to the shop's rounding step (e.g. cash to the nearest 0.10).
ROUNDING_MODES = ("half_up", "half_even", "down", "up")


class ShopProfile(Base):
    __tablename__ = "shop_profile"
    __table_args__ = (
        CheckConstraint("default_tax_rate_bp BETWEEN 0 AND 10000", name="default_tax_rate_range"),
        CheckConstraint("rounding_step_minor >= 1", name="rounding_step_positive"),
        CheckConstraint(
            "rounding_mode IN (" + ", ".join(f"'{m}'" for m in ROUNDING_MODES) + ")",
            name="rounding_mode_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    tax_id: Mapped[str] = mapped_column(String(40), default="")
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    phone_region: Mapped[str] = mapped_column(String(2))
    receipt_footer: Mapped[str] = mapped_column(String(400), default="")
    receipt_header: Mapped[str] = mapped_column(String(400), default="")
    #: A small PNG printed on receipts and drawn on PDFs; None for none.
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    default_tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    #: Totals are rounded to a multiple of this many minor units (1 = no rounding).
    rounding_step_minor: Mapped[int] = mapped_column(Integer, default=1)
    rounding_mode: Mapped[str] = mapped_column(String(16), default="half_up")
    #: Round only what is paid in cash (the usual rule where small coins are withdrawn).
    rounding_cash_only: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Steps of the guided start that are finished or skipped, comma-separated names.
    setup_steps_done: Mapped[str] = mapped_column(String(200), default="")
    #: A cancellation this many hours or less before the start counts as late.
    late_cancel_hours: Mapped[int] = mapped_column(Integer, default=24)
    #: Loyalty points earned per whole currency unit paid (0 = no loyalty scheme).
    points_per_unit: Mapped[int] = mapped_column(Integer, default=1)
    #: A known value sealed with the health-data key: tells "wrong key" from "no data yet".
    health_key_check: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class OpeningHours(Base):
    """One opening span on a weekday (0 = Monday), in minutes from local midnight."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        UniqueConstraint("weekday", "open_minute"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("open_minute >= 0 AND close_minute <= 1440", name="minute_range"),
        CheckConstraint("open_minute < close_minute", name="open_before_close"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    open_minute: Mapped[int] = mapped_column(Integer)
    close_minute: Mapped[int] = mapped_column(Integer)


class ClosedDay(Base):
    """A day the shop is closed (a public holiday, a staff outing)."""

    __tablename__ = "closed_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    note: Mapped[str] = mapped_column(String(120), default="")
