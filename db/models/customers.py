"""Clients, their preferences and their allergies (health data: sensitive)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        # Name-prefix search: a case-folded "first last" and "last first" with plain indexes.
        Index("ix_customers_search_name", "search_name"),
        Index("ix_customers_search_name_rev", "search_name_rev"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    search_name: Mapped[str] = mapped_column(String(161))
    search_name_rev: Mapped[str] = mapped_column(String(161))
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_digits: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    birthday: Mapped[date | None] = mapped_column(Date)
    card_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    marketing_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    preferences: Mapped[list[Preference]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Preference.id"
    )
    allergies: Mapped[list[Allergy]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Allergy.id"
    )


class Preference(Base):
    """Something the client likes or dislikes: 'pressure: firm', 'music: none'."""

    __tablename__ = "preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship(back_populates="preferences")


class Allergy(Base):
    """An allergy or contraindication; shown prominently to those whose role needs it."""

    __tablename__ = "allergies"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    substance: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str] = mapped_column(String(16), default="moderate")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="allergies")
