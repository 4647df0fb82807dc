"""Former staff: the teams a big demo's past needs beyond the present eight therapists.

Eight therapists hold about 25,000 past visits; a million clients want far more. Each former
team is like the present one: eight therapists (inactive now) on the same rota, with working
hours, and inactive copies of the shop's rooms, numbered. They work the past only, and draw
from random streams of their own: today and the next two weeks are booked exactly as they
would be without them.

Former teams see newcomers first: every slot of theirs goes to the client who joined earliest
and has had no visit yet, once that client is in the shop (a quarter of an hour after joining
at the desk at the soonest). When no newcomer is waiting, slots are thinned to the planned
fill and go to regulars and other known clients, as the present team's do.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from frontdesk.demo.booking import (
    REGULAR_EVERY,
    Busy,
    Shift,
    Team,
    Visit,
    free_room,
    pick_client,
    status,
)
from frontdesk.demo.catalogue import MEN, WOMEN, Catalogue
from frontdesk.demo.days import Clock
from frontdesk.demo.people import STAFF_ROLES, THERAPIST_COLORS, THERAPIST_SHIFTS, NamePools
from frontdesk.demo.schedule import Scheduler
from frontdesk.demo.writer import Codec, Row

FIRST_VISIT_LEAD = 15 * 60  # seconds from joining at the desk to the first treatment


@dataclass
class FormerRows:
    """Staff, working hours and rooms of the former teams, and the teams for the scheduler."""

    staff: list[Row] = field(default_factory=list)
    hours: list[Row] = field(default_factory=list)
    rooms: list[Row] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)


def former_rows(
    catalogue: Catalogue,
    pools: NamePools,
    teams: int,
    taken: set[str],
    next_ids: tuple[int, int, int],
    pin_hash: str,
    codec: Codec,
    seed: int,
) -> FormerRows:
    """`teams` former teams; `taken` names are not given again; ids start at `next_ids`
    (staff, working hours, rooms)."""
    rng = random.Random(f"{seed}:former-staff")
    women = [female for role, female in STAFF_ROLES if role == "therapist"]
    staff_id, hours_id, room_id = next_ids
    rows = FormerRows()
    for number in range(2, teams + 2):
        shifts: list[Shift] = []
        for index, (weekdays, start, end) in enumerate(THERAPIST_SHIFTS):
            name = catalogue.display_name(*pools.pick(rng, women[index]))
            while name in taken:
                name = catalogue.display_name(*pools.pick(rng, women[index]))
            taken.add(name)
            rows.staff.append(
                {
                    "id": staff_id,
                    "display_name": name,
                    "role": "therapist",
                    "pin_hash": pin_hash,
                    "active": codec.false,
                    "failed_pin_attempts": 0,
                    "locked_until": None,
                    "color": THERAPIST_COLORS[index],
                }
            )
            for weekday in sorted(weekdays):
                rows.hours.append(
                    {
                        "id": hours_id,
                        "staff_id": staff_id,
                        "weekday": weekday,
                        "start_minute": start,
                        "end_minute": end,
                    }
                )
                hours_id += 1
            shifts.append(Shift(staff_id, weekdays, start, end))
            staff_id += 1
        rooms = []
        for room in catalogue.rooms:
            rows.rooms.append(
                {
                    "id": room_id,
                    "name": f"{room.name} {number}",
                    "capacity": room.capacity,
                    "active": codec.false,
                }
            )
            rooms.append((room_id, room.kind, room.capacity))
            room_id += 1
        rows.teams.append(Team(shifts, rooms))
    return rows


class FormerBook:
    """Places the former teams' visits of each past day, after the present team's."""

    def __init__(
        self,
        scheduler: Scheduler,
        teams: list[Team],
        fill: float,
        offsets: list[int],
        women: bytearray,
        seed: int,
    ) -> None:
        self._scheduler = scheduler
        self._teams = teams
        self._fill = fill
        self._offsets = offsets
        self._women = women
        self._seen = bytearray(len(offsets))  # 1 once a client has had a visit
        self._new = [0, 0]  # by woman (0 or 1): the earliest joiner who may still be new
        self._rng = random.Random(f"{seed}:former-schedule")
        self._rota: list[list[tuple[int, Shift]]] = [[] for _weekday in range(7)]
        for number, team in enumerate(teams):
            for shift in team.shifts:
                for weekday in shift.weekdays:
                    self._rota[weekday].append((number, shift))

    def place_day(
        self, day: int, clock: Clock, morning: int, known: int, busy: Busy, visits: list[Visit]
    ) -> None:
        """Add the day's visits to `visits`, which holds the present team's: their clients are
        no longer new, and are not elsewhere at the same time."""
        seen, rng, scheduler = self._seen, self._rng, self._scheduler
        treatments, notes = scheduler.treatments, scheduler.catalogue.appointment_notes
        women, fill, draw = self._women, self._fill, rng.random
        for visit in visits:
            seen[visit.customer_id - 1] = 1
        new = self._new
        slots: list[tuple[int, int, int, int, int]] = []  # start, staff, end, treatment, team
        weekday = (scheduler.today + timedelta(days=day)).weekday()
        for number, shift in self._rota[weekday]:
            for staff_id, start, end, index in scheduler.pack_shift(rng, shift):
                slots.append((start, staff_id, end, index, number))
        slots.sort()
        ready = [self._ready(0, morning), self._ready(1, morning)]  # by woman (0 or 1)
        in_room: dict[int, list[int]] = defaultdict(list)
        regulars = (known + REGULAR_EVERY - 1) // REGULAR_EVERY
        for start, staff_id, end, index, number in slots:
            treatment = treatments[index]
            woman = -1  # who the newcomer is, if the slot goes to one
            if treatment.client != MEN and ready[1] <= 60 * start:
                woman = 1
            if (
                treatment.client != WOMEN
                and ready[0] <= 60 * start
                and (woman < 0 or new[0] < new[1])
            ):
                woman = 0
            if woman < 0 and (not known or draw() >= fill):
                continue
            room_id = free_room(self._teams[number], in_room, treatment, start)
            if room_id is None:
                continue
            if woman >= 0:
                customer = new[woman] + 1
            else:
                customer = pick_client(rng, known, regulars, treatment, start, end, women, busy)
                if customer < 0:
                    continue
                woman = women[customer - 1]
            seen[customer - 1] = 1
            if new[woman] == customer - 1:
                ready[woman] = self._ready(woman, morning)
            in_room[room_id].append(end + treatment.buffer)
            busy[customer].append((start, end))
            note = rng.choice(notes) if draw() < 0.05 else ""
            visits.append(
                Visit(
                    day,
                    start,
                    end,
                    clock.at(start),
                    clock.at(end),
                    staff_id,
                    treatment,
                    room_id,
                    customer,
                    status(rng, day, start),
                    note,
                )
            )

    def _ready(self, woman: int, morning: int) -> int:
        """Seconds after `morning` from which the earliest joiner (a man or a woman) with no
        visit yet can have a first treatment; out of reach when there is none."""
        seen, women, index, count = self._seen, self._women, self._new[woman], len(self._seen)
        while index < count and (seen[index] or women[index] != woman):
            index += 1
        self._new[woman] = index
        return self._offsets[index] + FIRST_VISIT_LEAD - morning if index < count else 1 << 62
