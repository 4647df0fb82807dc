"""What makes the demo's calendar worth opening: a couples booking today (two clients, two
therapists, one couples room), a sauna group tomorrow, a weekly series, two clients on the
waitlist, and late cancellations in the history.

They are placed into the booked days by clearing what was in their way (the same therapist,
room or client at that time), so every rule the scheduler keeps still holds: no therapist in
two places, no room over capacity, everything inside its therapist's hours. Only today and the
days ahead change; the history and its sales stay as they were.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, update

from frontdesk.demo.booking import Treatment, Visit
from frontdesk.demo.catalogue import RoomKind
from frontdesk.demo.days import Clock, local_midnight_utc
from frontdesk.demo.writer import Codec, Row
from frontdesk.domain.appointments import AppointmentStatus

#: Couples today at 15:00, the sauna group tomorrow at 11:00 (local minutes).
COUPLES_AT = 15 * 60
SAUNA_AT = 11 * 60
SAUNA_GUESTS = 3
#: A weekly series: today's occurrence and the two after it (the book reaches two weeks out).
SERIES_WEEKS = 1
SERIES_COUNT = 3
#: One cancellation in this many in the history was made too late (counted on the card).
LATE_CANCEL_EVERY = 4


@dataclass
class CalendarExtras:
    """Rows to write before the appointments (bookings, series) and after them (the waitlist,
    and the appointments' booking, series and arrival times)."""

    bookings: list[Row] = field(default_factory=list)
    series: list[Row] = field(default_factory=list)
    waitlist: list[Row] = field(default_factory=list)
    #: (appointment id, booking id, series id, arrived at, started at), stored forms.
    marks: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class _Book:
    """What placing a visit needs to know about the shop."""

    today: date
    zone: ZoneInfo
    treatments: Sequence[Treatment]
    rooms: Sequence[tuple[int, RoomKind, int]]
    #: (staff id, weekday) -> (start, end) minutes.
    hours: dict[tuple[int, int], tuple[int, int]]

    def clock(self, day: int) -> Clock:
        return Clock(local_midnight_utc(self.today + timedelta(days=day), self.zone))

    def weekday(self, day: int) -> int:
        return (self.today + timedelta(days=day)).weekday()

    def room_of(self, kind: RoomKind) -> int | None:
        return next((room_id for room_id, k, _cap in self.rooms if k is kind), None)

    def treatment(self, kind: RoomKind) -> Treatment | None:
        fitting = [t for t in self.treatments if t.room is kind and not t.client]
        return min(fitting, key=lambda t: (abs(t.minutes - 60), t.id)) if fitting else None

    def working(self, tail: list[Visit], day: int, start: int, end: int) -> list[int]:
        """Therapists at work that day (they have visits) whose hours hold start..end."""
        staff = sorted({v.staff_id for v in tail if v.day == day})
        weekday = self.weekday(day)
        return [
            s
            for s in staff
            if (hours := self.hours.get((s, weekday))) and hours[0] <= start and end <= hours[1]
        ]


def _clear(
    tail: list[Visit],
    day: int,
    start: int,
    held_until: int,
    *,
    staff: set[int],
    room: int | None,
    clients: set[int],
) -> list[Visit]:
    """`tail` without the visits that day in the way of start..held_until."""

    def in_the_way(v: Visit) -> bool:
        if v.day != day or v.start_minute >= held_until:
            return False
        if v.end_minute + v.treatment.buffer <= start:
            return False
        return v.staff_id in staff or v.room_id == room or v.customer_id in clients

    return [v for v in tail if not in_the_way(v)]


def _visit(
    book: _Book,
    day: int,
    start: int,
    staff_id: int,
    treatment: Treatment,
    room_id: int,
    customer_id: int,
    status: AppointmentStatus,
    **marks: int,
) -> Visit:
    clock = book.clock(day)
    end = start + treatment.minutes
    return Visit(
        day,
        start,
        end,
        clock.at(start),
        clock.at(end),
        staff_id,
        treatment,
        room_id,
        customer_id,
        status,
        "",
        **marks,
    )


def _group(
    book: _Book,
    tail: list[Visit],
    rng: random.Random,
    clients: list[int],
    *,
    day: int,
    start: int,
    kind: RoomKind,
    guests: int,
    booking_id: int,
    status: AppointmentStatus,
) -> list[Visit] | None:
    """`tail` with a group of `guests` in one room of `kind` (each with a therapist), or None
    when the shop has no such room or too few therapists at work then."""
    room_id, treatment = book.room_of(kind), book.treatment(kind)
    if room_id is None or treatment is None:
        return None
    staff = book.working(tail, day, start, start + treatment.minutes)
    if len(staff) < guests or len(clients) < guests:
        return None
    staff = rng.sample(staff, guests)
    guests_ids = rng.sample(clients, guests)
    tail = _clear(
        tail,
        day,
        start,
        start + treatment.minutes + treatment.buffer,
        staff=set(staff),
        room=room_id,
        clients=set(guests_ids),
    )
    tail.extend(
        _visit(book, day, start, s, treatment, room_id, c, status, booking_id=booking_id)
        for s, c in zip(staff, guests_ids, strict=True)
    )
    return tail


def _series(
    book: _Book, tail: list[Visit], rng: random.Random, series_id: int
) -> list[Visit] | None:
    """`tail` with one of today's afternoon visits repeated weekly, or None when none suits."""
    candidates = [
        v
        for v in tail
        if v.day == 0
        and v.start_minute >= 12 * 60
        and v.treatment.room is RoomKind.TREATMENT
        and v.status is AppointmentStatus.BOOKED
        and v.booking_id is None
        and all(
            (v.staff_id, book.weekday(7 * SERIES_WEEKS * n)) in book.hours
            for n in range(SERIES_COUNT)
        )
    ]
    if not candidates:
        return None
    first = rng.choice(candidates)
    tail = [v for v in tail if v is not first]
    tail.append(first._replace(series_id=series_id))
    for n in range(1, SERIES_COUNT):
        day = 7 * SERIES_WEEKS * n
        treatment = first.treatment
        tail = _clear(
            tail,
            day,
            first.start_minute,
            first.end_minute + treatment.buffer,
            staff={first.staff_id},
            room=first.room_id,
            clients={first.customer_id},
        )
        tail.append(
            _visit(
                book,
                day,
                first.start_minute,
                first.staff_id,
                treatment,
                first.room_id,
                first.customer_id,
                AppointmentStatus.BOOKED,
                series_id=series_id,
            )
        )
    return tail


def add_calendar_extras(
    visits: list[Visit],
    *,
    treatments: Sequence[Treatment],
    rooms: Sequence[tuple[int, RoomKind, int]],
    hours: Sequence[Row],
    today: date,
    zone: ZoneInfo,
    codec: Codec,
    seed: int,
    now_minute: int | None = None,
) -> CalendarExtras:
    """Place the extras into `visits` (in place: today's and later visits only, kept in time
    order) and return the rows that go with them. With `now_minute`, today's group is done
    (paid) or on the table when its time has come."""
    rng = random.Random(f"{seed}:calendar")
    book = _Book(
        today,
        zone,
        treatments,
        rooms,
        {
            (int(h["staff_id"]), int(h["weekday"])): (h["start_minute"], h["end_minute"])
            for h in hours
        },
    )
    first_future = next((i for i, v in enumerate(visits) if v.day >= 0), len(visits))
    tail = visits[first_future:]
    regulars = sorted({v.customer_id for v in visits[:first_future]})
    extras = CalendarExtras()
    created = codec.instant(local_midnight_utc(today, zone) - timedelta(days=3))
    if not tail or len(regulars) < SAUNA_GUESTS:
        return extras

    for day, start, kind, guests, status in (
        (0, COUPLES_AT, RoomKind.COUPLES, 2, AppointmentStatus.CONFIRMED),
        (1, SAUNA_AT, RoomKind.THERMAL, SAUNA_GUESTS, AppointmentStatus.BOOKED),
    ):
        booking_id = len(extras.bookings) + 1
        placed = _group(
            book,
            tail,
            rng,
            regulars,
            day=day,
            start=start,
            kind=kind,
            guests=guests,
            booking_id=booking_id,
            status=status,
        )
        if placed is not None:
            tail = placed
            extras.bookings.append(
                {"id": booking_id, "created_at": created, "created_by": None, "kind": "group"}
            )
    repeated = _series(book, tail, rng, 1)
    if repeated is not None:
        tail = repeated
        extras.series.append(
            {
                "id": 1,
                "every_weeks": SERIES_WEEKS,
                "until_day": None,
                "occurrences": SERIES_COUNT,
                "created_at": created,
            }
        )
    if now_minute is not None:
        tail = [_by_now(v, now_minute) if v.day == 0 and v.booking_id else v for v in tail]
    tail.sort(key=lambda v: (v.day, v.start_minute, v.staff_id))
    visits[first_future:] = tail

    for offset, visit in enumerate(tail, start=first_future + 1):
        arrived = started = None
        if visit.status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_SERVICE):
            arrived = codec.instant(visit.starts_at - timedelta(minutes=10))
        if visit.status is AppointmentStatus.IN_SERVICE:
            started = codec.instant(visit.starts_at)
        if visit.booking_id or visit.series_id or arrived:
            extras.marks.append((visit.booking_id, visit.series_id, arrived, started, offset))
    present = sorted({v.staff_id for v in tail})
    extras.waitlist = _waitlist(book, regulars, present, rng, created, codec)
    return extras


