"""The small tables of a demo shop: profile, staff and rota, rooms, resources, menu, shelf."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from frontdesk.demo.booking import Rooms, Treatment
from frontdesk.demo.catalogue import Catalogue, RoomKind, kind_word
from frontdesk.demo.roster import Roster
from frontdesk.demo.writer import Codec, Row

#: The demo shop's category colours (light: the calendar writes dark text on them).
DEMO_CATEGORY_COLORS = ("#a8d5e2", "#f9d49c", "#b5e3b0", "#f4b6c2", "#cdb4db", "#ffe5a3")
#: Rooms a shop adds for each rota of eight therapists past the first.
ROOMS_PER_BLOCK = 4


def ean13(first_twelve: str) -> str:
    """An EAN-13 code: twelve digits and their check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


@dataclass
class ShopRows:
    profile: Row
    staff: list[Row] = field(default_factory=list)
    hours: list[Row] = field(default_factory=list)
    opening: list[Row] = field(default_factory=list)
    qualifications: list[Row] = field(default_factory=list)
    rooms: list[Row] = field(default_factory=list)
    resources: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    services: list[Row] = field(default_factory=list)
    products: list[Row] = field(default_factory=list)
    # what the scheduler and the sales need
    treatments: list[Treatment] = field(default_factory=list)
    room_kinds: list[tuple[int, RoomKind, int]] = field(default_factory=list)

    @property
    def bookable_rooms(self) -> Rooms:
        return Rooms(self.room_kinds)


def shop_rows(
    catalogue: Catalogue,
    roster: Roster,
    pin_hash: str,
    codec: Codec,
    seed: int,
) -> ShopRows:
    """The shop's own rows: everyone on the roster (with the working hours of therapists, the
    former ones included), and the rooms of a shop with as many therapists."""
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
            "default_tax_rate_bp": spec.tax_rate_bp,
            # A shop made whole by the demo needs no guided start.
            "setup_steps_done": "staff,services,rooms,printer",
        }
    )
    for member in roster.members:
        rows.staff.append(
            {
                "id": member.id,
                "display_name": member.display_name,
                "role": member.role.value,
                "pin_hash": pin_hash,
                "active": codec.true if member.active else codec.false,
                "failed_pin_attempts": 0,
                "locked_until": None,
                "color": member.color,
            }
        )
        if member.shift is None:
            continue
        for weekday in sorted(member.shift.weekdays):
            rows.hours.append(
                {
                    "id": len(rows.hours) + 1,
                    "staff_id": member.id,
                    "weekday": weekday,
                    "start_minute": member.shift.start,
                    "end_minute": member.shift.end,
                }
            )
    rows.opening = opening_hours(roster)
    extra = catalogue.more_rooms[: ROOMS_PER_BLOCK * (roster.blocks - 1)]
    for room_id, room in enumerate((*catalogue.rooms, *extra), start=1):
        rows.rooms.append(
            {
                "id": room_id,
                "name": room.name,
                "kind": kind_word(room.kind, spec.locale),
                "capacity": room.capacity,
                "active": codec.true,
            }
        )
        rows.room_kinds.append((room_id, room.kind, room.capacity))
    for resource_id, (name, quantity) in enumerate(catalogue.resources, start=1):
        rows.resources.append(
            {
                "id": resource_id,
                "name": name,
                "kind": "",
                "quantity": quantity,
                "active": codec.true,
            }
        )
    for category_id, category in enumerate(catalogue.categories, start=1):
        rows.categories.append(
            {
                "id": category_id,
                "name": category.name,
                "sort_order": category_id,
                "active": codec.true,
                # the calendar colours blocks by category: the demo shop chose its own
                "color": DEMO_CATEGORY_COLORS[(category_id - 1) % len(DEMO_CATEGORY_COLORS)],
            }
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
                    "room_kind": kind_word(service.room, spec.locale),
                    "capacity_used": 2 if service.room is RoomKind.COUPLES else 1,
                    "bookable": codec.true,
                    "sort_order": service_id,
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
                "low_stock_level": 5,
            }
        )
    therapists = [m.id for m in roster.members if m.shift is not None]
    rows.qualifications = [
        {"staff_id": staff_id, "service_id": service["id"]}
        for staff_id in therapists
        for service in rows.services
    ]
    return rows


def opening_hours(roster: Roster) -> list[Row]:
    """The shop opens, each weekday, from its first therapist's start to its last one's end."""
    spans: dict[int, tuple[int, int]] = {}
    for shift in roster.shifts:
        for weekday in shift.weekdays:
            start, end = spans.get(weekday, (shift.start, shift.end))
            spans[weekday] = (min(start, shift.start), max(end, shift.end))
    return [
        {"id": i, "weekday": day, "open_minute": start, "close_minute": end}
        for i, (day, (start, end)) in enumerate(sorted(spans.items()), start=1)
    ]
