"""The day's appointments per therapist, in the shop's time.

Values only: times are aware datetimes in the shop's zone, prices `Money`, statuses the domain's
`AppointmentStatus`, working hours minutes from local midnight. The window writes them in its
language (frontdesk/ui/calendar).
"""

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
    StaffAbsence,
    StaffBreak,
    WorkingHours,
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission, Role
from frontdesk.domain.shop_time import day_bounds_utc, to_local
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads


@dataclass(frozen=True)
class TherapistColumn:
    id: int
    name: str
    color: str
    #: Working spans that day as (start, end) minutes from local midnight; empty when off
    #: (no hours that weekday, or away that day: a day off, holiday, sick day, training).
    hours: tuple[tuple[int, int], ...] = ()
    #: Breaks that day, (start, end) minutes from local midnight; empty when off.
    breaks: tuple[tuple[int, int], ...] = ()

    @property
    def off(self) -> bool:
        return not self.hours


@dataclass(frozen=True)
class RoomColumn:
    """A room as a calendar column (the day view "per room")."""

    id: int
    name: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class AppointmentView:
    id: int
    therapist_id: int
    customer_id: int
    customer_name: str
    service_name: str
    room_name: str
    starts: datetime  # aware, in the shop's zone
    ends: datetime  # aware, in the shop's zone
    status: AppointmentStatus
    price: Money
    has_allergies: bool
    paid: bool
    # -- issue 8: filled by CalendarService (defaults keep older callers working)
    room_id: int | None = None
    service_id: int = 0
    #: The service category's colour ("#rrggbb"); blocks are coloured by it.
    category_color: str = ""
    #: Cleanup after it, in minutes (drawn as a hatched tail; the therapist and room are held).
    buffer_minutes: int = 0
    #: The client's first visit (no completed appointment before this one).
    first_visit: bool = False
    #: The appointment or client has notes worth reading (an icon; the text is on the card).
    has_notes: bool = False
    therapist_name: str = ""
    booking_id: int | None = None
    series_id: int | None = None
    late_cancel: bool = False
    #: Places it takes in its room (a sauna visit takes 1 of 6).
    places: int = 1

    @property
    def payable(self) -> bool:
        """Whether checkout may still take payment for it."""
        return not self.paid and self.status.payable


@dataclass(frozen=True)
class DaySchedule:
    day: date
    therapists: tuple[TherapistColumn, ...]
    appointments: tuple[AppointmentView, ...]
    # -- issue 8 (defaults keep older callers working)
    #: Active rooms, for the day view "per room".
    rooms: tuple[RoomColumn, ...] = ()
    #: The shop's opening spans that day (minutes from local midnight); None: no hours set.
    opening: tuple[tuple[int, int], ...] | None = None
    #: The shop is closed that day (a closed day), with its note.
    closed: bool = False
    closed_note: str = ""

    def for_therapist(self, therapist_id: int) -> tuple[AppointmentView, ...]:
        return tuple(a for a in self.appointments if a.therapist_id == therapist_id)


class CalendarService:
    """Use cases of the Calendar area."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)

    @reads
    def day(self, day: date, viewer: SignedIn) -> DaySchedule:
        """The shop-local `day`: the therapists on duty or booked, and their appointments."""
        viewer.require(Permission.VIEW_CALENDAR)
        with self._uow.read() as session:
            shop = self._shop.info()
            zone = shop.zone
            start, end = day_bounds_utc(day, zone)
            has_allergy = exists().where(Allergy.customer_id == Appointment.customer_id)
            paid = exists().where(SaleLine.appointment_id == Appointment.id)
            # Plain columns, not entities: a busy day is a thousand rows at a big shop.
            rows = (
                session.execute(
                    select(
                        Appointment.id,
                        Appointment.staff_id,
                        Appointment.customer_id,
                        Customer.first_name,
                        Customer.last_name,
                        Service.name,
                        Room.name,
                        Appointment.starts_at,
                        Appointment.ends_at,
                        Appointment.status,
                        Appointment.price_minor,
                        has_allergy.label("allergy"),
                        paid.label("paid"),
                    )
                    .join(Customer, Customer.id == Appointment.customer_id)
                    .join(Service, Service.id == Appointment.service_id)
                    .outerjoin(Room, Room.id == Appointment.room_id)
                    .where(Appointment.starts_at >= start, Appointment.starts_at < end)
                    .order_by(Appointment.starts_at)
                )
                .tuples()
                .all()
            )
            busy = {row[1] for row in rows}
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
            breaks: dict[int, list[tuple[int, int]]] = {}
            for staff_id, start_minute, end_minute in session.execute(
                select(StaffBreak.staff_id, StaffBreak.start_minute, StaffBreak.end_minute)
                .where(StaffBreak.weekday == day.weekday())
                .order_by(StaffBreak.start_minute)
            ).tuples():
                breaks.setdefault(staff_id, []).append((start_minute, end_minute))
            away = set(
                session.scalars(
                    select(StaffAbsence.staff_id).where(
                        StaffAbsence.first_day <= day, StaffAbsence.last_day >= day
                    )
                )
            )
            therapists = tuple(
                TherapistColumn(
                    s.id,
                    s.display_name,
                    s.color,
                    () if s.id in away else tuple(hours.get(s.id, ())),
                    () if s.id in away else tuple(breaks.get(s.id, ())),
                )
                for s in staff
                if s.id in busy or (s.role == Role.THERAPIST.value and s.active)
            )
            appointments = tuple(
                AppointmentView(
                    id=appt_id,
                    therapist_id=staff_id,
                    customer_id=customer_id,
                    customer_name=display_name(first, last),
                    service_name=service,
                    room_name=room or "",
                    starts=to_local(starts, zone),
                    ends=to_local(ends, zone),
                    status=AppointmentStatus(status),
                    price=Money(price_minor, shop.currency),
                    has_allergies=bool(allergy) and show_health,
                    paid=bool(is_paid),
                )
                for (
                    appt_id,
                    staff_id,
                    customer_id,
                    first,
                    last,
                    service,
                    room,
                    starts,
                    ends,
                    status,
                    price_minor,
                    allergy,
                    is_paid,
                ) in rows
            )
            return DaySchedule(day, therapists, appointments)
