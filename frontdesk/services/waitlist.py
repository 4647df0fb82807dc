"""The waitlist: clients who want a service within a window, matched when a slot frees up.

An entry waits until it is booked, removed, or its last day passes (then it simply drops out of
the list). Its matches are the free slots in its window now, found by the free-slot search
(domain/free_slots.py, as FreeSlotService uses it) for waiting entries only and only over their
own window, on one read of the facts shared by every entry, so a cancellation or a move shows
who is waiting for the freed time at the next refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer, Service, Staff, WaitlistEntry
from frontdesk.domain.booking import LegNeed
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.free_slots import SlotFacts, SlotSearch, find_slots
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.waitlist import (
    MINUTES_PER_DAY,
    Window,
    check_window,
    weekday_mask,
    weekdays_of,
)
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import PlannedLeg
from frontdesk.services.catalogue import service_price_on
from frontdesk.services.clock import Clock
from frontdesk.services.free_slots import FreeSlot
from frontdesk.services.schedule_facts import ScheduleFacts, load_facts
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: How many free slots each waiting entry shows.
MATCHES_PER_ENTRY = 3
#: The search looks this many days ahead at most, however long the window.
SEARCH_DAYS = 28
#: Starts are tried on this grid (minutes from midnight).
STEP_MINUTES = 15
#: Slots asked of the search per entry, so that the first of each day and therapist can be
#: shown (about one therapist's day at the step).
SEARCHED_PER_MATCH = 12


@dataclass(frozen=True)
class WaitlistDraft:
    """A client waiting for a service: days first..last, starts between from..to (local minutes
    from midnight), on these weekdays (0 = Monday; empty = any), with a therapist or anyone."""

    client_id: int | None
    service_id: int | None
    first_day: date
    last_day: date
    staff_id: int | None = None
    from_minute: int = 0
    to_minute: int = MINUTES_PER_DAY
    weekdays: frozenset[int] = frozenset()
    note: str = ""


@dataclass(frozen=True)
class WaitlistView:
    """A waiting client and the free slots that suit them now."""

    id: int
    client_id: int
    client_name: str
    client_phone: str
    service_id: int
    service_name: str
    staff_id: int | None
    staff_name: str  # "" for anyone
    first_day: date
    last_day: date
    from_minute: int
    to_minute: int
    weekdays: frozenset[int]
    note: str
    created_at: datetime
    matches: tuple[FreeSlot, ...] = ()

    @property
    def window(self) -> Window:
        return Window(
            self.first_day, self.last_day, self.from_minute, self.to_minute, self.weekdays
        )


class WaitlistService:
    """Who is waiting for what (VIEW_CALENDAR to read, BOOK_APPOINTMENTS to change)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @writes
    def add(self, draft: WaitlistDraft, by: SignedIn) -> int:
        """Put a client on the waitlist; the entry's id. FormErrors names every bad field."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            today = load_shop(session).today(self._clock.now())
            errors: dict[str, DomainError] = {}
            window = Window(
                draft.first_day, draft.last_day, draft.from_minute, draft.to_minute, draft.weekdays
            )
            note = ""
            try:
                note = check_window(window, today, draft.note)
            except FormErrors as bad:
                errors.update(bad.errors)
            client = session.get(Customer, draft.client_id) if draft.client_id else None
            if draft.client_id is None:
                errors["client"] = ValidationError("client", "Choose a client.")
            elif client is None:
                errors["client"] = ValidationError("client", "That client no longer exists.")
            service = session.get(Service, draft.service_id) if draft.service_id else None
            if draft.service_id is None:
                errors["service"] = ValidationError("service", "Choose a service.")
            elif service is None or not service.active or not service.bookable:
                errors["service"] = ValidationError(
                    "service", "That service is archived or cannot be booked."
                )
            if draft.staff_id is not None:
                staff = session.get(Staff, draft.staff_id)
                if staff is None or not staff.active:
                    errors["staff"] = ValidationError(
                        "staff", "That therapist is archived or no longer exists."
                    )
            if errors:
                raise FormErrors(errors)
            assert client is not None
            assert service is not None
            now = self._clock.now()
            entry = WaitlistEntry(
                customer_id=client.id,
                service_id=service.id,
                staff_id=draft.staff_id,
                first_day=draft.first_day,
                last_day=draft.last_day,
                from_minute=draft.from_minute,
                to_minute=draft.to_minute,
                weekdays=weekday_mask(draft.weekdays),
                note=note,
                state="waiting",
                created_at=now,
                created_by=by.staff_id,
            )
            session.add(entry)
            session.flush()
            record(
                session,
                at=now,
                action="waitlist.added",
                staff_id=by.staff_id,
                entity="waitlist",
                entity_id=entry.id,
            )
            return entry.id

    @writes
    def remove(self, entry_id: int, by: SignedIn) -> None:
        """Take a client off the waitlist (they no longer want it)."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            entry = self._waiting(session, entry_id)
            entry.state = "removed"
            entry.closed_at = self._clock.now()
            record(
                session,
                at=entry.closed_at,
                action="waitlist.removed",
                staff_id=by.staff_id,
                entity="waitlist",
                entity_id=entry.id,
            )

    @writes
    def mark_booked(self, entry_id: int, appointment_id: int, by: SignedIn) -> None:
        """The client got an appointment from the waitlist: the entry closes with it."""
        by.require(Permission.BOOK_APPOINTMENTS)
        with self._uow.write() as session:
            entry = self._waiting(session, entry_id)
            entry.state = "booked"
            entry.appointment_id = appointment_id
            entry.closed_at = self._clock.now()
            record(
                session,
                at=entry.closed_at,
                action="waitlist.booked",
                staff_id=by.staff_id,
                entity="waitlist",
                entity_id=entry.id,
                detail=f"appointment {appointment_id}",
            )

    @reads
    def entries(
        self, viewer: SignedIn, *, matches_per_entry: int = MATCHES_PER_ENTRY
    ) -> tuple[WaitlistView, ...]:
        """Everyone still waiting (last day not passed), oldest first, each with the free slots
        in their window from now on."""
        viewer.require(Permission.VIEW_CALENDAR)
        with self._uow.read() as session:
            shop = load_shop(session)
            now = self._clock.now()
            today = shop.today(now)
            rows = (
                session.execute(
                    select(WaitlistEntry, Customer, Service, Staff)
                    .join(Customer, Customer.id == WaitlistEntry.customer_id)
                    .join(Service, Service.id == WaitlistEntry.service_id)
                    .outerjoin(Staff, Staff.id == WaitlistEntry.staff_id)
                    .where(WaitlistEntry.state == "waiting", WaitlistEntry.last_day >= today)
                    .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
                )
                .tuples()
                .all()
            )
            views = [
                WaitlistView(
                    id=entry.id,
                    client_id=client.id,
                    client_name=display_name(client.first_name, client.last_name),
                    client_phone=client.phone or "",
                    service_id=service.id,
                    service_name=service.name,
                    staff_id=entry.staff_id,
                    staff_name=staff.display_name if staff is not None else "",
                    first_day=entry.first_day,
                    last_day=entry.last_day,
                    from_minute=entry.from_minute,
                    to_minute=entry.to_minute,
                    weekdays=weekdays_of(entry.weekdays),
                    note=entry.note,
                    created_at=entry.created_at,
                )
                for entry, client, service, staff in rows
            ]
            durations = {entry.id: service.duration_minutes for entry, _c, service, _s in rows}
            # Only the desk books; the search is theirs (a therapist sees who is waiting).
            if not views or matches_per_entry <= 0 or not viewer.can(Permission.BOOK_APPOINTMENTS):
                return tuple(views)
            # One read of the facts for every entry, over the days they wait (capped).
            last = min(max(v.last_day for v in views), today + timedelta(days=SEARCH_DAYS - 1))
            facts = load_facts(session, shop, today, last)
            return tuple(
                replace(
                    view,
                    matches=_matches(
                        session, facts, shop, view, durations[view.id], now, matches_per_entry
                    ),
                )
                for view in views
            )

    # -- helpers ------------------------------------------------------------------------------

    def _waiting(self, session: Session, entry_id: int) -> WaitlistEntry:
        entry = session.get(WaitlistEntry, entry_id, with_for_update=True)
        if entry is None or entry.state != "waiting":
            raise DomainError("This client is no longer on the waitlist.")
        return entry


