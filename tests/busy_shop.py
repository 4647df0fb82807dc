"""A shop with a busy calendar: N therapists working Monday to Saturday 09:00-18:00 with a lunch
break, most of each day booked, for the free-slot search's tests and its measurements (bulk
inserts: 60 days of 10 therapists is a second or two)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from db.models import (
    Appointment,
    Customer,
    Room,
    Service,
    ServiceCategory,
    ShopProfile,
    Staff,
    StaffBreak,
    WorkingHours,
)
from frontdesk.services.unit_of_work import UnitOfWork

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class BusyShop:
    owner_id: int
    staff_ids: tuple[int, ...]
    massage_id: int  # 60 minutes + 15 cleanup
    long_ritual_id: int  # 120 minutes + 15, a room of kind "spa": needs two free hours
    first_day: date
    appointments: int


def seed_busy_shop(
    database: UnitOfWork,
    first_day: date,
    *,
    therapists: int = 10,
    days: int = 60,
    booked: float = 0.85,
    seed: int = 8,
) -> BusyShop:
    """Book about `booked` of every working hour from `first_day` for `days` days."""
    rng = random.Random(seed)
    with database.write() as s:
        s.add(
            ShopProfile(
                name="Busy Spa",
                address="",
                phone="",
                tax_id="",
                currency="GBP",
                locale="en_GB",
                timezone="Europe/London",
                phone_region="GB",
                receipt_footer="",
            )
        )
        owner = Staff(display_name="Olivia Owner", role="owner", pin_hash="")
        cat = ServiceCategory(name="Massage")
        massage = Service(category=cat, name="Massage", duration_minutes=60, buffer_minutes=15,
                          price_minor=6000)  # fmt: skip
        ritual = Service(category=cat, name="Spa ritual", duration_minutes=120, buffer_minutes=15,
                         price_minor=15000, room_kind="spa")  # fmt: skip
        s.add_all([owner, massage, ritual])
        s.add_all(Room(name=f"Spa {n}", kind="spa", capacity=1) for n in (1, 2))
        staff = [
            Staff(display_name=f"Therapist {n:02d}", role="therapist", pin_hash="")
            for n in range(therapists)
        ]
        s.add_all(staff)
        s.flush()
        for person in staff:
            for weekday in range(6):
                s.add(WorkingHours(staff_id=person.id, weekday=weekday, start_minute=9 * 60,
                                   end_minute=18 * 60))  # fmt: skip
                s.add(StaffBreak(staff_id=person.id, weekday=weekday, start_minute=13 * 60,
                                 end_minute=14 * 60))  # fmt: skip
        now = datetime.now(UTC)
        result = s.execute(
            insert(Customer).returning(Customer.id),
            [
                {
                    "first_name": f"Client{n}",
                    "last_name": "Busy",
                    "search_name": f"client{n} busy",
                    "search_name_rev": f"busy client{n}",
                    "phone": None,
                    "phone_digits": "",
                    "card_number": None,
                    "created_at": now,
                }
                for n in range(300)
            ],
        )
        clients = [row[0] for row in result]
        rows = []
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            if day.weekday() == 6:
                continue
            for person in staff:
                for start in (9 * 60, 10 * 60 + 15, 11 * 60 + 30, 14 * 60, 15 * 60 + 15,
                              16 * 60 + 30):  # fmt: skip
                    if rng.random() > booked:
                        continue
                    starts = datetime.combine(day, time(start // 60, start % 60), LONDON)
                    rows.append(
                        {
                            "customer_id": rng.choice(clients),
                            "staff_id": person.id,
                            "room_id": None,
                            "service_id": massage.id,
                            "starts_at": starts.astimezone(UTC),
                            "ends_at": (starts + timedelta(minutes=60)).astimezone(UTC),
                            "status": "booked",
                            "price_minor": 6000,
                            "created_at": now,
                        }
                    )
        s.execute(insert(Appointment), rows)
        return BusyShop(
            owner.id,
            tuple(p.id for p in staff),
            massage.id,
            ritual.id,
            first_day,
            len(rows),
        )
