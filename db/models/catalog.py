"""What the shop sells: service categories, services (with dated prices, tags and the
equipment they need) and retail products (with their stock movements)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime

#: What a tag on a service or product says: it contains an ingredient (matched against a
#: client's allergies) or it must not be given to someone with a contraindication.
TAG_KINDS = ("ingredient", "contraindication")
#: Why a product's stock changed.
STOCK_REASONS = ("delivery", "count", "damage", "sale", "return", "correction")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class ServiceCategory(Base):
    __tablename__ = "service_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: "#rrggbb" the calendar colours its services' blocks with; "" for one from a palette.
    color: Mapped[str] = mapped_column(String(7), default="")

    services: Mapped[list[Service]] = relationship(back_populates="category")


class Service(Base):
    """A bookable treatment; price is tax-inclusive minor units, tax rate in basis points.

    `price_minor` and `tax_rate_bp` are the price from the start; a `ServicePrice` row
    replaces them from its date on, so past sales and bookings keep the price they had.
    """

    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("tax_rate_bp >= 0", name="tax_not_negative"),
        CheckConstraint("capacity_used >= 1", name="capacity_used_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    price_minor: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The kind of room it needs ("treatment", "couples", "sauna"...); None for no room.
    room_kind: Mapped[str | None] = mapped_column(String(40), default=None)
    #: Places it takes in that room: 1 sauna place, 2 in a couples room.
    capacity_used: Mapped[int] = mapped_column(Integer, default=1)
    bookable: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[ServiceCategory] = relationship(back_populates="services")


class ServicePrice(Base):
    """A service's price and tax rate from a shop-local date on."""

    __tablename__ = "service_prices"
    __table_args__ = (
        UniqueConstraint("service_id", "starts_on"),
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name="tax_rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    price_minor: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer)


class ServiceTag(Base):
    __tablename__ = "service_tags"
    __table_args__ = (
        UniqueConstraint("service_id", "kind", "tag"),
        CheckConstraint(_in("kind", TAG_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    tag: Mapped[str] = mapped_column(String(60))


class ServiceEquipment(Base):
    """Equipment (a `Resource`) a service needs while it runs."""

    __tablename__ = "service_equipment"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    service_id: Mapped[int] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint("tax_rate_bp >= 0", name="tax_not_negative"),
        CheckConstraint("low_stock_level >= 0", name="low_stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    price_minor: Mapped[int] = mapped_column(Integer)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: At or below this many on hand, the product is shown as running low.
    low_stock_level: Mapped[int] = mapped_column(Integer, default=0)


class ProductTag(Base):
    __tablename__ = "product_tags"
    __table_args__ = (
        UniqueConstraint("product_id", "kind", "tag"),
        CheckConstraint(_in("kind", TAG_KINDS), name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    tag: Mapped[str] = mapped_column(String(60))


class StockMovement(Base):
    """One change to a product's stock, with why and who; `stock_after` is the new count."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(_in("reason", STOCK_REASONS), name="reason_known"),
        CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    change: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
