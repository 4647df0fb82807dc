"""Rooms and equipment: where treatments happen and what they use.

A service names the kind of room it needs ("sauna"), so any active room of that kind may hold
it; equipment is linked to services one by one (the services page sets both). Rooms and
equipment are archived, never deleted: past appointments point to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Appointment, Resource, Room, Service, ServiceEquipment
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import (
    COMMON_ROOM_KINDS,
    EquipmentDraft,
    RoomDraft,
    same_name,
    validate_equipment,
    validate_room,
)
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: Appointments that still hold a room.


@dataclass(frozen=True)
class RoomView:
    id: int
    name: str
    kind: str
    capacity: int
    active: bool

    def draft(self) -> RoomDraft:
        return RoomDraft(self.name, self.kind, self.capacity)


@dataclass(frozen=True)
class EquipmentView:
    id: int
    name: str
    kind: str
    quantity: int
    active: bool

    def draft(self) -> EquipmentDraft:
        return EquipmentDraft(self.name, self.kind, self.quantity)


@dataclass(frozen=True)
class ServiceUse:
    """A service that can use a room or a piece of equipment (`quantity` of it)."""

    service_id: int
    name: str
    quantity: int = 1


@dataclass(frozen=True)
class RoomDetail:
    room: RoomView
    #: Active services whose room kind is this room's kind, by name.
    services: tuple[ServiceUse, ...]


@dataclass(frozen=True)
class EquipmentDetail:
    equipment: EquipmentView
    #: Active services that need this equipment, by name.
    services: tuple[ServiceUse, ...]


class RoomService:
    """Rooms and equipment: list, create, edit, archive (MANAGE_CATALOGUE to change)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    # -- rooms ---------------------------------------------------------------------------------

    @reads
    def rooms(self, viewer: SignedIn, include_archived: bool = False) -> list[RoomView]:
        """Rooms by name (active ones only unless `include_archived`)."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            query = select(Room).order_by(func.lower(Room.name), Room.id)
            if not include_archived:
                query = query.where(Room.active.is_(True))
            return [_room(r) for r in session.scalars(query)]

    @reads
    def room(self, room_id: int, viewer: SignedIn) -> RoomDetail:
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            room = session.get(Room, room_id)
            if room is None:
                raise DomainError("That room no longer exists.")
            uses: tuple[ServiceUse, ...] = ()
            if room.kind:
                rows = session.execute(
                    select(Service.id, Service.name, Service.room_kind, Service.capacity_used)
                    .where(Service.active.is_(True), Service.room_kind.is_not(None))
                    .order_by(func.lower(Service.name), Service.id)
                ).all()
                uses = tuple(
                    ServiceUse(r.id, r.name, r.capacity_used)
                    for r in rows
                    if same_name(r.room_kind or "", room.kind)
                )
            return RoomDetail(_room(room), uses)

    @reads
    def room_kinds(self) -> list[str]:
        """Kinds to offer as completion: the shop's rooms' and services' own, then common ones."""
        with self._uow.read() as session:
            named = session.scalars(select(Room.kind).where(Room.kind != "")).all()
            wanted = session.scalars(
                select(Service.room_kind).where(Service.room_kind.is_not(None))
            ).all()
        return _distinct([*sorted(named), *sorted(k for k in wanted if k), *COMMON_ROOM_KINDS])

    @writes
    def save_room(self, draft: RoomDraft, by: SignedIn, room_id: int | None = None) -> int:
        """Create (room_id None) or update a room; FormErrors changes nothing."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            valid = _checked(session, Room, draft, room_id, validate_room)
            if room_id is None:
                room = Room(active=True)
                session.add(room)
            else:
                found = session.get(Room, room_id)
                if found is None:
                    raise DomainError("That room no longer exists.")
                room = found
            room.name, room.kind, room.capacity = valid.name, valid.kind, valid.capacity
            session.flush()
            self._audit(session, by, "room.created" if room_id is None else "room.updated", room)
            return room.id

    @writes
    def set_room_active(self, room_id: int, active: bool, by: SignedIn) -> None:
        """Archive (False) or restore a room; refused while appointments are booked in it."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            room = session.get(Room, room_id)
            if room is None:
                raise DomainError("That room no longer exists.")
            if room.active == active:
                return
            if not active:
                booked = session.scalar(
                    select(func.count(Appointment.id)).where(
                        Appointment.room_id == room_id,
                        Appointment.ends_at > self._clock.now(),
                        Appointment.status.in_(LIVE_STATUS_VALUES),
                    )
                )
                if booked:
                    raise DomainError(
                        "Appointments to come are booked in {name} (%n). "
                        "Move them to another room first.",
                        n=booked,
                        name=room.name,
                    )
            room.active = active
            self._audit(session, by, "room.restored" if active else "room.archived", room)

    # -- equipment -----------------------------------------------------------------------------

    @reads
    def equipment(self, viewer: SignedIn, include_archived: bool = False) -> list[EquipmentView]:
        """Equipment by name (active only unless `include_archived`)."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            query = select(Resource).order_by(func.lower(Resource.name), Resource.id)
            if not include_archived:
                query = query.where(Resource.active.is_(True))
            return [_equipment(r) for r in session.scalars(query)]

    @reads
    def equipment_item(self, resource_id: int, viewer: SignedIn) -> EquipmentDetail:
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            resource = session.get(Resource, resource_id)
            if resource is None:
                raise DomainError("That equipment no longer exists.")
            rows = session.execute(
                select(Service.id, Service.name, ServiceEquipment.quantity)
                .join(ServiceEquipment, ServiceEquipment.service_id == Service.id)
                .where(ServiceEquipment.resource_id == resource_id, Service.active.is_(True))
                .order_by(func.lower(Service.name), Service.id)
            ).all()
            uses = tuple(ServiceUse(r.id, r.name, r.quantity) for r in rows)
            return EquipmentDetail(_equipment(resource), uses)

    @reads
    def equipment_kinds(self) -> list[str]:
        with self._uow.read() as session:
            return _distinct(
                sorted(session.scalars(select(Resource.kind).where(Resource.kind != "")))
            )

    @writes
    def save_equipment(
        self, draft: EquipmentDraft, by: SignedIn, resource_id: int | None = None
    ) -> int:
        """Create (resource_id None) or update equipment; FormErrors changes nothing."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            valid = _checked(session, Resource, draft, resource_id, validate_equipment)
            if resource_id is None:
                resource = Resource(active=True)
                session.add(resource)
            else:
                found = session.get(Resource, resource_id)
                if found is None:
                    raise DomainError("That equipment no longer exists.")
                resource = found
            resource.name, resource.kind = valid.name, valid.kind
            resource.quantity = valid.quantity
            session.flush()
            action = "equipment.created" if resource_id is None else "equipment.updated"
            self._audit(session, by, action, resource)
            return resource.id

    @writes
    def set_equipment_active(self, resource_id: int, active: bool, by: SignedIn) -> None:
        """Archive (False) or restore equipment; services that need it keep the link."""
        by.require(Permission.MANAGE_CATALOGUE)
        with self._uow.write() as session:
            resource = session.get(Resource, resource_id)
            if resource is None:
                raise DomainError("That equipment no longer exists.")
            if resource.active == active:
                return
            resource.active = active
            action = "equipment.restored" if active else "equipment.archived"
            self._audit(session, by, action, resource)

    def _audit(self, session: Session, by: SignedIn, action: str, row: Room | Resource) -> None:
        record(
            session,
            at=self._clock.now(),
            staff_id=by.staff_id,
            action=action,
            entity="room" if isinstance(row, Room) else "equipment",
            entity_id=row.id,
        )