def _matches(
    session: Session,
    facts: ScheduleFacts,
    shop: ShopInfo,
    view: WaitlistView,
    duration: int,
    now: datetime,
    limit: int,
) -> tuple[FreeSlot, ...]:
    """The first free start of each day and therapist in the entry's window, from now on:
    the free-slot search (domain/free_slots.py) over the facts shared by every entry, on the
    entry's own days only."""
    service = facts.services.get(view.service_id)
    if service is None or not service.active or not service.bookable:
        return ()
    if view.staff_id is not None:
        named = facts.staff_named(view.staff_id)
        if named is None or not named.active:
            return ()
        staff_ids: tuple[int, ...] = (view.staff_id,)
    else:
        staff_ids = facts.staff_for(service.id)
    first = max(view.first_day, facts.first_day)
    last = min(view.last_day, facts.last_day)
    days = tuple(first + timedelta(days=n) for n in range((last - first).days + 1))
    if not days or not staff_ids:
        return ()
    need = LegNeed(
        client_id=view.client_id,
        service_id=service.id,
        service_name=service.name,
        duration_minutes=service.duration_minutes,
        buffer_minutes=service.buffer_minutes,
        needs_room=bool(service.room_kind),
        places=service.places,
        equipment=service.equipment,
        staff_ids=staff_ids,
        staff_named=view.staff_id is not None,
        rooms=facts.rooms_for(service.room_kind),
    )
    search = SlotSearch(
        (need,),
        weekdays=view.weekdays,
        from_minute=view.from_minute,
        # The entry names the latest start; the search the latest end.
        to_minute=min(MINUTES_PER_DAY, view.to_minute + duration),
        step_minutes=STEP_MINUTES,
        not_before=now.astimezone(facts.zone),
    )
    slot_facts = SlotFacts(facts.zone, days, facts.staff_day, facts.busy, facts.equipment())
    window = view.window
    matches: list[FreeSlot] = []
    seen: set[tuple[date, int | None]] = set()
    for slot in find_slots(slot_facts, search, limit * SEARCHED_PER_MATCH):
        leg = slot.legs[0]
        local = slot.starts.astimezone(facts.zone)
        if leg.staff_id is None or not window.suits(local) or (local.date(), leg.staff_id) in seen:
            continue
        seen.add((local.date(), leg.staff_id))
        staff = facts.staff_named(leg.staff_id)
        price = service_price_on(session, service.id, local.date())
        planned = PlannedLeg(
            client_id=view.client_id,
            service_id=service.id,
            service_name=service.name,
            staff_id=leg.staff_id,
            staff_name=staff.name if staff is not None else "",
            room_id=leg.room_id,
            room_name=facts.room_name(leg.room_id),
            resource_names=tuple(facts.resource_name(r) for r, _q in leg.resources),
            starts=leg.starts,
            ends=leg.ends,
            held_until=leg.held_until,
            price=shop.amount(price.price_minor),
        )
        matches.append(FreeSlot(slot.starts, slot.ends, (planned,)))
        if len(matches) >= limit:
            break
    return tuple(matches)


__all__ = ["WaitlistDraft", "WaitlistService", "WaitlistView"]
