"""Rooms and equipment: names, kinds, capacities, archive, and which services use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Resource, Service, ServiceEquipment
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import EquipmentDraft, RoomDraft
from frontdesk.services.auth import NotPermitted, SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.rooms import RoomService
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop


@pytest.fixture
def owner(shop: SeededShop) -> SignedIn:
    return SignedIn(shop.owner_id, "Olivia Owner", Role.OWNER)


@pytest.fixture
def rooms(database: UnitOfWork, clock: FixedClock) -> RoomService:
    return RoomService(database, clock, ShopService(database, clock))


def test_a_room_is_saved_listed_and_edited(
    rooms: RoomService, owner: SignedIn, database: UnitOfWork
) -> None:
    rid = rooms.save_room(RoomDraft("  Sauna   One ", "sauna", 6), owner)
    assert [(r.name, r.kind, r.capacity) for r in rooms.rooms(owner)] == [
        ("Garden Room", "", 1),
        ("Sauna One", "sauna", 6),
    ]
    rooms.save_room(RoomDraft("Sauna One", "sauna", 8), owner, rid)
    assert rooms.room(rid, owner).room.capacity == 8
    with database.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "room")).all()
    assert actions == ["room.created", "room.updated"]


@pytest.mark.parametrize(
    ("draft", "fields"),
    [
        (RoomDraft("", "sauna", 0), {"name", "capacity"}),
        (RoomDraft("Big", "", 201), {"capacity"}),
        (RoomDraft("Big", "x" * 41, 2), {"resource_kind"}),
        (RoomDraft("garden  room", "", 2), {"name"}),  # the seeded Garden Room
    ],
)
def test_bad_rooms_are_refused_field_by_field(
    rooms: RoomService, owner: SignedIn, draft: RoomDraft, fields: set[str]
) -> None:
    with pytest.raises(FormErrors) as caught:
        rooms.save_room(draft, owner)
    assert set(caught.value.errors) == fields
    assert len(rooms.rooms(owner, include_archived=True)) == 1


def test_a_duplicate_of_an_archived_room_says_to_restore_it(
    rooms: RoomService, owner: SignedIn
) -> None:
    rid = rooms.save_room(RoomDraft("Сауна", "sauna", 6), owner)
    rooms.set_room_active(rid, False, owner)
    with pytest.raises(FormErrors) as caught:
        rooms.save_room(RoomDraft("сауна", "sauna", 4), owner)
    message = caught.value.errors["name"].message
    assert "archived" in message
    assert "Сауна" in message


def test_a_room_shows_the_services_of_its_kind(
    rooms: RoomService, owner: SignedIn, database: UnitOfWork
) -> None:
    rid = rooms.save_room(RoomDraft("Couples Suite", "Couples", 2), owner)
    with database.write() as s:
        for service in s.scalars(select(Service)):
            service.room_kind = "couples" if service.name.startswith("Deep") else "single"
    detail = rooms.room(rid, owner)
    assert [u.name for u in detail.services] == ["Deep Tissue Massage"]
    assert rooms.room_kinds()[:3] == ["Couples", "single", "treatment"]


def test_archiving_a_room_with_appointments_to_come_is_refused(
    rooms: RoomService, owner: SignedIn, database: UnitOfWork, clock: FixedClock
) -> None:
    garden = rooms.rooms(owner)[0].id
    with pytest.raises(DomainError, match=r"booked in Garden Room \(2\)"):
        rooms.set_room_active(garden, False, owner)
    clock.instant += timedelta(days=1)
    rooms.set_room_active(garden, False, owner)
    assert rooms.rooms(owner) == []
    rooms.set_room_active(garden, True, owner)
    assert [r.name for r in rooms.rooms(owner)] == ["Garden Room"]


def test_equipment_is_saved_and_lists_the_services_that_need_it(
    rooms: RoomService, owner: SignedIn, database: UnitOfWork
) -> None:
    rid = rooms.save_equipment(EquipmentDraft("Hot stone kit", "stones", 2), owner)
    with database.write() as s:
        deep = s.scalar(select(Service).where(Service.name == "Deep Tissue Massage"))
        assert deep is not None
        s.add(ServiceEquipment(service_id=deep.id, resource_id=rid, quantity=1))
    detail = rooms.equipment_item(rid, owner)
    assert (detail.equipment.name, detail.equipment.quantity) == ("Hot stone kit", 2)
    assert [(u.name, u.quantity) for u in detail.services] == [("Deep Tissue Massage", 1)]
    rooms.set_equipment_active(rid, False, owner)
    assert rooms.equipment(owner) == []
    assert [e.active for e in rooms.equipment(owner, include_archived=True)] == [False]
    assert rooms.equipment_kinds() == ["stones"]
    with database.read() as s:
        assert s.scalar(select(func.count(Resource.id))) == 1


def test_bad_equipment_is_refused(rooms: RoomService, owner: SignedIn) -> None:
    rooms.save_equipment(EquipmentDraft("Steamer", "", 1), owner)
    with pytest.raises(FormErrors) as caught:
        rooms.save_equipment(EquipmentDraft("steamer", "", -1), owner)
    assert set(caught.value.errors) == {"name", "quantity"}
    with pytest.raises(FormErrors) as caught:
        rooms.save_equipment(EquipmentDraft(" ", "", 1), owner)
    assert set(caught.value.errors) == {"name"}


def test_only_the_catalogue_managers_change_rooms(rooms: RoomService, shop: SeededShop) -> None:
    therapist = SignedIn(shop.therapist_id, "Tom Therapist", Role.THERAPIST)
    with pytest.raises(NotPermitted):
        rooms.save_room(RoomDraft("Spare", "", 1), therapist)
    with pytest.raises(NotPermitted):
        rooms.save_equipment(EquipmentDraft("Spare", "", 1), therapist)
    with pytest.raises(NotPermitted):
        rooms.rooms(therapist)
