"""The calendar's reads: a day, a week and a month's load, in the shop's time.

Values only: times are aware datetimes in the shop's zone, prices `Money`, statuses the domain's
`AppointmentStatus`, working hours minutes from local midnight (wall clock). The window writes
them in its language (frontdesk/ui/calendar).

Every read is a handful of set-based queries over the whole range (a big shop's day is 750
appointments): never a query per appointment or per day. Local days are the shop's, not UTC
dates: a day with a daylight-saving change is 23 or 25 hours long.
"""

from __future__ import annotations

import calendar as gregorian
import functools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Select,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
)

from db.base import UTCDateTime
from db.models import (
    Allergy,
    Appointment,
    Customer,
    Preference,
    Room,
    SaleLine,
    Service,
    ServiceCategory,
    Staff,
    StaffAbsence,
    StaffBreak,
    WorkingHours,
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.category_colors import category_color
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


@dataclass(frozen=True)
class WeekSchedule:
    """Seven days from `first_day`, each a `DaySchedule`; for one therapist or one room when
    `staff_id` or `room_id` is set (then only theirs: appointments and column)."""

    first_day: date
    days: tuple[DaySchedule, ...]
    staff_id: int | None = None
    room_id: int | None = None


@dataclass(frozen=True)
class DayLoad:
    """One day of the month overview.

    `appointments` and `booked_minutes` count every appointment that day except cancelled
    ones (a no-show held its time); `working_minutes` are the active therapists' hours that day
    less their breaks, 0 when away or when the shop is closed. Minutes are real minutes: on a
    daylight-saving day a 00:00-24:00 shift is 23 or 25 hours.
    """

    day: date
    appointments: int
    booked_minutes: int
    working_minutes: int
    closed: bool

    @property
    def load(self) -> float:
        """Booked over working time, 0..1 (1 when anything is booked with nobody working)."""
        if self.working_minutes <= 0:
            return 1.0 if self.booked_minutes > 0 else 0.0
        return min(1.0, self.booked_minutes / self.working_minutes)


@dataclass(frozen=True)
class MonthLoad:
    """Every day of one calendar month (`first_day` is the 1st) with its load."""

    first_day: date
    days: tuple[DayLoad, ...]


def _wall_clock(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """`minute` minutes of wall-clock time from local midnight of `day` (1440 = next midnight)."""
    days, minute = divmod(minute, 24 * 60)
    return datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60), zone)


