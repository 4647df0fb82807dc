"""The next free slots for given services (optionally a therapist, a room, weekdays, a time
window): the facts for the whole range are read once (schedule_facts.load_facts, a fixed
handful of queries), then the pure search (frontdesk/domain/free_slots.py) plans each slot with
the booking engine's own rules, so a slot offered is a slot that books."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Service, ServicePrice
from frontdesk.domain.booking import LegNeed, LegPlan, RoomFree
from frontdesk.domain.catalogue import DatedPrice, Price, price_on
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.free_slots import MINUTES_PER_DAY, Slot, SlotFacts, SlotSearch, find_slots
from frontdesk.domain.roles import Permission
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import PlannedLeg
from frontdesk.services.clock import Clock
from frontdesk.services.schedule_facts import Relevant, ScheduleFacts, load_facts
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads

#: The longest range one search covers (a year), and the steps the calendar offers.
MAX_DAYS = 366
MAX_STEP = 120
#: Days read first (most searches end in them); each later read covers twice as many days as
#: the one before, until the limit is reached or the range is done.
FIRST_DAYS = 1
#: A client id no one has: a search without a client clashes with no client's bookings.
NO_CLIENT = 0


@dataclass(frozen=True)
class SlotQuery:
    """What to look for: services in order (one or several), from a day for `days` days."""

    service_ids: tuple[int, ...]
    from_day: date
    days: int = 60
    #: A named therapist for every service; None for anyone qualified.
    staff_id: int | None = None
    #: A named room (for the services that need a room; for every one when none does).
    room_id: int | None = None
    #: Weekdays that suit (0 = Monday); empty for any.
    weekdays: frozenset[int] = frozenset()
    #: The booking starts at or after `from_minute` and is over (without the cleanup) by
    #: `to_minute`: shop-local minutes from midnight.
    from_minute: int = 0
    to_minute: int = MINUTES_PER_DAY
    step_minutes: int = 5
    #: The client, so their other bookings are not clashed with.
    client_id: int | None = None


@dataclass(frozen=True)
class FreeSlot:
    """A slot that books as it stands: its legs with therapist, room, equipment and price."""

    starts: datetime
    ends: datetime
    legs: tuple[PlannedLeg, ...]


class FreeSlotService:
    """Finds the next free slots (BOOK_APPOINTMENTS)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @reads
    def find(self, query: SlotQuery, viewer: SignedIn, *, limit: int = 10) -> tuple[FreeSlot, ...]:
        """The first `limit` slots from `query.from_day` on (none before now), in time order
        and then the therapists' order. FormErrors/ValidationError at the fields for bad
        input."""
        viewer.require(Permission.BOOK_APPOINTMENTS)
        _check(query)
        with self._uow.read() as session:
            shop = load_shop(session)
            now = self._clock.now().astimezone(shop.zone)
            last_day = query.from_day + timedelta(days=query.days - 1)
            # The days before today hold no slot. Most searches are answered in the first
            # days: read those first, and the rest of the range (once) only when needed.
            first_day = max(query.from_day, now.date())
            chunk = FIRST_DAYS
            found: list[FreeSlot] = []
            prices: _Prices | None = None
            only: Relevant | None = None
            reach = _reach(session, query.service_ids)
            while True:
                chunk_last = min(last_day, first_day + timedelta(days=chunk - 1))
                # The appointments whose held time touches these days, up to the latest a
                # booking starting on them could be held.
                window = (
                    datetime.combine(first_day, time.min, shop.zone),
                    datetime.combine(chunk_last + timedelta(days=1), time.min, shop.zone) + reach,
                )
                facts = load_facts(
                    session,
                    shop,
                    min(first_day, chunk_last),
                    chunk_last,
                    only=only,
                    window=window,
                )
                search = _search(query, facts, now)
                # The rest of the range: only the appointments that could be in the way.
                only = _relevant(search, facts)
                days = tuple(
                    first_day + timedelta(days=n) for n in range((chunk_last - first_day).days + 1)
                )
                slot_facts = SlotFacts(
                    shop.zone, days, facts.staff_day, facts.busy, facts.equipment()
                )
                slots = find_slots(slot_facts, search, limit - len(found))
                if slots and prices is None:
                    prices = _prices(session, query.service_ids)
                found += (_free_slot(slot, facts, shop, prices or {}) for slot in slots)
                if len(found) >= limit or chunk_last >= last_day:
                    return tuple(found)
                first_day, chunk = chunk_last + timedelta(days=1), chunk * 2


def _reach(session: Session, service_ids: tuple[int, ...]) -> timedelta:
    """The longest the services booked in a row could be held (each with its cleanup)."""
    held: dict[int, int] = {}
    for service_id, minutes, cleanup in session.execute(
        select(Service.id, Service.duration_minutes, Service.buffer_minutes).where(
            Service.id.in_(sorted(set(service_ids)))
        )
    ).tuples():
        held[service_id] = max(minutes, 0) + max(cleanup, 0)
    return timedelta(minutes=sum(held.get(i, 0) for i in service_ids))


def _check(query: SlotQuery) -> None:
    """Every bad field at once."""
    errors: dict[str, DomainError] = {}
    if not query.service_ids:
        errors["service"] = ValidationError("service", "Choose a service.")
    if not 0 <= query.from_minute < query.to_minute <= MINUTES_PER_DAY:
        errors["window"] = ValidationError(
            "window", "The end of the time window must be after its start."
        )
    if not 1 <= query.days <= MAX_DAYS:
        errors["slot_days"] = ValidationError(
            "slot_days", "Search between 1 and {most} days.", most=MAX_DAYS
        )
    if not 1 <= query.step_minutes <= MAX_STEP:
        errors["step"] = ValidationError(
            "step", "The step is between 1 and {most} minutes.", most=MAX_STEP
        )
    if not query.weekdays <= frozenset(range(7)):
        errors["weekdays"] = ValidationError("weekdays", "Choose days of the week.")
    _raise(errors)


