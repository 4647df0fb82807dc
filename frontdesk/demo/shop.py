"""The small tables of a demo shop: profile, staff and rota, rooms, resources, menu, shelf."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from frontdesk.demo.booking import Shift, Treatment
from frontdesk.demo.catalogue import Catalogue, RoomKind
from frontdesk.demo.people import THERAPIST_SHIFTS, StaffMember
from frontdesk.demo.writer import Codec, Row


def ean13(first_twelve: str) -> str:
    """An EAN-13 code: twelve digits and their check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


@dataclass
class ShopRows:
    profile: Row
    staff: list[Row] = field(default_factory=list)
    hours: list[Row] = field(default_factory=list)
    rooms: list[Row] = field(default_factory=list)
    resources: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    services: list[Row] = field(default_factory=list)
    products: list[Row] = field(default_factory=list)
    # what the scheduler and the sales need
    shifts: list[Shift] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    room_kinds: list[tuple[int, RoomKind, int]] = field(default_factory=list)


def shop_rows(
    catalogue: Catalogue,
    staff: list[StaffMember],
    pin_hash: str,
    codec: Codec,
    seed: int,
) -> ShopRows:
    rng = random.Random(f"{seed}:shop")
    spec = catalogue.shop
    rows = ShopRows(
        profile={
            "id": 1,
            "name": spec.name,
            "address": spec.address,
            "phone": spec.phone,
            "tax_id": spec.tax_id,
            "currency": spec.currency,
            "locale": spec.locale,
            "timezone": spec.timezone,
            "phone_region": spec.phone_region,
            "receipt_footer": spec.receipt_footer,
        }
    )
    therapists = iter(THERAPIST_SHIFTS)
    for member in staff:
        rows.staff.append(
            {
                "id": member.id,
                "display_name": member.display_name,
                "role": member.role,
                "pin_hash": pin_hash,
                "active": codec.true,
                "failed_pin_attempts": 0,
                "locked_until": None,
                "color": member.color,
            }
        )
        if member.role != "therapist":
            continue
        weekdays, start, end = next(therapists)
        rows.shifts.append(Shift(member.id, weekdays, start, end))
        for weekday in sorted(weekdays):
            rows.hours.append(
                {
                    "id": len(rows.hours) + 1,
                    "staff_id": member.id,
                    "weekday": weekday,
                    "start_minute": start,
                    "end_minute": end,
                }
            )
    for room_id, room in enumerate(catalogue.rooms, start=1):
        rows.rooms.append(
            {"id": room_id, "name": room.name, "capacity": room.capacity, "active": codec.true}
        )
        rows.room_kinds.append((room_id, room.kind, room.capacity))
    for resource_id, (name, quantity) in enumerate(catalogue.resources, start=1):
        rows.resources.append(
            {"id": resource_id, "name": name, "quantity": quantity, "active": codec.true}
        )
    for category_id, category in enumerate(catalogue.categories, start=1):
        rows.categories.append(
            {"id": category_id, "name": category.name, "sort_order": category_id}
        )
        for service in category.services:
            service_id = len(rows.services) + 1
            price_minor = service.price * 100
            rows.services.append(
                {
                    "id": service_id,
                    "category_id": category_id,
                    "name": service.name,
                    "duration_minutes": service.minutes,
                    "buffer_minutes": service.buffer,
                    "price_minor": price_minor,
                    "tax_rate_bp": spec.tax_rate_bp,
                    "active": codec.true,
                }
            )
            rows.treatments.append(
                Treatment(
                    id=service_id,
                    minutes=service.minutes,
                    buffer=service.buffer,
                    price_minor=price_minor,
                    room=service.room,
                    weight=category.weight / len(category.services),
                    client=service.client,
                )
            )
    company = f"{rng.randrange(10_000, 100_000)}"
    per_prefix: dict[str, int] = {}
    for product_id, product in enumerate(catalogue.products, start=1):
        per_prefix[product.sku_prefix] = per_prefix.get(product.sku_prefix, 0) + 1
        rows.products.append(
            {
                "id": product_id,
                "sku": f"{product.sku_prefix}-{per_prefix[product.sku_prefix]:03d}",
                "barcode": ean13(f"{catalogue.ean_prefix}{company}{product_id:05d}"),
                "name": product.name,
                "price_minor": product.price_minor,
                "tax_rate_bp": spec.tax_rate_bp,
                "stock": rng.randrange(0, 60),
                "active": codec.true,
            }
        )
    return rows