def _by_now(visit: Visit, now_minute: int) -> Visit:
    if visit.end_minute <= now_minute:
        return visit._replace(status=AppointmentStatus.COMPLETED)
    if visit.start_minute <= now_minute:
        return visit._replace(status=AppointmentStatus.IN_SERVICE)
    return visit


def _waitlist(
    book: _Book,
    clients: list[int],
    staff: list[int],
    rng: random.Random,
    created: Any,
    codec: Codec,
) -> list[Row]:
    """Two clients waiting: one for any therapist in the mornings this week, one for a named
    therapist on Monday, Wednesday and Friday evenings over the next fortnight."""
    treatment = book.treatment(RoomKind.TREATMENT)
    if treatment is None or not staff or len(clients) < 2:
        return []
    first, second = rng.sample(clients, 2)
    rows: list[Row] = []
    for entry_id, customer, staff_id, days, minutes, weekdays in (
        (1, first, None, (1, 7), (9 * 60, 12 * 60), 0),
        (2, second, rng.choice(staff), (2, 14), (16 * 60, 20 * 60), 0b10101),
    ):
        rows.append(
            {
                "id": entry_id,
                "customer_id": customer,
                "service_id": treatment.id,
                "staff_id": staff_id,
                "first_day": codec.day(book.today + timedelta(days=days[0])),
                "last_day": codec.day(book.today + timedelta(days=days[1])),
                "from_minute": minutes[0],
                "to_minute": minutes[1],
                "weekdays": weekdays,
                "note": "",
                "state": "waiting",
                "created_at": created,
                "created_by": None,
                "closed_at": None,
                "appointment_id": None,
            }
        )
    return rows


def mark_appointments(connection: Connection, appointments: Table, extras: CalendarExtras) -> None:
    """Write the appointments' bookings, series and arrival times, and mark some of the
    history's cancellations late (set-based: one statement each)."""
    if extras.marks:
        marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}[connection.dialect.paramstyle]
        connection.exec_driver_sql(
            f"UPDATE {appointments.name} SET booking_id = {marker}, series_id = {marker}, "
            f"arrived_at = {marker}, started_at = {marker} WHERE id = {marker}",
            extras.marks,
        )
    connection.execute(
        update(appointments)
        .where(
            appointments.c.status == AppointmentStatus.CANCELLED.value,
            appointments.c.id % LATE_CANCEL_EVERY == 0,
        )
        .values(late_cancel=True)
    )
