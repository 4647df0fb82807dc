"""The day's appointments per therapist, in the shop's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select

from db.models import (
    Allergy,
    Appointment,
    Customer,
    Room,
    SaleLine,
    Service,
    Staff,
    WorkingHours,
)
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission, Role
from frontdesk.domain.shop_time import day_bounds_utc
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TherapistColumn:
    id: int
    name: str
    color: str
    #: Working spans that day as (start, end) minutes from local midnight; empty when off.
    hours: tuple[tuple[int, int], ...] = ()

    @property
    def hours_label(self) -> str:
        if not self.hours:
            return "Off"
        return ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in self.hours)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class AppointmentView:
    id: int
    therapist_id: int
    customer_id: int
    customer_name: str
    service_name: str
    room_name: str
    starts: datetime  # shop-local
    ends: datetime  # shop-local
    time_range: str
    status: str
    price: str
    has_allergies: bool
    paid: bool


@dataclass(frozen=True)
class DaySchedule:
    day: date
    title: str
    therapists: tuple[TherapistColumn, ...]
    appointments: tuple[AppointmentView, ...]

    def for_therapist(self, therapist_id: int) -> tuple[AppointmentView, ...]:
        return tuple(a for a in self.appointments if a.therapist_id == therapist_id)


class CalendarService:
    """Use cases of the Calendar area."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)

    def day(self, day: date, viewer: SignedIn) -> DaySchedule:
        viewer.require(Permission.VIEW_CALENDAR)
        with self._uow.read() as session:
            shop = self._shop.info()
            start, end = day_bounds_utc(day, shop.zone)
            has_allergy = exists().where(Allergy.customer_id == Appointment.customer_id)
            paid = exists().where(SaleLine.appointment_id == Appointment.id)
            rows = session.execute(
                select(
                    Appointment,
                    Customer.first_name,
                    Customer.last_name,
                    Service.name,
                    Room.name,
                    has_allergy.label("allergy"),
                    paid.label("paid"),
                )
                .join(Customer, Customer.id == Appointment.customer_id)
                .join(Service, Service.id == Appointment.service_id)
                .outerjoin(Room, Room.id == Appointment.room_id)
                .where(Appointment.starts_at >= start, Appointment.starts_at < end)
                .order_by(Appointment.starts_at)
            ).all()
            busy = {row[0].staff_id for row in rows}
            staff = session.execute(
                select(
                    Staff.id, Staff.display_name, Staff.color, Staff.role, Staff.active
                ).order_by(Staff.display_name)
            ).all()
            show_health = viewer.can(Permission.VIEW_HEALTH)
            hours: dict[int, list[tuple[int, int]]] = {}
            for staff_id, start_minute, end_minute in session.execute(
                select(WorkingHours.staff_id, WorkingHours.start_minute, WorkingHours.end_minute)
                .where(WorkingHours.weekday == day.weekday())
                .order_by(WorkingHours.start_minute)
            ).tuples():
                hours.setdefault(staff_id, []).append((start_minute, end_minute))
            therapists = tuple(
                TherapistColumn(s.id, s.display_name, s.color, tuple(hours.get(s.id, ())))
                for s in staff
                if s.id in busy or (s.role == Role.THERAPIST.value and s.active)
            )
            appointments = tuple(
                AppointmentView(
                    id=appt.id,
                    therapist_id=appt.staff_id,
                    customer_id=appt.customer_id,
                    customer_name=display_name(first, last),
                    service_name=service,
                    room_name=room or "",
                    starts=shop.local(appt.starts_at),
                    ends=shop.local(appt.ends_at),
                    time_range=f"{shop.time(appt.starts_at)}–{shop.time(appt.ends_at)}",
                    status=appt.status,
                    price=shop.money(appt.price_minor),
                    has_allergies=bool(allergy) and show_health,
                    paid=bool(is_paid),
                )
                for appt, first, last, service, room, allergy, is_paid in rows
            )
            return DaySchedule(day, shop.long_date(day), therapists, appointments)
