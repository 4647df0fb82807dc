"""The therapists over the years: places on the rota, and who held each one when.

A small shop has eight therapists on the rota of `THERAPIST_SHIFTS` and keeps them. A client
base that needs more is a bigger shop: up to `MAX_BLOCKS` times that rota (never more than 24
therapists in on one day), the extra places opened during the first year. In a bigger shop
people come and go: a place is held by one therapist after another, with a few weeks' vacancy
between. Those who left are inactive staff with the working hours they had; the present holders
are the active team, who alone work today and ahead.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field

from frontdesk.demo.booking import Shift
from frontdesk.demo.catalogue import Catalogue
from frontdesk.demo.days import FUTURE_DAYS, HISTORY_DAYS
from frontdesk.demo.people import NamePools
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Role

#: Therapist rota: (working weekdays, 0 = Monday; start and end in minutes from local midnight).
#: Every day has five or six of these eight in.
THERAPIST_SHIFTS: tuple[tuple[tuple[int, ...], int, int], ...] = (
    ((0, 1, 2, 3, 4), 9 * 60, 18 * 60),
    ((1, 2, 3, 4, 5), 11 * 60, 20 * 60),
    ((2, 3, 4, 5, 6), 9 * 60, 18 * 60),
    ((3, 4, 5, 6, 0), 11 * 60, 20 * 60),
    ((4, 5, 6, 0, 1), 9 * 60, 18 * 60),
    ((5, 6, 0, 1, 2), 11 * 60, 20 * 60),
    ((6, 0, 1, 2, 3), 9 * 60, 18 * 60),
    ((0, 1, 3, 4), 10 * 60, 19 * 60),
)
#: A shop is at most this many rotas of eight: 32 places, 24 therapists on the busiest day.
MAX_BLOCKS = 4
#: Rotas of eight past the first open this many days apart, from this many days into the past.
BLOCK_OPENS_EVERY = 120
THERAPIST_COLORS = (
    "#e07a5f",
    "#81b29a",
    "#f2cc8f",
    "#9b5de5",
    "#f15bb5",
    "#00bbf9",
    "#3d405b",
    "#2a9d8f",
)
OFFICE_COLOR = "#5b8def"
#: (role, female?) of the office staff, who stay.
OFFICE_ROLES: tuple[tuple[Role, bool], ...] = (
    (Role.OWNER, True),
    (Role.MANAGER, False),
    (Role.RECEPTIONIST, True),
    (Role.RECEPTIONIST, True),
)
#: How long a therapist stays in a bigger shop (days, uniform) and how long a place stays empty.
TENURE_DAYS = (300, 1500)
VACANCY_DAYS = (7, 45)
FEMALE_THERAPISTS = 0.8


@dataclass(frozen=True)
class StaffMember:
    """A member of staff; therapists have their shift, the office staff none."""

    id: int
    display_name: str
    role: Role
    color: str
    active: bool
    shift: Shift | None = None


@dataclass(frozen=True)
class Tenure:
    """Who held a place on the rota, from and until which day (days from today, inclusive)."""

    staff_id: int
    first_day: int
    last_day: int


@dataclass
class Roster:
    """Everyone who worked at the shop, and who held each place on the rota when."""

    members: list[StaffMember]
    #: By place: its shift (the `position` is the place's index).
    shifts: list[Shift]
    #: By place: its holders in time order.
    tenures: list[list[Tenure]]
    _starts: list[list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self._starts = [[t.first_day for t in held] for held in self.tenures]

    def holder(self, position: int, day: int) -> int | None:
        """The staff id of whoever held the place on `day`; None while it was empty."""
        held = self.tenures[position]
        index = bisect_right(self._starts[position], day) - 1
        if index < 0 or held[index].last_day < day:
            return None
        return held[index].staff_id

    @property
    def blocks(self) -> int:
        """How many rotas of eight the shop has."""
        return len(self.shifts) // len(THERAPIST_SHIFTS)

    @property
    def therapists(self) -> list[StaffMember]:
        return [member for member in self.members if member.role is Role.THERAPIST]


def blocks_for(visits_wanted: float, past_slots_per_block: int, fill: float) -> int:
    """Rotas of eight a shop needs to give `visits_wanted` past visits at a comfortable `fill`
    of its packed slots: one for a small client base, at most MAX_BLOCKS."""
    needed = visits_wanted / max(1.0, fill * past_slots_per_block)
    return max(1, min(MAX_BLOCKS, -int(-needed // 1)))


def make_roster(catalogue: Catalogue, pools: NamePools, blocks: int, seed: int) -> Roster:
    """The office, `blocks` rotas of therapists with their present holders (active), and, in a
    shop of more than one rota, those who held the places before (inactive)."""
    rng = random.Random(f"{seed}:staff")
    taken: set[str] = set()

    def new_name(female: bool) -> str:
        name = display_name(*pools.pick(rng, female))
        while name in taken:
            name = display_name(*pools.pick(rng, female))
        taken.add(name)
        return name

    members = [
        StaffMember(number, new_name(female), role, OFFICE_COLOR, True)
        for number, (role, female) in enumerate(OFFICE_ROLES, start=1)
    ]
    places = blocks * len(THERAPIST_SHIFTS)
    shifts: list[Shift] = []
    for position in range(places):
        weekdays, start, end = THERAPIST_SHIFTS[position % len(THERAPIST_SHIFTS)]
        shifts.append(Shift(position, weekdays, start, end))
        female = position % len(THERAPIST_SHIFTS) not in (2, 6)
        members.append(
            StaffMember(
                len(members) + 1,
                new_name(female),
                Role.THERAPIST,
                THERAPIST_COLORS[position % len(THERAPIST_COLORS)],
                True,
                shifts[-1],
            )
        )
    tenures = _tenures(random.Random(f"{seed}:turnover"), blocks, places)
    # the present holders are the active therapists, ids 5.. by place; those before come after
    present = {position: len(OFFICE_ROLES) + 1 + position for position in range(places)}
    held: list[list[Tenure]] = []
    for position, spans in enumerate(tenures):
        shift = shifts[position]
        row: list[Tenure] = []
        for number, (first, last) in enumerate(spans):
            if number == len(spans) - 1:
                staff_id = present[position]
            else:
                staff_id = len(members) + 1
                members.append(
                    StaffMember(
                        staff_id,
                        new_name(rng.random() < FEMALE_THERAPISTS),
                        Role.THERAPIST,
                        THERAPIST_COLORS[position % len(THERAPIST_COLORS)],
                        False,
                        shift,
                    )
                )
            row.append(Tenure(staff_id, first, last))
        held.append(row)
    return Roster(members, shifts, held)


def _tenures(rng: random.Random, blocks: int, places: int) -> list[list[tuple[int, int]]]:
    """(first day, last day) of each holder of each place; the last holds it to the end."""
    origin, end = -HISTORY_DAYS - 1, FUTURE_DAYS
    spans: list[list[tuple[int, int]]] = []
    for position in range(places):
        block = position // len(THERAPIST_SHIFTS)
        if blocks == 1:
            spans.append([(origin, end)])
            continue
        first = origin
        if block:
            first = -HISTORY_DAYS + BLOCK_OPENS_EVERY * block + rng.randrange(60)
        # the first holders of the first rota had been there a while already
        first_stay = rng.randrange(*TENURE_DAYS) - (
            rng.randrange(TENURE_DAYS[1]) if not block else 0
        )
        row: list[tuple[int, int]] = []
        last = first + max(30, first_stay)
        while last < 0:
            row.append((first, last))
            first = min(-1, last + 1 + rng.randrange(*VACANCY_DAYS))
            last = first + rng.randrange(*TENURE_DAYS)
        row.append((first, end))
        spans.append(row)
    return spans