def _raise(errors: dict[str, DomainError]) -> None:
    if len(errors) == 1:
        raise next(iter(errors.values()))
    if errors:
        raise FormErrors(errors)


def _search(query: SlotQuery, facts: ScheduleFacts, now: datetime) -> SlotSearch:
    """The search in the engine's terms; ValidationError for an unknown or archived service,
    therapist or room."""
    errors: dict[str, DomainError] = {}
    services = [facts.services.get(i) for i in query.service_ids]
    if any(s is None or not s.active or not s.bookable for s in services):
        errors["service"] = ValidationError(
            "service", "That service is archived or cannot be booked."
        )
    if query.staff_id is not None:
        staff = facts.staff_named(query.staff_id)
        if staff is None or not staff.active:
            errors["staff"] = ValidationError(
                "staff", "That therapist is archived or no longer exists."
            )
    room = next((r for r in facts.rooms if r.id == query.room_id), None)
    if query.room_id is not None and (room is None or not room.active):
        errors["room"] = ValidationError("room", "That room is archived or no longer exists.")
    _raise(errors)
    chosen = [s for s in services if s is not None]
    any_room = any(s.room_kind for s in chosen)
    legs = []
    for service in chosen:
        staff_ids = (query.staff_id,) if query.staff_id is not None else facts.staff_for(service.id)
        room_here = room is not None and (bool(service.room_kind) or not any_room)
        rooms = (
            (RoomFree(room.id, room.capacity),)
            if room is not None and room_here
            else facts.rooms_for(service.room_kind)
        )
        legs.append(
            LegNeed(
                client_id=query.client_id if query.client_id is not None else NO_CLIENT,
                service_id=service.id,
                service_name=service.name,
                duration_minutes=service.duration_minutes,
                buffer_minutes=service.buffer_minutes,
                needs_room=bool(service.room_kind) or room_here,
                places=service.places,
                equipment=service.equipment,
                staff_ids=staff_ids,
                staff_named=query.staff_id is not None,
                rooms=rooms,
            )
        )
    return SlotSearch(
        tuple(legs),
        weekdays=query.weekdays,
        from_minute=query.from_minute,
        to_minute=query.to_minute,
        step_minutes=query.step_minutes,
        not_before=now,
    )


#: Service id -> (its price from the start, its dated prices).
_Prices = dict[int, tuple[Price, list[DatedPrice]]]


def _relevant(search: SlotSearch, facts: ScheduleFacts) -> Relevant:
    """The therapists, client, rooms and equipment the search could collide with."""
    kinds = {_kind(e.kind) for leg in search.legs for e in leg.equipment if e.kind}
    return Relevant(
        staff_ids=frozenset(s for leg in search.legs for s in leg.staff_ids),
        client_ids=frozenset({search.legs[0].client_id}) - {NO_CLIENT},
        room_ids=frozenset(r.room_id for leg in search.legs for r in leg.rooms),
        resource_ids=frozenset(e.resource_id for leg in search.legs for e in leg.equipment)
        | {r.id for r in facts.resources if r.kind and _kind(r.kind) in kinds},
    )


def _kind(text: str) -> str:
    return " ".join(text.split()).casefold()


def _prices(session: Session, service_ids: tuple[int, ...]) -> _Prices:
    """Every price the services have had or will have, in two queries."""
    dated: dict[int, list[DatedPrice]] = defaultdict(list)
    for row in session.scalars(
        select(ServicePrice).where(ServicePrice.service_id.in_(service_ids))
    ):
        dated[row.service_id].append(DatedPrice(row.starts_on, row.price_minor, row.tax_rate_bp))
    return {
        service_id: (Price(price_minor, tax_rate_bp), dated[service_id])
        for service_id, price_minor, tax_rate_bp in session.execute(
            select(Service.id, Service.price_minor, Service.tax_rate_bp).where(
                Service.id.in_(service_ids)
            )
        ).tuples()
    }


def _free_slot(slot: Slot, facts: ScheduleFacts, shop: ShopInfo, prices: _Prices) -> FreeSlot:
    return FreeSlot(
        slot.starts,
        slot.ends,
        tuple(_planned(plan, facts, shop, prices) for plan in slot.legs),
    )


def _planned(plan: LegPlan, facts: ScheduleFacts, shop: ShopInfo, prices: _Prices) -> PlannedLeg:
    """The leg as the booking dialog previews it, priced on its day."""
    need = plan.need
    service = facts.services[need.service_id]
    staff = facts.staff_named(plan.staff_id) if plan.staff_id is not None else None
    base, dated = prices[need.service_id]
    price = price_on(base, dated, plan.starts.date())
    return PlannedLeg(
        client_id=need.client_id,
        service_id=service.id,
        service_name=service.name,
        staff_id=plan.staff_id,
        staff_name=staff.name if staff is not None else "",
        room_id=plan.room_id,
        room_name=facts.room_name(plan.room_id),
        resource_names=tuple(facts.resource_name(r) for r, _q in plan.resources),
        starts=plan.starts,
        ends=plan.ends,
        held_until=plan.held_until,
        price=shop.amount(price.price_minor),
    )
