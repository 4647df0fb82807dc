"""What the appointment book is made of: treatments, shifts, rooms and visits, and how a slot
gets a room and a status."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from frontdesk.demo.catalogue import ROOMS_FOR, RoomKind
from frontdesk.domain.appointments import AppointmentStatus

Slot = tuple[int, int, int, int]  # staff id, start minute, end minute, treatment index
Busy = defaultdict[int, list[tuple[int, int]]]  # by client id: (start, end) minutes that day


@dataclass(frozen=True, slots=True)
class Treatment:
    """A bookable service as the scheduler sees it."""

    id: int
    minutes: int
    buffer: int
    price_minor: int
    room: RoomKind
    weight: float
    client: str = ""  # WOMEN, MEN or "" for anyone


@dataclass(frozen=True, slots=True)
class Shift:
    """A place on the rota: its number, working weekdays (0 = Monday) and hours in minutes."""

    position: int
    weekdays: tuple[int, ...]
    start: int
    end: int


@dataclass
class Rooms:
    """The shop's rooms: (id, kind, capacity)."""

    rooms: list[tuple[int, RoomKind, int]]
    #: (room id, capacity) of the rooms a treatment of each kind may use, in order of preference
    rooms_for: dict[RoomKind, list[tuple[int, int]]] = field(init=False)

    def __post_init__(self) -> None:
        self.rooms_for = {
            kind: [
                (room_id, capacity)
                for usable in ROOMS_FOR[kind]
                for room_id, room_kind, capacity in self.rooms
                if room_kind == usable
            ]
            for kind in RoomKind
        }


class Visit(NamedTuple):
    """One appointment: local day and minutes for the schedule, UTC instants for storage."""

    day: int  # days from today, negative in the past
    start_minute: int
    end_minute: int
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC
    staff_id: int
    treatment: Treatment
    room_id: int
    customer_id: int
    status: AppointmentStatus
    note: str
    #: Booked together with others (a couple, a sauna group); in a recurring series.
    booking_id: int | None = None
    series_id: int | None = None


def free_room(
    rooms: Rooms, in_room: dict[int, list[int]], treatment: Treatment, start: int
) -> int | None:
    """A room for a treatment from `start`. A day's slots come in order of their start, so
    what was placed before began by then: it is still there if it ends (cleanup included)
    after `start`, and what has ended can be forgotten."""
    for room_id, capacity in rooms.rooms_for[treatment.room]:
        ends = in_room[room_id]
        if len(ends) < capacity:
            return room_id
        if capacity == 1:
            if ends[0] <= start:
                ends.clear()
                return room_id
            continue
        ends[:] = [end for end in ends if end > start]
        if len(ends) < capacity:
            return room_id
    return None


#: How long before their time clients are already at the desk, in minutes.
EARLY = 20


def status(
    rng: random.Random, day: int, start: int, end: int = 0, now: int | None = None
) -> AppointmentStatus:
    """A visit's status. Today's follow `now` (the local minute the demo is built) when it is
    given: done and paid before it, on the table at it, here when due soon, booked later.
    Without it, today is a morning: the first clients (before 10:30) have arrived."""
    draw = rng.random()
    if day < 0:
        if draw < 0.06:
            return AppointmentStatus.CANCELLED
        return AppointmentStatus.NO_SHOW if draw < 0.09 else AppointmentStatus.COMPLETED
    if day == 0 and now is not None:
        if end <= now:
            return AppointmentStatus.NO_SHOW if draw < 0.03 else AppointmentStatus.COMPLETED
        if start <= now:
            return AppointmentStatus.IN_SERVICE
        if start <= now + EARLY:
            return AppointmentStatus.CHECKED_IN if draw < 0.6 else AppointmentStatus.CONFIRMED
        return AppointmentStatus.CONFIRMED if draw < 0.4 else AppointmentStatus.BOOKED
    if day == 0 and start < 10 * 60 + 30:
        # the morning's first clients are here: some already on the table
        if draw < 0.3:
            return AppointmentStatus.IN_SERVICE
        return AppointmentStatus.CHECKED_IN if draw < 0.75 else AppointmentStatus.CONFIRMED
    if 0 <= day <= 2 and draw < 0.4:
        return AppointmentStatus.CONFIRMED  # the confirmation calls of the last days
    return AppointmentStatus.BOOKED
