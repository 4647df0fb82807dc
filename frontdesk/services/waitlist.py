"""The waitlist: clients who want a service within a window, matched when a slot frees up.

An entry waits until it is booked, removed, or its last day passes (then it simply drops out of
the list). Its matches are the free slots in its window now, found by the free-slot search
(FreeSlotService.find) for waiting entries only and only over their own window, so a
cancellation or a move shows who is waiting for the freed time at the next refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Customer, Service, Staff, WaitlistEntry
from frontdesk.domain.booking import Busy, LegNeed, plan_booking
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
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
from frontdesk.services.schedule_facts import ScheduleFacts, load_facts
from frontdesk.services.shop import ShopInfo, ShopService, load_shop
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: How many free slots each waiting entry shows.
MATCHES_PER_ENTRY = 3
#: The search looks this many days ahead at most, however long the window.
SEARCH_DAYS = 28
#: Starts are tried on this grid (minutes from midnight).
STEP_MINUTES = 15


@dataclass(frozen=True)
class FreeSlot:
    """A free time for a waiting client (the same shape as the free-slot search's FreeSlot):
    aware datetimes in the shop's zone, and the appointment it would make."""

    starts: datetime
    ends: datetime
    legs: tuple[PlannedLeg, ...]


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
            rows = session.execute(
                select(WaitlistEntry, Customer, Service, Staff)
                .join(Customer, Customer.id == WaitlistEntry.customer_id)
                .join(Service, Service.id == WaitlistEntry.service_id)
                .outerjoin(Staff, Staff.id == WaitlistEntry.staff_id)
                .where(WaitlistEntry.state == "waiting", WaitlistEntry.last_day >= today)
                .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
            ).tuples()
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
            if not views or matches_per_entry <= 0:
                return tuple(views)
            last = min(max(v.last_day for v in views), today + timedelta(days=SEARCH_DAYS - 1))
            facts = load_facts(session, shop, today, last)
            return tuple(
                replace(view, matches=_matches(session, facts, shop, view, now, matches_per_entry))
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
    now: datetime,
    limit: int,
) -> tuple[FreeSlot, ...]:
    """The first free starts in the entry's window (one per therapist and day), from now on."""
    service = facts.services.get(view.service_id)
    if service is None or not service.active or not service.bookable:
        return ()
    if view.staff_id is not None:
        named = facts.staff_named(view.staff_id)
        staff_ids: tuple[int, ...] = (view.staff_id,) if named and named.active else ()
    else:
        staff_ids = facts.staff_for(view.service_id)
    window = view.window
    found: list[FreeSlot] = []
    day = max(view.first_day, facts.first_day)
    while day <= min(view.last_day, facts.last_day) and len(found) < limit:
        if not window.weekdays or day.weekday() in window.weekdays:
            busy = facts.busy_on(day)
            for staff_id in staff_ids:
                slot = _first_free(session, facts, shop, view, staff_id, day, busy, now)
                if slot is not None:
                    found.append(slot)
                    if len(found) >= limit:
                        break
        day += timedelta(days=1)
    return tuple(found)


def _first_free(
    session: Session,
    facts: ScheduleFacts,
    shop: ShopInfo,
    view: WaitlistView,
    staff_id: int,
    day: date,
    busy: list[Busy],
    now: datetime,
) -> FreeSlot | None:
    service_id = view.service_id
    staff_day = facts.staff_day(staff_id, service_id, day)
    if not staff_day.working or staff_day.absent or staff_day.closed_day:
        return None
    service = facts.services[service_id]
    need = LegNeed(
        client_id=view.client_id,
        service_id=service_id,
        service_name=service.name,
        duration_minutes=service.duration_minutes,
        buffer_minutes=service.buffer_minutes,
        needs_room=bool(service.room_kind),
        places=service.places,
        equipment=service.equipment,
        staff_ids=(staff_id,),
        rooms=facts.rooms_for(service.room_kind),
    )
    first = max(view.from_minute, min(start for start, _end in staff_day.working))
    first += -first % STEP_MINUTES
    last = min(view.to_minute, max(end for _start, end in staff_day.working))
    for minute in range(first, last, STEP_MINUTES):
        starts = datetime.combine(day, time(minute // 60, minute % 60), facts.zone)
        if starts <= now:
            continue
        (leg,) = plan_booking([[need]], starts, facts.staff_day, busy, facts.equipment())
        if leg.problem is not None or leg.staff_id is None:
            continue
        staff = facts.staff_named(leg.staff_id)
        price = service_price_on(session, service_id, day)
        planned = PlannedLeg(
            client_id=view.client_id,
            service_id=service_id,
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
        return FreeSlot(leg.starts, leg.ends, (planned,))
    return None


__all__ = ["FreeSlot", "WaitlistDraft", "WaitlistService", "WaitlistView"]
