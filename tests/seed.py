"""A small, hand-made shop for service and GUI tests (the demo generator is tested on its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from db.models import (
    Allergy,
    Appointment,
    Customer,
    Preference,
    Room,
    Service,
    ServiceCategory,
    ShopProfile,
    Staff,
    WorkingHours,
)
from frontdesk.domain.search_text import client_search_keys
from frontdesk.services.auth import hash_pin
from frontdesk.services.unit_of_work import UnitOfWork

PIN = "1234"


@cache
def pin_hash() -> str:
    """argon2id is deliberately slow: hash the tests' PIN once per run."""
    return hash_pin(PIN)


@dataclass(frozen=True)
class SeededShop:
    owner_id: int
    receptionist_id: int
    therapist_id: int
    therapist2_id: int
    anna_id: int  # client with an allergy and a card
    boris_id: int  # Cyrillic client
    wang_id: int  # Chinese client
    morning_appt_id: int  # Anna, 10:00 today with the first therapist (£85)
    afternoon_appt_id: int  # 王芳, 14:00 today with the second therapist (£60)


def _customer(
    first: str, last: str, phone: str | None, card: str | None, now: datetime
) -> Customer:
    return Customer(
        first_name=first,
        last_name=last,
        **client_search_keys(first, last, phone, None, "GB").as_columns(),
        phone=phone,
        card_number=card,
        created_at=now - timedelta(days=400),
        birthday=date(1990, 5, 17),
    )


def seed_small_shop(database: UnitOfWork, now: datetime) -> SeededShop:
    with database.write() as s:
        s.add(
            ShopProfile(
                name="Willow Test Spa",
                address="1 High Street\nLondon",
                phone="020 7946 0000",
                tax_id="VAT GB123456789",
                currency="GBP",
                locale="en_GB",
                timezone="Europe/London",
                phone_region="GB",
                receipt_footer="Thank you!",
            )
        )
        owner = Staff(display_name="Olivia Owner", role="owner", pin_hash=pin_hash())
        desk = Staff(display_name="Rita Reception", role="receptionist", pin_hash=pin_hash())
        ther = Staff(
            display_name="Tom Therapist", role="therapist", pin_hash=pin_hash(), color="#e07a5f"
        )
        # Tom works Mondays 09:00-18:00 (NOW is a Monday); Uma has no hours: she is off.
        ther.hours.append(WorkingHours(weekday=0, start_minute=9 * 60, end_minute=18 * 60))
        ther2 = Staff(
            display_name="Uma Therapist", role="therapist", pin_hash=pin_hash(), color="#81b29a"
        )
        room = Room(name="Garden Room", capacity=1)
        cat = ServiceCategory(name="Massage", sort_order=1)
        deep = Service(
            category=cat,
            name="Deep Tissue Massage",
            duration_minutes=60,
            buffer_minutes=15,
            price_minor=8500,
            tax_rate_bp=2000,
        )
        facial = Service(
            category=cat,
            name="Hot Stone Facial",
            duration_minutes=45,
            buffer_minutes=10,
            price_minor=6000,
            tax_rate_bp=2000,
        )
        anna = _customer("Anna", "Smith", "+447700900123", "FD-0000001", now)
        anna.allergies.append(
            Allergy(substance="Nut oil", severity="severe", notes="Use grapeseed", recorded_at=now)
        )
        anna.preferences.append(Preference(topic="Pressure", value="Firm"))
        boris = _customer("Борис", "Иванов", "+79161234567", "FD-0000002", now)
        wang = _customer("芳", "王", "+8613800138000", None, now)
        s.add_all([owner, desk, ther, ther2, room, deep, facial, anna, boris, wang])
        s.flush()
        morning = Appointment(
            customer=anna,
            staff=ther,
            room=room,
            service=deep,
            starts_at=now,
            ends_at=now + timedelta(minutes=60),
            price_minor=8500,
        )
        afternoon = Appointment(
            customer=wang,
            staff=ther2,
            room=room,
            service=facial,
            starts_at=now + timedelta(hours=4),
            ends_at=now + timedelta(hours=4, minutes=45),
            price_minor=6000,
        )
        s.add_all([morning, afternoon])
        s.flush()
        return SeededShop(
            owner.id,
            desk.id,
            ther.id,
            ther2.id,
            anna.id,
            boris.id,
            wang.id,
            morning.id,
            afternoon.id,
        )
