"""The room board: rooms, beds and sauna places, and equipment, free, booked, in service or being
cleaned, at one instant.

A room holding more than one (a couples room, a sauna of six) is shown place by place; so is
equipment the shop has several of. Which place a visit takes is not stored: visits fill places in
a stable order (in service, then cleaning, then due), as the desk would seat them.

States at the instant `at`:
- in service: the visit's status is "in service"; minutes left from its start time plus its
  length (negative: running over);
- cleaning: within the service's buffer after it was finished, or after its scheduled end when
  nobody marked it finished;
- booked: a visit not yet started is due within `soon_minutes` (or is running late, or the client
  is waiting);
- free otherwise; the room's next visit today is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select

from db.models import Appointment, AppointmentResource, Customer, Resource, Room, Service, Staff
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.shop_time import day_bounds_utc, to_local
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads

#: A visit starting within this many minutes shows its place as booked.
SOON_MINUTES = 30
#: How far back a visit may have started and still be on the board (running over, cleaning).
LOOK_BACK = timedelta(hours=24)

S = AppointmentStatus


class TileState(StrEnum):
    FREE = "free"
    BOOKED = "booked"
    IN_SERVICE = "in_service"
    CLEANING = "cleaning"


class GroupKind(StrEnum):
    ROOM = "room"
    EQUIPMENT = "equipment"


@dataclass(frozen=True)
class BoardVisit:
    """Who and what is in (or due in) a place. No health data; no client name for a role that
    may not see clients."""

    appointment_id: int
    client_name: str  # "" when the viewer may not see clients
    service_name: str
    therapist_name: str
    status: AppointmentStatus
    starts: datetime  # aware, in the shop's zone
    ends: datetime  # the scheduled end, in the shop's zone
    places: int = 1


@dataclass(frozen=True)
class BoardTile:
    """One place of a room (or one piece of equipment) at the board's instant."""

    #: 1-based place number; 0 when the room or equipment has a single place.
    place: int
    state: TileState
    visit: BoardVisit | None = None
    #: When the state ends: the expected end of the service, the end of cleaning, or the start
    #: of the visit due (shop zone); None when free.
    until: datetime | None = None
    #: Minutes from the board's instant to `until` (negative: running over, or late).
    minutes: int | None = None


@dataclass(frozen=True)
class BoardGroup:
    """A room with its places, or an equipment item with its units."""

    kind: GroupKind
    id: int
    name: str
    room_kind: str
    capacity: int
    tiles: tuple[BoardTile, ...]
    #: The next visit later today that is not on a tile yet.
    next_visit: BoardVisit | None = None


@dataclass(frozen=True)
class RoomBoard:
    at: datetime  # aware, in the shop's zone
    rooms: tuple[BoardGroup, ...]
    equipment: tuple[BoardGroup, ...]

    @property
    def empty(self) -> bool:
        """The shop has no active rooms or equipment."""
        return not self.rooms and not self.equipment


@dataclass(frozen=True)
class Use:
    """A visit's claim on a room or equipment, with the times that decide its state (UTC)."""

    visit: BoardVisit
    places: int
    starts: datetime
    ends: datetime
    buffer_minutes: int
    started_at: datetime | None = None
    finished_at: datetime | None = None


def _minutes(delta: timedelta) -> int:
    return math.ceil(delta.total_seconds() / 60)


def use_state(
    use: Use, at: datetime, soon_minutes: int = SOON_MINUTES
) -> tuple[TileState, datetime] | None:
    """The state `use` puts its place in at `at`, and when that state ends; None when it does
    not occupy the place now (over and cleaned, or not due yet)."""
    status = use.visit.status
    buffer = timedelta(minutes=use.buffer_minutes)
    if status is S.IN_SERVICE:
        expected = (use.started_at + (use.ends - use.starts)) if use.started_at else use.ends
        return TileState.IN_SERVICE, expected
    if status is S.COMPLETED:
        cleaned_from = use.finished_at or use.ends
        if cleaned_from <= at < cleaned_from + buffer:
            return TileState.CLEANING, cleaned_from + buffer
        return None
    if not status.holds_time:
        return None
    if use.starts - timedelta(minutes=soon_minutes) <= at < use.ends:
        return TileState.BOOKED, use.starts
    if use.ends <= at < use.ends + buffer:
        return TileState.CLEANING, use.ends + buffer
    return None


_PRIORITY = {TileState.IN_SERVICE: 0, TileState.CLEANING: 1, TileState.BOOKED: 2}


def place_tiles(
    capacity: int,
    uses: list[Use],
    at: datetime,
    zone_of: ZoneConverter,
    soon_minutes: int = SOON_MINUTES,
) -> tuple[tuple[BoardTile, ...], set[int]]:
    """The `capacity` places of a room or equipment at `at`, filled by `uses` in a stable
    order (in service, cleaning, due; then by start), each taking its number of places.
    Also the appointment ids now on a tile."""
    current: list[tuple[TileState, datetime, Use]] = []
    for use in uses:
        found = use_state(use, at, soon_minutes)
        if found is not None:
            current.append((found[0], found[1], use))
    current.sort(key=lambda c: (_PRIORITY[c[0]], c[2].starts, c[2].visit.appointment_id))
    numbered = capacity > 1
    tiles: list[BoardTile] = []
    shown: set[int] = set()
    for state, until, use in current:
        for _ in range(max(1, use.places)):
            if len(tiles) >= capacity:
                break
            tiles.append(
                BoardTile(
                    len(tiles) + 1 if numbered else 0,
                    state,
                    use.visit,
                    zone_of(until),
                    _minutes(until - at),
                )
            )
            shown.add(use.visit.appointment_id)
    while len(tiles) < capacity:
        tiles.append(BoardTile(len(tiles) + 1 if numbered else 0, TileState.FREE))
    return tuple(tiles), shown


