"""The appointment book: two years of history, a busy today and the next two weeks.

Each therapist's working day is first filled end to end with treatments (start times on the
quarter hour, cleanup buffers respected, a lunch break), so a therapist can never be double
booked. Slots are then thinned to the demand the client base makes, given a room that is
free for the whole treatment and its cleanup, and given to a client who exists by then and is
not elsewhere at that time.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from db.demo.catalogue import ROOMS_FOR, WOMEN, Catalogue, RoomKind

HISTORY_DAYS = 730
FUTURE_DAYS = 14
VISITS_PER_CLIENT = 6.0
MAX_HISTORY_FILL = 0.8
TODAY_FILL = 0.92
REGULAR_EVERY = 7  # every 7th client is a regular, who books half of all visits between them

COMPLETED, CANCELLED, NO_SHOW = "completed", "cancelled", "no_show"
BOOKED, CHECKED_IN = "booked", "checked_in"


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


@dataclass(frozen=True, slots=True)
class Visit:
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


def local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    """Naive UTC instant of the day's local midnight; opening hours never cross a DST change,
    so a minute of the working day is this plus the minutes, corrected by the noon offset."""
    noon = datetime.combine(day, time(12), zone)
    offset = noon.utcoffset() or timedelta(0)
    return datetime.combine(day, time(0)) - offset


def history_bounds(today: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        local_midnight_utc(today - timedelta(days=HISTORY_DAYS), zone),
        local_midnight_utc(today, zone),
    )


def day_starts(today: date, zone: ZoneInfo) -> list[int]:
    """Each history day's local midnight, in seconds after the history's start."""
    origin = local_midnight_utc(today - timedelta(days=HISTORY_DAYS), zone)
    return [
        int((local_midnight_utc(today - timedelta(days=back), zone) - origin).total_seconds())
        for back in range(HISTORY_DAYS, 0, -1)
    ]


def _ceil_quarter(minute: int) -> int:
    return -(-minute // 15) * 15


class Scheduler:
    def __init__(
        self,
        catalogue: Catalogue,
        treatments: list[Treatment],
        rooms: list[tuple[int, RoomKind, int]],
        shifts: list[Shift],
        seed: int,
    ) -> None:
        self._cat = catalogue
        self._treatments = treatments
        self._cum_weights: list[float] = []
        total = 0.0
        for treatment in treatments:
            total += treatment.weight
            self._cum_weights.append(total)
        self._rooms: dict[RoomKind, list[tuple[int, int]]] = defaultdict(list)
        for room_id, kind, capacity in rooms:
            self._rooms[kind].append((room_id, capacity))
        self._shifts = shifts
        self._rng = random.Random(f"{seed}:schedule")

    def book(
        self, today: date, zone: ZoneInfo, offsets: list[int], women: bytearray
    ) -> list[Visit]:
        """Visits in time order; `offsets` are the clients' join times (seconds after origin),
        `women` 1 for each client who is a woman (by id - 1)."""
        rng = self._rng
        origin = history_bounds(today, zone)[0]
        days = range(-HISTORY_DAYS, FUTURE_DAYS + 1)
        packed = {d: self._pack_day((today + timedelta(days=d)).weekday()) for d in days}
        history_slots = sum(len(packed[d]) for d in days if d < 0)
        wanted = len(offsets) * VISITS_PER_CLIENT
        history_fill = min(MAX_HISTORY_FILL, wanted / max(1, history_slots))
        visits: list[Visit] = []
        for d in days:
            midnight = local_midnight_utc(today + timedelta(days=d), zone)
            if d < 0:
                fill = history_fill
                # only clients who had joined by that morning
                known = bisect_left(offsets, int((midnight - origin).total_seconds()))
            else:
                fill = TODAY_FILL if d == 0 else max(0.12, 0.75 - 0.05 * d)
                known = len(offsets)
            if known == 0:
                continue
            kept = [slot for slot in packed[d] if rng.random() < fill]
            kept.sort(key=lambda slot: (slot[1], slot[0]))
            visits.extend(self._place_day(d, midnight, kept, known, women))
        return visits

    def _pack_day(self, weekday: int) -> list[tuple[int, int, int, int]]:
        """(staff id, start minute, end minute, treatment index) filling every shift."""
        slots: list[tuple[int, int, int, int]] = []
        for shift in self._shifts:
            if weekday in shift.weekdays:
                slots.extend(self._pack_shift(shift))
        return slots

    def _pack_shift(self, shift: Shift) -> list[tuple[int, int, int, int]]:
        rng, treatments = self._rng, self._treatments
        minute = shift.start + rng.choice((0, 0, 15, 30))
        lunch_at = (shift.start + shift.end) // 2 - 30
        had_lunch = False
        slots: list[tuple[int, int, int, int]] = []
        while True:
            if not had_lunch and minute >= lunch_at:
                minute += rng.choice((30, 45, 60))
                had_lunch = True
            index = rng.choices(range(len(treatments)), cum_weights=self._cum_weights)[0]
            if minute + treatments[index].minutes > shift.end:
                room_left = shift.end - minute
                fits = [i for i, t in enumerate(treatments) if t.minutes <= room_left]
                if not fits:
                    return slots
                index = rng.choice(fits)
            treatment = treatments[index]
            slots.append((shift.staff_id, minute, minute + treatment.minutes, index))
            minute = _ceil_quarter(minute + treatment.minutes + treatment.buffer)
            minute += rng.choice((0, 0, 0, 15))

    def _place_day(
        self,
        day: int,
        midnight: datetime,
        slots: list[tuple[int, int, int, int]],
        known: int,
        women: bytearray,
    ) -> list[Visit]:
        rng, cat = self._rng, self._cat
        in_room: dict[int, list[tuple[int, int]]] = defaultdict(list)
        busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
        regulars = (known + REGULAR_EVERY - 1) // REGULAR_EVERY
        visits: list[Visit] = []
        for staff_id, start, end, index in slots:
            treatment = self._treatments[index]
            room_id = self._free_room(in_room, treatment, start, end + treatment.buffer)
            if room_id is None:
                continue
            customer = -1
            for _attempt in range(8):
                if rng.random() < 0.5:
                    candidate = REGULAR_EVERY * rng.randrange(regulars) + 1
                else:
                    candidate = rng.randrange(known) + 1
                if treatment.client and (treatment.client == WOMEN) != bool(women[candidate - 1]):
                    continue
                if not any(s < end and start < e for s, e in busy[candidate]):
                    customer = candidate
                    break
            if customer < 0:
                continue
            in_room[room_id].append((start, end + treatment.buffer))
            busy[customer].append((start, end))
            note = rng.choice(cat.appointment_notes) if rng.random() < 0.05 else ""
            visits.append(
                Visit(
                    day=day,
                    start_minute=start,
                    end_minute=end,
                    starts_at=midnight + timedelta(minutes=start),
                    ends_at=midnight + timedelta(minutes=end),
                    staff_id=staff_id,
                    treatment=treatment,
                    room_id=room_id,
                    customer_id=customer,
                    status=self._status(day, start),
                    note=note,
                )
            )
        return visits

    def _free_room(
        self,
        in_room: dict[int, list[tuple[int, int]]],
        treatment: Treatment,
        start: int,
        end: int,
    ) -> int | None:
        for kind in ROOMS_FOR[treatment.room]:
            for room_id, capacity in self._rooms[kind]:
                overlapping = sum(1 for s, e in in_room[room_id] if s < end and start < e)
                if overlapping < capacity:
                    return room_id
        return None

    def _status(self, day: int, start: int) -> str:
        draw = self._rng.random()
        if day < 0:
            return CANCELLED if draw < 0.06 else NO_SHOW if draw < 0.09 else COMPLETED
        if day == 0 and start < 10 * 60 + 30 and draw < 0.75:
            return CHECKED_IN
        return BOOKED
