"""Who comes, and how often: each client's habit, and which client a free slot goes to.

Clients are of four habits. Regulars come every few weeks and hold most of the visits;
occasional clients come a few times a year; one-time clients come once; and some clients on
file never came (signed up online, a gift voucher never used, a member of the chain who goes to
its other shops). Everyone who comes has a first visit soon after joining, in the order they
joined; returning visits go to regulars and occasional clients by their habit.

A shop has only so many therapists (`frontdesk.demo.roster`): when a client base wants more
visits than they can give, the share who never came grows and the others keep their habits,
so a very big base is a busy shop's own clientele among the chain's other clients.
"""

from __future__ import annotations

import random
from bisect import bisect_left

from frontdesk.demo.booking import Busy, Treatment
from frontdesk.demo.catalogue import MEN, WOMEN

NEVER, ONCE, OCCASIONAL, REGULAR = 0, 1, 2, 3
#: Of the clients who come: the share of each habit (cumulative: ONCE below 0.45, ...).
ONCE_SHARE, OCCASIONAL_SHARE = 0.45, 0.37
#: A returning visit is this many times likelier to be a given regular's than a given
#: occasional client's.
REGULAR_WEIGHT = 7.0
#: Clients on file who never come, when the shop has room for everyone else.
NEVER_SHARE = 0.08
#: Past visits per client the habits above add up to over two years, when there is room.
VISITS_PER_CLIENT = 5.0
FIRST_VISIT_LEAD = 15 * 60  # seconds from joining at the desk to the first treatment


def habits(rng: random.Random, count: int, coming: float) -> bytearray:
    """The habit of each client (by id - 1): a share `coming` of them come at all."""
    kinds = bytearray(count)
    draw = rng.random
    for index in range(count):
        if draw() < coming:
            share = draw()
            if share < ONCE_SHARE:
                kinds[index] = ONCE
            else:
                kinds[index] = OCCASIONAL if share < ONCE_SHARE + OCCASIONAL_SHARE else REGULAR
    return kinds


class Clientele:
    """The clients as the appointment book sees them: when each joined (seconds after the
    history starts, ascending by id), who is a woman, habits, and who has come yet."""

    def __init__(self, offsets: list[int], women: bytearray, kinds: bytearray) -> None:
        self._offsets = offsets
        self._women = women
        self._kinds = kinds
        self._seen = bytearray(len(offsets))
        self._new = [0, 0]  # by woman (0 or 1): the earliest joiner who may still be new
        self._morning = 0
        self._known = {OCCASIONAL: 0, REGULAR: 0}
        self._ready = [1 << 62, 1 << 62]  # by woman: from when the earliest newcomer can be in
        #: returning clients of each habit: ids in join order, and their join offsets
        self._ids: dict[int, list[int]] = {OCCASIONAL: [], REGULAR: []}
        for index, kind in enumerate(kinds):
            if kind >= OCCASIONAL:
                self._ids[kind].append(index + 1)
        self._joined = {kind: [offsets[i - 1] for i in ids] for kind, ids in self._ids.items()}

    def start_day(self, morning: int, everyone: bool = False) -> None:
        """Before a day's slots: who had joined by `morning` (seconds after the history
        starts; `everyone` for the days ahead, when all have), and when the next newcomers
        can be in."""
        self._morning = morning
        self._known = {
            kind: len(ids) if everyone else bisect_left(self._joined[kind], morning)
            for kind, ids in self._ids.items()
        }
        self._ready = [self._next_ready(0), self._next_ready(1)]

    def newcomer(self, treatment: Treatment, start: int) -> int:
        """Id of the newcomer who gets a slot starting `start` minutes after the morning, or
        -1: the earliest joiner waiting for a first visit, who may have the treatment."""
        woman = -1
        if treatment.client != MEN and self._ready[1] <= 60 * start:
            woman = 1
        if (
            treatment.client != WOMEN
            and self._ready[0] <= 60 * start
            and (woman < 0 or self._new[0] < self._new[1])
        ):
            woman = 0
        return -1 if woman < 0 else self._new[woman] + 1

    def returning(
        self, rng: random.Random, treatment: Treatment, start: int, end: int, busy: Busy
    ) -> int:
        """A returning client who had joined, may have the treatment and is free then, or -1
        after eight tries. Regulars are REGULAR_WEIGHT times likelier, client for client."""
        regulars, occasional = self._known[REGULAR], self._known[OCCASIONAL]
        weight = REGULAR_WEIGHT * regulars
        if not weight + occasional:
            return -1
        women, draw = self._women, rng.random
        for _attempt in range(8):
            if draw() * (weight + occasional) < weight:
                candidate = self._ids[REGULAR][int(draw() * regulars)]
            else:
                candidate = self._ids[OCCASIONAL][int(draw() * occasional)]
            if treatment.client and (treatment.client == WOMEN) != bool(women[candidate - 1]):
                continue
            if not any(s < end and start < e for s, e in busy[candidate]):
                return candidate
        return -1

    def came(self, customer: int) -> None:
        """`customer` has a visit: no longer new."""
        self._seen[customer - 1] = 1
        woman = self._women[customer - 1]
        if self._new[woman] == customer - 1:
            self._ready[woman] = self._next_ready(woman)

    def _next_ready(self, woman: int) -> int:
        """Seconds after the morning from which the earliest joiner (a man or a woman) who
        comes and has had no visit yet can have a first treatment; out of reach if none."""
        seen, women, kinds = self._seen, self._women, self._kinds
        index, count = self._new[woman], len(seen)
        while index < count and (seen[index] or women[index] != woman or kinds[index] == NEVER):
            index += 1
        self._new[woman] = index
        if index >= count:
            return 1 << 62
        return self._offsets[index] + FIRST_VISIT_LEAD - self._morning
