"""Clients, their preferences and their allergies (health data: sensitive)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        # Name-prefix search: a case-folded "first last" and "last first" with plain indexes.
        Index("ix_customers_search_name", "search_name"),
        Index("ix_customers_search_name_rev", "search_name_rev"),
        # Chinese names by the initials of their pinyin ("wf" for 王芳), both orders.
        Index("ix_customers_search_initials", "search_initials"),
        Index("ix_customers_email_folded", "email_folded"),
        Index("ix_customers_phone_national", "phone_national"),
        # "Recent visitors first" among equal matches.
        Index("ix_customers_last_visit_at", "last_visit_at"),
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
    # -- issue 9 (migration 0006)
    #: Pinyin initials of a Chinese name, "given family" and "family given" ("fw wf"); "".
    search_initials: Mapped[str] = mapped_column(String(80), default="")
    email_folded: Mapped[str] = mapped_column(String(200), default="")
    #: The phone's national significant number as digits ("9161234567" for +7 916 123-45-67),
    #: so a number typed with a trunk prefix ("8 916...") or without its country code matches.
    phone_national: Mapped[str] = mapped_column(String(20), default="")
    #: How marketing consent was given ("sms", "email", "phone", "in_person", "messenger").
    marketing_consent_channel: Mapped[str] = mapped_column(String(16), default="")
    #: Consent to keep health data (allergies, contraindications, patch tests, notes).
    health_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    health_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    preferred_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    #: A small photo for the card header; None shows the initials.
    photo_png: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    #: Visits brought over from a previous system (counted with ours on the card).
    imported_visits: Mapped[int] = mapped_column(Integer, default=0)
    #: Kept up to date at checkout: the last completed visit (search ranks recent visitors).
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Erased at the client's request: personal data gone, sales kept under a pseudonym.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Merged into another record (this one is kept only as a pointer).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))

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


#: What a health entry is.
HEALTH_KINDS = ("allergy", "contraindication")


class Allergy(Base):
    """An allergy or contraindication; shown prominently to those whose role needs it.

    Issue 9 keeps its text sealed (AES-GCM, frontdesk/services/health_vault.py) in
    `substance_sealed` / `notes_sealed`; the plain `substance` / `notes` columns of older
    databases are emptied when the program seals them."""

    __tablename__ = "allergies"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in HEALTH_KINDS) + ")", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    substance: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str] = mapped_column(String(16), default="moderate")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20), default="allergy")
    substance_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    notes_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    customer: Mapped[Customer] = relationship(back_populates="allergies")


class PatchTest(Base):
    """A patch test (a dye, a peel) and its result; sealed like every health entry."""

    __tablename__ = "patch_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    tested_on: Mapped[date] = mapped_column(Date)
    #: What was tested and how it went, sealed.
    product_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    result_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class TreatmentNote(Base):
    """A therapist's note on a visit (or on the client, between visits); sealed."""

    __tablename__ = "treatment_notes"
    __table_args__ = (Index("ix_treatment_notes_customer_written", "customer_id", "written_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ClientTag(Base):
    """A short label on a client ("VIP", "prefers mornings", "student")."""

    __tablename__ = "client_tags"
    __table_args__ = (UniqueConstraint("customer_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    tag: Mapped[str] = mapped_column(String(40))


class SafetyOverride(Base):
    """A booking or sale that matched a client's allergy or contraindication and went ahead
    with a reason. Names the rule's tag kind, never the client's health text."""

    __tablename__ = "safety_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))


#: Why a client's points changed.
LOYALTY_REASONS = ("earned", "redeemed", "adjusted", "imported", "merged", "reversed")


class LoyaltyEntry(Base):
    """One change to a client's points: the balance is their sum (a ledger, never edited)."""

    __tablename__ = "loyalty_entries"
    __table_args__ = (
        CheckConstraint(
            "reason IN (" + ", ".join(f"'{r}'" for r in LOYALTY_REASONS) + ")",
            name="reason_known",
        ),
        Index("ix_loyalty_entries_customer_at", "customer_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id", ondelete="SET NULL"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(String(200), default="")


class LoyaltyTier(Base):
    """A loyalty tier ("Silver", "Gold") reached at a lifetime spend."""

    __tablename__ = "loyalty_tiers"
    __table_args__ = (CheckConstraint("min_spend_minor >= 0", name="min_spend_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    min_spend_minor: Mapped[int] = mapped_column(Integer)
    #: Extra points per 100 earned (a Gold client earns 150 where others earn 100): percent.
    points_percent: Mapped[int] = mapped_column(Integer, default=100)