def real_minutes(day: date, start_minute: int, end_minute: int, zone: ZoneInfo) -> int:
    """How long a wall-clock span of `day` really lasts: 00:00-24:00 is 1380 minutes on the day
    the clocks go forward, 1500 on the day they go back."""
    if end_minute <= start_minute:
        return 0
    start = _wall_clock(day, start_minute, zone).astimezone(UTC)
    end = _wall_clock(day, end_minute, zone).astimezone(UTC)
    return max(0, int((end - start).total_seconds()) // 60)


def working_minutes(
    day: date,
    hours: Iterable[tuple[int, int]],
    breaks: Iterable[tuple[int, int]],
    zone: ZoneInfo,
) -> int:
    """Real minutes of `hours` on `day` less the parts of `breaks` inside them."""
    spans = list(hours)
    total = sum(real_minutes(day, start, end, zone) for start, end in spans)
    for break_start, break_end in breaks:
        for start, end in spans:
            total -= real_minutes(day, max(start, break_start), min(end, break_end), zone)
    return max(0, total)


#: Spans of minutes by weekday, then by staff id.
_Spans = dict[int, dict[int, list[tuple[int, int]]]]


def _days(first_day: date, count: int) -> list[date]:
    return [first_day + timedelta(days=n) for n in range(count)]


def _minutes_between(postgresql: bool, starts: Any, ends: Any) -> ColumnElement[Any]:
    """SQL for the minutes from `starts` to `ends` (two timestamp columns)."""
    if postgresql:
        return func.extract("epoch", ends - starts) / 60
    return (func.julianday(ends) - func.julianday(starts)) * 1440


@functools.cache
def _month_query(days: int, postgresql: bool) -> Select[tuple[int, int, Any]]:
    """Per local day of a month, its appointments (cancelled ones aside) and their minutes: the
    bind parameters b0..b{days} are the days' first UTC instants and the last one's end, and a
    CASE gives each appointment the day it starts in (DST-proof: no date arithmetic in SQL)."""
    bounds = [bindparam(f"b{n}", type_=UTCDateTime) for n in range(days + 1)]
    bucket = case(
        *((Appointment.starts_at < bounds[n + 1], n) for n in range(days)),
        else_=days,
    )
    held = (
        select(
            bucket.label("day"),
            _minutes_between(postgresql, Appointment.starts_at, Appointment.ends_at).label(
                "minutes"
            ),
        )
        .where(
            Appointment.starts_at >= bounds[0],
            Appointment.starts_at < bounds[-1],
            Appointment.status != AppointmentStatus.CANCELLED.value,
        )
        .subquery()
    )
    return select(held.c.day, func.count(), func.sum(held.c.minutes)).group_by(held.c.day)


@functools.cache
def _appointments_query(by_staff: bool, by_room: bool) -> Select[tuple[Any, ...]]:
    """The calendar's appointments between the bind parameters `start` and `end` (and of
    `staff_id`, `room_id`), with everything a block shows. Built once per filter: SQLAlchemy
    then reuses its compiled form without walking the statement again on every day switch."""
    in_range: list[ColumnElement[bool]] = [
        Appointment.starts_at >= bindparam("start", type_=UTCDateTime),
        Appointment.starts_at < bindparam("end", type_=UTCDateTime),
    ]
    if by_staff:
        in_range.append(Appointment.staff_id == bindparam("staff_id"))
    if by_room:
        in_range.append(Appointment.room_id == bindparam("room_id"))
    has_allergy = exists().where(Allergy.customer_id == Appointment.customer_id)
    paid = exists().where(SaleLine.appointment_id == Appointment.id)
    has_preference = exists().where(Preference.customer_id == Appointment.customer_id)
    # First visit: no completed appointment of that client before this one. One grouped
    # subquery over the clients in range, not a query per appointment.
    firsts = (
        select(
            Appointment.customer_id.label("customer_id"),
            func.min(Appointment.starts_at).label("first_done"),
        )
        .where(
            Appointment.status == AppointmentStatus.COMPLETED.value,
            Appointment.customer_id.in_(
                select(Appointment.customer_id).where(*in_range).scalar_subquery()
            ),
        )
        .group_by(Appointment.customer_id)
        .subquery()
    )
    first_visit = or_(firsts.c.first_done.is_(None), firsts.c.first_done >= Appointment.starts_at)
    # Plain columns, not entities: a busy day is a thousand rows at a big shop.
    return (
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
            Appointment.room_id,
            Appointment.service_id,
            ServiceCategory.id,
            ServiceCategory.color,
            Service.buffer_minutes,
            first_visit.label("first_visit"),
            or_(func.trim(Appointment.notes) != "", has_preference).label("notes"),
            Staff.display_name,
            Appointment.booking_id,
            Appointment.series_id,
            Appointment.late_cancel,
            Service.capacity_used,
        )
        .join(Customer, Customer.id == Appointment.customer_id)
        .join(Service, Service.id == Appointment.service_id)
        .join(ServiceCategory, ServiceCategory.id == Service.category_id)
        .join(Staff, Staff.id == Appointment.staff_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .outerjoin(firsts, firsts.c.customer_id == Appointment.customer_id)
        .where(*in_range)
        .order_by(Appointment.starts_at, Appointment.id)
    )


@functools.cache
def _staff_query(by_staff: bool) -> Select[tuple[int, str, str, str, bool]]:
    query = select(Staff.id, Staff.display_name, Staff.color, Staff.role, Staff.active)
    if by_staff:
        query = query.where(Staff.id == bindparam("staff_id"))
    return query.order_by(Staff.display_name, Staff.id)


@functools.cache
def _rooms_query(by_room: bool) -> Select[tuple[int, str, str, int, bool]]:
    query = select(Room.id, Room.name, Room.kind, Room.capacity, Room.active)
    if by_room:
        query = query.where(Room.id == bindparam("room_id"))
    return query.order_by(Room.name, Room.id)


@functools.cache
def _hours_query(therapists_only: bool) -> Select[tuple[int, int, int, int]]:
    query = select(
        WorkingHours.weekday,
        WorkingHours.staff_id,
        WorkingHours.start_minute,
        WorkingHours.end_minute,
    ).order_by(WorkingHours.start_minute)
    if therapists_only:
        query = query.join(Staff, Staff.id == WorkingHours.staff_id).where(
            Staff.active, Staff.role == Role.THERAPIST.value
        )
    return query


@functools.cache
def _breaks_query() -> Select[tuple[int, int, int, int]]:
    return select(
        StaffBreak.weekday,
        StaffBreak.staff_id,
        StaffBreak.start_minute,
        StaffBreak.end_minute,
    ).order_by(StaffBreak.start_minute)


@functools.cache
def _absences_query() -> Select[tuple[int, date, date]]:
    return select(StaffAbsence.staff_id, StaffAbsence.first_day, StaffAbsence.last_day).where(
        StaffAbsence.first_day <= bindparam("last", type_=Date),
        StaffAbsence.last_day >= bindparam("first", type_=Date),
    )


class CalendarService:
    """Use cases of the Calendar area."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)

    @reads
    def day(self, day: date, viewer: SignedIn) -> DaySchedule:
        """The shop-local `day`: the therapists on duty or booked, the rooms, the shop's hours
        and every appointment that day (cancelled and no-shows too: the grid fades them).

        `first_visit`: no completed appointment of the client started before this one.
        `has_notes`: the appointment's notes are not blank, or the client has preferences
        ("pressure: firm"); allergies are `has_allergies`, shown only to those allowed."""
        viewer.require(Permission.VIEW_CALENDAR)
        with self._uow.read() as session:
            return self._schedules(session.connection(), viewer, [day])[0]

    @reads
    def week(
        self,
        first_day: date,
        viewer: SignedIn,
        *,
        staff_id: int | None = None,
        room_id: int | None = None,
    ) -> WeekSchedule:
        """Seven shop-local days from `first_day`; with `staff_id` only that therapist's column
        and appointments, with `room_id` only that room's (and the therapists booked in it)."""
        viewer.require(Permission.VIEW_CALENDAR)
        with self._uow.read() as session:
            days = self._schedules(
                session.connection(),
                viewer,
                _days(first_day, 7),
                staff_id=staff_id,
                room_id=room_id,
            )
        return WeekSchedule(first_day, tuple(days), staff_id, room_id)

    @reads
    def month(self, first_day: date, viewer: SignedIn) -> MonthLoad:
        """The load of every day of the month `first_day` is in (one grouped query for the
        appointments, one each for hours, breaks and absences)."""
        viewer.require(Permission.VIEW_CALENDAR)
        first = first_day.replace(day=1)
        days = _days(first, gregorian.monthrange(first.year, first.month)[1])
        with self._uow.read() as session:
            conn = session.connection()
            shop = self._shop.info()
            zone = shop.zone
            # Each local day's first UTC instant, and the end of the last: a CASE picks the day.
            bounds = [day_bounds_utc(d, zone)[0] for d in days] + [
                day_bounds_utc(days[-1], zone)[1]
            ]
            query = _month_query(len(days), conn.dialect.name == "postgresql")
            booked: dict[int, tuple[int, int]] = {
                int(n): (int(count), round(float(minutes or 0)))
                for n, count, minutes in conn.execute(
                    query, {f"b{n}": bound for n, bound in enumerate(bounds)}
                ).tuples()
            }
            hours, breaks, away = self._staff_time(conn, days[0], days[-1], therapists_only=True)
        loads = []
        for n, day in enumerate(days):
            closed = shop.closed_on(day)
            working = 0
            if not closed:
                for staff_id, spans in hours.get(day.weekday(), {}).items():
                    if (staff_id, day) not in away:
                        rests = breaks.get(day.weekday(), {}).get(staff_id, ())
                        working += working_minutes(day, spans, rests, zone)
            count, minutes = booked.get(n, (0, 0))
            loads.append(DayLoad(day, count, minutes, working, closed))
        return MonthLoad(first, tuple(loads))

    # -- the shared reads -------------------------------------------------------------------

    def _staff_time(
        self, conn: Connection, first: date, last: date, *, therapists_only: bool = False
    ) -> tuple[_Spans, _Spans, set[tuple[int, date]]]:
        """Working spans and breaks by weekday then staff id (in order), and the (staff, day)
        pairs someone is away over first..last."""

        def spans(
            query: Select[tuple[int, int, int, int]],
        ) -> dict[int, dict[int, list[tuple[int, int]]]]:
            result: dict[int, dict[int, list[tuple[int, int]]]] = {}
            for weekday, staff_id, start, end in conn.execute(query).tuples():
                result.setdefault(weekday, {}).setdefault(staff_id, []).append((start, end))
            return result

        hours = spans(_hours_query(therapists_only))
        breaks = spans(_breaks_query())
        away: set[tuple[int, date]] = set()
        for staff_id, first_away, last_away in conn.execute(
            _absences_query(), {"first": first, "last": last}
        ).tuples():
            day = max(first, first_away)
            while day <= min(last, last_away):
                away.add((staff_id, day))
                day += timedelta(days=1)
        return hours, breaks, away

    def _schedules(
        self,
        conn: Connection,
        viewer: SignedIn,
        days: list[date],
        *,
        staff_id: int | None = None,
        room_id: int | None = None,
    ) -> list[DaySchedule]:
        """A DaySchedule for each of `days` (consecutive), in a fixed number of queries."""
        shop = self._shop.info()
        zone = shop.zone
        start = day_bounds_utc(days[0], zone)[0]
        end = day_bounds_utc(days[-1], zone)[1]
        params: dict[str, Any] = {"start": start, "end": end}
        if staff_id is not None:
            params["staff_id"] = staff_id
        if room_id is not None:
            params["room_id"] = room_id
        query = _appointments_query(staff_id is not None, room_id is not None)
        rows = conn.execute(query, params).tuples().all()
        show_health = viewer.can(Permission.VIEW_HEALTH)
        # Each appointment's local day: the first UTC instants of the days, bisected.
        starts_of_days = [day_bounds_utc(d, zone)[0] for d in days]
        by_day: list[list[AppointmentView]] = [[] for _ in days]
        for (
            appt_id,
            appt_staff_id,
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
            appt_room_id,
            service_id,
            category_id,
            color,
            buffer_minutes,
            first_time,
            notes,
            therapist_name,
            booking_id,
            series_id,
            late_cancel,
            places,
        ) in rows:
            by_day[bisect_right(starts_of_days, starts) - 1].append(
                AppointmentView(
                    id=appt_id,
                    therapist_id=appt_staff_id,
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
                    room_id=appt_room_id,
                    service_id=service_id,
                    category_color=category_color(category_id, color),
                    buffer_minutes=buffer_minutes,
                    first_visit=bool(first_time),
                    has_notes=bool(notes),
                    therapist_name=therapist_name,
                    booking_id=booking_id,
                    series_id=series_id,
                    late_cancel=bool(late_cancel),
                    places=places,
                )
            )
        staff = conn.execute(_staff_query(staff_id is not None), params).all()
        rooms = conn.execute(_rooms_query(room_id is not None), params).all()
        hours, breaks, away = self._staff_time(conn, days[0], days[-1])
        closed_notes = dict(shop.closed_days)
        schedules = []
        for day, appointments in zip(days, by_day, strict=True):
            busy = {a.therapist_id for a in appointments}
            booked_rooms = {a.room_id for a in appointments}
            day_hours = hours.get(day.weekday(), {})
            day_breaks = breaks.get(day.weekday(), {})
            if staff_id is not None:
                shown_staff = [s for s in staff if s.id == staff_id]
            elif room_id is not None:
                shown_staff = [s for s in staff if s.id in busy]
            else:
                shown_staff = [
                    s
                    for s in staff
                    if s.id in busy or (s.role == Role.THERAPIST.value and s.active)
                ]
            therapists = tuple(
                TherapistColumn(
                    s.id,
                    s.display_name,
                    s.color,
                    () if (s.id, day) in away else tuple(day_hours.get(s.id, ())),
                    () if (s.id, day) in away else tuple(day_breaks.get(s.id, ())),
                )
                for s in shown_staff
            )
            schedules.append(
                DaySchedule(
                    day,
                    therapists,
                    tuple(appointments),
                    rooms=tuple(
                        RoomColumn(r.id, r.name, r.kind, r.capacity)
                        for r in rooms
                        if r.active or r.id in booked_rooms or r.id == room_id
                    ),
                    opening=(
                        tuple((h.open_minute, h.close_minute) for h in shop.hours_on(day.weekday()))
                        if shop.hours
                        else None
                    ),
                    closed=shop.closed_on(day),
                    closed_note=closed_notes.get(day, ""),
                )
            )
        return schedules
