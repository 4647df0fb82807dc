"""The free-slot search agrees with the booking rules: every slot it offers is accepted by
`check_booking` (leg by leg, the earlier legs in the way), and no acceptable earlier start on
the step grid is skipped (a brute force that tries every start with the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.domain.booking import Busy, RoomFree, Wanted, check_booking
from frontdesk.domain.errors import DomainError
from frontdesk.domain.free_slots import (
    LegNeed,
    ShopDay,
    Slot,
    SlotFacts,
    SlotLeg,
    SlotSearch,
    TherapistDay,
    find_slots,
    intersected,
    merged,
    subtracted,
)

ZONE = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)
NINE_TO_SIX = ((9 * 60, 18 * 60),)


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZONE) + timedelta(minutes=minute)


def busy(
    appt: int, staff: int, minute: int, length: int, *, day: date = MONDAY, **kw: object
) -> Busy:
    return Busy(
        appt,
        staff,
        int(kw.pop("client", 100 + appt)),  # type: ignore[call-overload]
        kw.pop("room", None),  # type: ignore[arg-type]
        at(day, minute),
        at(day, minute + length),
        **kw,  # type: ignore[arg-type]
    )


def one_day(*therapists: TherapistDay, **kw: object) -> ShopDay:
    return ShopDay(MONDAY, therapists=therapists, **kw)  # type: ignore[arg-type]


MASSAGE = LegNeed(service_id=1, duration_minutes=60, buffer_minutes=15)


def times(slots: Sequence[Slot]) -> list[tuple[str, int]]:
    return [(s.starts.strftime("%a %H:%M"), s.legs[0].staff_id) for s in slots]


# -- examples -----------------------------------------------------------------------------------


def test_the_first_free_hour_after_a_booked_one_and_its_cleanup() -> None:
    facts = SlotFacts(
        ZONE,
        (one_day(TherapistDay(1, NINE_TO_SIX)),),
        busy=(busy(1, 1, 9 * 60, 60, buffer_minutes=15),),
    )
    found = find_slots(facts, SlotSearch((MASSAGE,), step_minutes=15), limit=2)
    assert times(found) == [("Mon 10:15", 1), ("Mon 10:30", 1)]
    assert found[0].ends == at(MONDAY, 11 * 60 + 15)
    assert found[0].legs[0].held_until == at(MONDAY, 11 * 60 + 30)


def test_breaks_absences_closed_days_and_qualifications_are_honoured() -> None:
    tuesday = MONDAY + timedelta(days=1)
    wednesday = MONDAY + timedelta(days=2)
    days = (
        ShopDay(MONDAY, closed=True, therapists=(TherapistDay(1, NINE_TO_SIX),)),
        ShopDay(
            tuesday,
            therapists=(
                TherapistDay(1, NINE_TO_SIX, absent=True),
                TherapistDay(2, NINE_TO_SIX, qualified_for=frozenset({7})),
                TherapistDay(3, ((9 * 60, 11 * 60 + 30),), breaks=((9 * 60, 10 * 60),)),
            ),
        ),
        ShopDay(wednesday, therapists=(TherapistDay(1, NINE_TO_SIX),)),
    )
    found = find_slots(SlotFacts(ZONE, days), SlotSearch((MASSAGE,), step_minutes=30), limit=3)
    # Only Tuesday's therapist 3, after the break and done by 11:30 with the cleanup; then Wed.
    assert times(found) == [("Tue 10:00", 3), ("Wed 09:00", 1), ("Wed 09:30", 1)]


def test_opening_hours_weekdays_and_the_time_window() -> None:
    days = tuple(
        ShopDay(
            MONDAY + timedelta(days=n),
            opening=((10 * 60, 16 * 60),),
            therapists=(TherapistDay(1, NINE_TO_SIX),),
        )
        for n in range(3)
    )
    search = SlotSearch(
        (MASSAGE,), weekdays=frozenset({2}), from_minute=13 * 60, to_minute=15 * 60, step_minutes=30
    )
    found = find_slots(SlotFacts(ZONE, days), search, limit=5)
    # Wednesday only; start at 13:00 or later, over by 15:00 (the cleanup may run to 16:00).
    assert times(found) == [("Wed 13:00", 1), ("Wed 13:30", 1), ("Wed 14:00", 1)]


def test_nothing_before_now() -> None:
    facts = SlotFacts(ZONE, (one_day(TherapistDay(1, NINE_TO_SIX)),))
    search = SlotSearch((MASSAGE,), step_minutes=15, not_before=at(MONDAY, 12 * 60 + 1))
    assert times(find_slots(facts, search, limit=1)) == [("Mon 12:15", 1)]


def test_a_room_with_places_left_and_the_first_room_that_fits() -> None:
    sauna = LegNeed(
        service_id=2,
        duration_minutes=60,
        needs_room=True,
        places=2,
        rooms=(RoomFree(10, 3), RoomFree(11, 6)),
    )
    facts = SlotFacts(
        ZONE,
        (one_day(TherapistDay(1, NINE_TO_SIX), TherapistDay(2, NINE_TO_SIX)),),
        busy=(busy(1, 3, 9 * 60, 60, room=10, places=2), busy(2, 3, 9 * 60, 60, room=11, places=5)),
    )
    found = find_slots(facts, SlotSearch((sauna,), step_minutes=60), limit=3)
    assert [(times([s])[0], s.legs[0].room_id) for s in found] == [
        (("Mon 10:00", 1), 10),
        (("Mon 10:00", 2), 10),
        (("Mon 11:00", 1), 10),
    ]


def test_equipment_runs_out() -> None:
    facial = LegNeed(service_id=3, duration_minutes=30, equipment=((50, 1),))
    facts = SlotFacts(
        ZONE,
        (one_day(TherapistDay(1, NINE_TO_SIX), TherapistDay(2, NINE_TO_SIX)),),
        busy=(busy(1, 2, 9 * 60, 60),),
        equipment={50: 1},
        held={1: ((50, 1),)},
    )
    found = find_slots(facts, SlotSearch((facial,), step_minutes=30), 2)
    assert times(found) == [("Mon 10:00", 1), ("Mon 10:00", 2)]


def test_a_sequence_runs_back_to_back_and_waits_for_the_cleanup_with_the_same_therapist() -> None:
    first = LegNeed(service_id=1, duration_minutes=60, buffer_minutes=15)
    second = LegNeed(service_id=2, duration_minutes=30, buffer_minutes=5)
    only_two = TherapistDay(2, NINE_TO_SIX, qualified_for=frozenset({2}))
    only_one = TherapistDay(1, NINE_TO_SIX, qualified_for=frozenset({1}))
    facts = SlotFacts(ZONE, (one_day(only_one, only_two),))
    found = find_slots(facts, SlotSearch((first, second), step_minutes=60), limit=1)
    assert [(leg.staff_id, leg.starts.strftime("%H:%M")) for leg in found[0].legs] == [
        (1, "09:00"),
        (2, "10:00"),
    ]
    alone = SlotFacts(ZONE, (one_day(TherapistDay(1, NINE_TO_SIX)),))
    found = find_slots(alone, SlotSearch((first, second), step_minutes=60), limit=1)
    assert [leg.starts.strftime("%H:%M") for leg in found[0].legs] == ["09:00", "10:15"]


def test_span_arithmetic() -> None:
    assert merged([(5, 10), (0, 5), (20, 30), (25, 26)]) == [(0, 10), (20, 30)]
    assert intersected([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert subtracted([(0, 10), (20, 30)], [(2, 3), (8, 22), (29, 40)]) == [
        (0, 2),
        (3, 8),
        (22, 29),
    ]


# -- the brute force ----------------------------------------------------------------------------


def _equipment_ok(
    facts: SlotFacts,
    need: LegNeed,
    starts: datetime,
    others: Sequence[Busy],
    extra: dict[int, tuple[tuple[int, int], ...]],
) -> bool:
    held_until = starts + timedelta(minutes=need.held_minutes)
    holds = {**facts.held, **extra}
    for resource_id, quantity in need.equipment:
        used = sum(
            q
            for other in others
            if other.starts < held_until and starts < other.held_until
            for r, q in holds.get(other.appointment_id, ())
            if r == resource_id
        )
        if facts.equipment.get(resource_id, 0) - used < quantity:
            return False
    return True


def brute_force(facts: SlotFacts, search: SlotSearch, limit: int) -> list[Slot]:
    """Every start on the grid, every therapist, every room in order, every rule by
    `check_booking`: the slots the search must find, in the same order (one per start and
    first therapist)."""
    client = search.client_id if search.client_id is not None else -1

    def place(
        shop_day: ShopDay, pinned: int, starts: datetime, placed: list[SlotLeg]
    ) -> list[SlotLeg] | None:
        k = len(placed)
        if k == len(search.legs):
            return placed
        need = search.legs[k]
        prev = placed[-1] if placed else None
        extra = {-(i + 1): search.legs[i].equipment for i in range(k)}
        others = [
            *facts.busy,
            *(
                Busy(
                    -(i + 1),
                    p.staff_id,
                    client,
                    p.room_id,
                    p.starts,
                    p.ends,
                    search.legs[i].buffer_minutes,
                    search.legs[i].places,
                )
                for i, p in enumerate(placed)
            ),
        ]
        rooms: list[RoomFree | None] = (
            [r for r in need.rooms if search.room_id in (None, r.room_id)]
            if need.needs_room
            else [None]
        )
        for therapist in shop_day.therapists:
            if search.staff_id not in (None, therapist.staff_id):
                continue
            if prev is None and therapist.staff_id != pinned:
                continue
            for room in rooms:
                if prev is None:
                    start = starts
                elif therapist.staff_id == prev.staff_id or (
                    room is not None and room.room_id == prev.room_id
                ):
                    start = prev.held_until
                else:
                    start = prev.ends
                wanted = Wanted(
                    therapist.staff_id,
                    client,
                    start,
                    need.duration_minutes,
                    need.buffer_minutes,
                    need.needs_room,
                    need.places,
                )
                try:
                    room_id = check_booking(
                        wanted,
                        shop_day.staff_day(therapist, need.service_id),
                        others,
                        [] if room is None else [room],
                    )
                except DomainError:
                    continue
                if not _equipment_ok(facts, need, start, others, extra):
                    continue
                leg = SlotLeg(
                    need.service_id,
                    therapist.staff_id,
                    room_id,
                    start,
                    wanted.ends,
                    wanted.held_until,
                )
                done = place(shop_day, pinned, starts, [*placed, leg])
                if done is not None:
                    return done
        return None

    found: list[Slot] = []
    for shop_day in sorted(facts.days, key=lambda d: d.day):
        if search.weekdays and shop_day.day.weekday() not in search.weekdays:
            continue
        for minute in range(search.from_minute, 24 * 60, search.step_minutes):
            if minute % search.step_minutes:
                continue
            starts = at(shop_day.day, minute)
            if search.not_before is not None and starts < search.not_before:
                continue
            for therapist in shop_day.therapists:
                done = place(shop_day, therapist.staff_id, starts, [])
                if done is not None and done[-1].ends <= at(shop_day.day, search.to_minute):
                    found.append(Slot(tuple(done)))
                    if len(found) >= limit:
                        return found
    return found


def spans(most: int = 2) -> st.SearchStrategy[tuple[tuple[int, int], ...]]:
    """Up to `most` spans of quarter hours in a day, mostly daytime."""
    span = st.tuples(st.integers(24, 56), st.integers(1, 40)).map(
        lambda p: (p[0] * 15, min(24 * 60, (p[0] + p[1]) * 15))
    )
    return st.lists(span, min_size=1, max_size=most).map(tuple)


def unlikely(strategy: st.SearchStrategy[object], default: object) -> st.SearchStrategy[object]:
    return st.one_of(st.just(default), st.just(default), st.just(default), strategy)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[SlotFacts, SlotSearch]:
    n_days = draw(st.integers(1, 2))
    staff_ids = [1, 2, 3][: draw(st.integers(1, 3))]
    rooms = tuple(RoomFree(10 + i, draw(st.integers(1, 3))) for i in range(draw(st.integers(0, 2))))
    days = []
    for n in range(n_days):
        therapists = tuple(
            TherapistDay(
                s,
                draw(spans()),
                draw(unlikely(spans(1), ())),  # type: ignore[arg-type]
                draw(unlikely(st.just(True), False)),  # type: ignore[arg-type]
                draw(unlikely(st.frozensets(st.integers(1, 2), max_size=2), None)),  # type: ignore[arg-type]
            )
            for s in staff_ids
        )
        days.append(
            ShopDay(
                MONDAY + timedelta(days=n),
                draw(unlikely(spans(), None)),  # type: ignore[arg-type]
                draw(unlikely(st.just(True), False)),  # type: ignore[arg-type]
                therapists,
            )
        )
    appts = []
    for appt in range(1, draw(st.integers(0, 10)) + 1):
        day = MONDAY + timedelta(days=draw(st.integers(-1, n_days)))
        appts.append(
            busy(
                appt,
                draw(st.sampled_from(staff_ids)),
                draw(st.integers(0, 24 * 60 // 5)) * 5 + draw(st.sampled_from([0, 0, 3])),
                draw(st.integers(1, 36)) * 5,
                day=day,
                client=draw(st.integers(100, 102)),
                room=draw(st.sampled_from([None, *(r.room_id for r in rooms)])),
                buffer_minutes=draw(st.sampled_from([0, 10, 15])),
                places=draw(st.integers(1, 2)),
            )
        )
    owned = {50: draw(st.integers(0, 2)), 51: draw(st.integers(1, 2))}
    held = {
        a.appointment_id: draw(st.sampled_from([(), ((50, 1),), ((51, 1),), ((50, 2),)]))
        for a in appts
    }
    legs = tuple(
        LegNeed(
            service_id=draw(st.integers(1, 2)),
            duration_minutes=draw(st.integers(1, 18)) * 5 + draw(st.sampled_from([0, 0, 2])),
            buffer_minutes=draw(st.sampled_from([0, 5, 15])),
            needs_room=(needs := bool(rooms) and draw(st.booleans())),
            places=draw(unlikely(st.just(2), 1)) if needs else 1,  # type: ignore[arg-type]
            rooms=rooms if needs else (),
            equipment=draw(st.sampled_from([(), (), ((50, 1),), ((51, 1), (50, 1))])),
        )
        for _ in range(draw(st.integers(1, 2)))
    )
    from_minute = draw(st.sampled_from([0, 0, 9 * 60, 13 * 60 + 30]))
    search = SlotSearch(
        legs,
        staff_id=draw(unlikely(st.sampled_from(staff_ids), None)),  # type: ignore[arg-type]
        room_id=draw(unlikely(st.sampled_from([None, *(r.room_id for r in rooms)]), None)),  # type: ignore[arg-type]
        weekdays=draw(unlikely(st.sampled_from([frozenset({0}), frozenset({1, 2})]), frozenset())),  # type: ignore[arg-type]
        from_minute=from_minute,
        to_minute=draw(st.sampled_from([24 * 60, 24 * 60, 17 * 60, from_minute + 120])),
        step_minutes=draw(st.sampled_from([5, 15, 30, 60])),
        client_id=draw(st.none() | st.integers(100, 102)),
        not_before=draw(unlikely(st.just(at(MONDAY, 11 * 60 + 7)), None)),  # type: ignore[arg-type]
    )
    return SlotFacts(ZONE, tuple(days), tuple(appts), owned, held), search


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([1, 3, 1000]))
def test_the_search_finds_exactly_what_the_rules_accept_in_order(
    scenario: tuple[SlotFacts, SlotSearch], limit: int
) -> None:
    facts, search = scenario
    assert list(find_slots(facts, search, limit)) == brute_force(facts, search, limit)