def _room(room: Room) -> RoomView:
    return RoomView(room.id, room.name, room.kind, room.capacity, room.active)


def _equipment(resource: Resource) -> EquipmentView:
    return EquipmentView(
        resource.id, resource.name, resource.kind, resource.quantity, resource.active
    )


def _distinct(kinds: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for kind in kinds:
        if kind.casefold() not in seen:
            seen.add(kind.casefold())
            out.append(kind)
    return out


_D = TypeVar("_D", RoomDraft, EquipmentDraft)


def _checked(
    session: Session,
    model: type[Room] | type[Resource],
    draft: _D,
    own_id: int | None,
    validate: Callable[[_D], _D],
) -> _D:
    """The draft as it may be stored, or FormErrors naming every bad field (a name another room
    or piece of equipment has, archived ones too, among them)."""
    errors: dict[str, DomainError] = {}
    valid: _D | None = None
    try:
        valid = validate(draft)
    except FormErrors as refused:
        errors.update(refused.errors)
    if "name" not in errors:
        taken = _same_name(session, model, " ".join(draft.name.split()), own_id)
        if taken is not None:
            errors["name"] = taken
    if errors or valid is None:
        raise FormErrors(errors)
    return valid


def _same_name(
    session: Session, model: type[Room] | type[Resource], name: str, own_id: int | None
) -> ValidationError | None:
    """Why `name` is taken by another room (or equipment), archived ones too; None if free."""
    # Every name, compared here: SQLite's lower() knows only ASCII (Сауна, сауна); rooms are few.
    for other in session.execute(select(model.id, model.name, model.active)):
        if other.id == own_id or not same_name(other.name, name):
            continue
        if model is Room:
            text = (
                words("Another room is already called “{other}”.")
                if other.active
                else words("An archived room is already called “{other}”: restore it instead.")
            )
        else:
            text = (
                words("Other equipment is already called “{other}”.")
                if other.active
                else words("Archived equipment is already called “{other}”: restore it instead.")
            )
        return ValidationError("name", text, other=other.name)
    return None
