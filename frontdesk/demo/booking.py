"""What the present and the former teams' appointment books are made of: treatments, shifts,
teams and visits, and how a slot gets a room, a client and a status."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from frontdesk.demo.catalogue import ROOMS_FOR, WOMEN, RoomKind

REGULAR_EVERY = 7  # every 7th client is a regular, who books half of all visits between them

COMPLETED, CANCELLED, NO_SHOW = "completed", "cancelled", "no_show"
BOOKED, CHECKED_IN = "booked", "checked_in"

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
    staff_id: int
    weekdays: tuple[int, ...]
    start: int
    end: int


@dataclass
class Team:
    """Therapists with their shifts, and the rooms they work in: (id, kind, capacity)."""

    shifts: list[Shift]
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
    status: str
    note: str


def free_room(
    team: Team, in_room: dict[int, list[int]], treatment: Treatment, start: int
) -> int | None:
    """A room for a treatment from `start`. A day's slots come in order of their start, so
    what was placed before began by then: it is still there if it ends (cleanup included)
    after `start`, and what has ended can be forgotten."""
    for room_id, capacity in team.rooms_for[treatment.room]:
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


def pick_client(
    rng: random.Random,
    known: int,
    regulars: int,
    treatment: Treatment,
    start: int,
    end: int,
    women: bytearray,
    busy: Busy,
) -> int:
    """A client who had joined, may have the treatment and is free then; -1 after 8 tries.
    Half the draws go to the regulars."""
    for _attempt in range(8):
        if rng.random() < 0.5:
            candidate = REGULAR_EVERY * rng.randrange(regulars) + 1
        else:
            candidate = rng.randrange(known) + 1
        if treatment.client and (treatment.client == WOMEN) != bool(women[candidate - 1]):
            continue
        if not any(s < end and start < e for s, e in busy[candidate]):
            return candidate
    return -1


def status(rng: random.Random, day: int, start: int) -> str:
    draw = rng.random()
    if day < 0:
        return CANCELLED if draw < 0.06 else NO_SHOW if draw < 0.09 else COMPLETED
    if day == 0 and start < 10 * 60 + 30 and draw < 0.75:
        return CHECKED_IN
    return BOOKED