class ZoneConverter:
    """A UTC instant in the shop's zone (a small callable, so the pure functions stay pure)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone

    def __call__(self, instant: datetime) -> datetime:
        return to_local(instant, self._zone)


def _next_visit(uses: list[Use], at: datetime, shown: set[int]) -> BoardVisit | None:
    upcoming = [
        u
        for u in uses
        if u.starts > at and u.visit.status.holds_time and u.visit.appointment_id not in shown
    ]
    return min(upcoming, key=lambda u: u.starts).visit if upcoming else None


class RoomBoardService:
    """Reads the board for one instant (the ui reads it again on every change and each minute)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    @reads
    def board(
        self, viewer: SignedIn, at: datetime | None = None, *, soon_minutes: int = SOON_MINUTES
    ) -> RoomBoard:
        """Every active room (place by place) and equipment item at `at` (now by default)."""
        viewer.require(Permission.VIEW_CALENDAR)
        now = at or self._clock.now()
        shop = self._shop.info()
        zone_of = ZoneConverter(shop.zone)
        show_names = viewer.can(Permission.VIEW_CLIENTS)
        _day_start, day_end = day_bounds_utc(shop.today(now), shop.zone)
        with self._uow.read() as session:
            rooms = session.scalars(
                select(Room).where(Room.active).order_by(Room.name, Room.id)
            ).all()
            resources = session.scalars(
                select(Resource)
                .where(Resource.active, Resource.quantity > 0)
                .order_by(Resource.name, Resource.id)
            ).all()
            rows = session.execute(
                select(
                    Appointment.id,
                    Appointment.room_id,
                    Appointment.status,
                    Appointment.starts_at,
                    Appointment.ends_at,
                    Appointment.started_at,
                    Appointment.finished_at,
                    Customer.first_name,
                    Customer.last_name,
                    Service.name,
                    Service.buffer_minutes,
                    Service.capacity_used,
                    Staff.display_name,
                )
                .join(Customer, Customer.id == Appointment.customer_id)
                .join(Service, Service.id == Appointment.service_id)
                .join(Staff, Staff.id == Appointment.staff_id)
                .where(
                    Appointment.starts_at >= now - LOOK_BACK,
                    Appointment.starts_at < max(day_end, now + timedelta(minutes=soon_minutes)),
                    Appointment.status.not_in((S.CANCELLED.value, S.NO_SHOW.value)),
                )
                .order_by(Appointment.starts_at, Appointment.id)
            ).all()
            held = (
                session.execute(
                    select(
                        AppointmentResource.appointment_id,
                        AppointmentResource.resource_id,
                        AppointmentResource.quantity,
                    ).where(AppointmentResource.appointment_id.in_([r[0] for r in rows]))
                ).all()
                if rows
                else []
            )
            by_room: dict[int, list[Use]] = {}
            by_id: dict[int, Use] = {}
            for (
                appt_id,
                room_id,
                status,
                starts,
                ends,
                started,
                finished,
                first,
                last,
                service,
                buffer,
                places,
                therapist,
            ) in rows:
                visit = BoardVisit(
                    appointment_id=appt_id,
                    client_name=display_name(first, last) if show_names else "",
                    service_name=service,
                    therapist_name=therapist,
                    status=S(status),
                    starts=zone_of(starts),
                    ends=zone_of(ends),
                    places=places,
                )
                use = Use(visit, places, starts, ends, buffer, started, finished)
                by_id[appt_id] = use
                if room_id is not None:
                    by_room.setdefault(room_id, []).append(use)
            by_resource: dict[int, list[Use]] = {}
            for appt_id, resource_id, quantity in held:
                base = by_id[appt_id]
                by_resource.setdefault(resource_id, []).append(
                    Use(
                        base.visit,
                        quantity,
                        base.starts,
                        base.ends,
                        base.buffer_minutes,
                        base.started_at,
                        base.finished_at,
                    )
                )
            room_groups = []
            for room in rooms:
                uses = by_room.get(room.id, [])
                tiles, shown = place_tiles(room.capacity, uses, now, zone_of, soon_minutes)
                room_groups.append(
                    BoardGroup(
                        GroupKind.ROOM,
                        room.id,
                        room.name,
                        room.kind,
                        room.capacity,
                        tiles,
                        _next_visit(uses, now, shown),
                    )
                )
            equipment_groups = []
            for resource in resources:
                uses = by_resource.get(resource.id, [])
                tiles, shown = place_tiles(resource.quantity, uses, now, zone_of, soon_minutes)
                equipment_groups.append(
                    BoardGroup(
                        GroupKind.EQUIPMENT,
                        resource.id,
                        resource.name,
                        resource.kind,
                        resource.quantity,
                        tiles,
                        _next_visit(uses, now, shown),
                    )
                )
            return RoomBoard(zone_of(now), tuple(room_groups), tuple(equipment_groups))
