"""The room board at fixed instants: free, due, in service with minutes left, cleaning after a
finish or after the scheduled end; places of a sauna and units of equipment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.models import (
    Appointment,
    AppointmentResource,
    Customer,
    Resource,
    Room,
    Service,
    ServiceCategory,
)
from frontdesk.domain.roles import Role
from frontdesk.services.appointment_status import AppointmentStatusService
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import FixedClock
from frontdesk.services.room_board import GroupKind, RoomBoard, RoomBoardService, TileState
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import SeededShop

T = TileState


@pytest.fixture
def desk(shop: SeededShop) -> SignedIn:
    return SignedIn(shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)


@pytest.fixture
def board(database: UnitOfWork, clock: FixedClock) -> RoomBoardService:
    return RoomBoardService(database, clock, ShopService(database, clock))


@pytest.fixture
def statuses(database: UnitOfWork, clock: FixedClock) -> AppointmentStatusService:
    return AppointmentStatusService(database, clock, ShopService(database, clock))


def _garden(board: RoomBoard) -> tuple[TileState, int | None, str]:
    (room,) = [g for g in board.rooms if g.name == "Garden Room"]
    (tile,) = room.tiles
    return tile.state, tile.minutes, tile.visit.client_name if tile.visit else ""


def test_a_room_through_the_morning(
    board: RoomBoardService,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    """Anna's 60-minute massage at 10:00 (15 minutes' buffer) in the Garden Room."""
    appt = shop.morning_appt_id
    early = board.board(desk, NOW - timedelta(hours=1))
    assert _garden(early) == (T.FREE, None, "")
    (garden,) = early.rooms
    assert garden.next_visit is not None
    assert garden.next_visit.client_name == "Anna Smith"
    assert garden.tiles[0].place == 0  # a single place is not numbered

    assert _garden(board.board(desk, NOW - timedelta(minutes=20))) == (T.BOOKED, 20, "Anna Smith")
    assert _garden(board.board(desk, NOW + timedelta(minutes=3))) == (T.BOOKED, -3, "Anna Smith")

    clock.instant = NOW + timedelta(minutes=5)
    statuses.arrive(appt, desk)
    statuses.start(appt, desk)  # five minutes late: the hour runs to 11:05
    assert _garden(board.board(desk, NOW + timedelta(minutes=30))) == (
        T.IN_SERVICE,
        35,
        "Anna Smith",
    )
    assert _garden(board.board(desk, NOW + timedelta(minutes=70)))[:2] == (T.IN_SERVICE, -5)

    clock.instant = NOW + timedelta(minutes=50)
    statuses.finish(appt, desk)
    assert _garden(board.board(desk))[:2] == (T.CLEANING, 15)
    assert _garden(board.board(desk, NOW + timedelta(minutes=64)))[:2] == (T.CLEANING, 1)
    later = board.board(desk, NOW + timedelta(minutes=65))
    assert _garden(later) == (T.FREE, None, "")
    assert later.rooms[0].next_visit is not None
    assert later.rooms[0].next_visit.client_name == "王芳"  # 14:00


def test_cleaning_after_the_scheduled_end_when_nobody_marked_it(
    board: RoomBoardService, shop: SeededShop, desk: SignedIn
) -> None:
    assert _garden(board.board(desk, NOW + timedelta(minutes=61)))[:2] == (T.CLEANING, 14)
    assert _garden(board.board(desk, NOW + timedelta(minutes=75)))[:2] == (T.FREE, None)


def test_cancelled_visits_free_the_room(
    board: RoomBoardService,
    statuses: AppointmentStatusService,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    statuses.cancel(shop.morning_appt_id, "Ill", desk)
    assert _garden(board.board(desk, NOW + timedelta(minutes=10)))[0] is T.FREE


def test_sauna_places_and_equipment_units(
    database: UnitOfWork,
    board: RoomBoardService,
    statuses: AppointmentStatusService,
    clock: FixedClock,
    shop: SeededShop,
    desk: SignedIn,
) -> None:
    with database.write() as s:
        sauna = Room(name="Sauna", kind="sauna", capacity=6)
        kit = Resource(name="Stone kit", kind="stones", quantity=2)
        cat = s.scalars(select(ServiceCategory)).first()
        assert cat is not None
        visit = Service(
            category=cat,
            name="Sauna visit",
            duration_minutes=90,
            buffer_minutes=0,
            price_minor=2000,
            room_kind="sauna",
            capacity_used=1,
        )
        s.add_all([sauna, kit, visit])
        s.flush()
        guests = s.scalars(select(Customer).order_by(Customer.id)).all()
        sauna_ids = []
        for guest in guests[:2]:
            appt = Appointment(
                customer_id=guest.id,
                staff_id=shop.therapist_id,
                room_id=sauna.id,
                service_id=visit.id,
                starts_at=NOW,
                ends_at=NOW + timedelta(minutes=90),
                price_minor=2000,
            )
            s.add(appt)
            s.flush()
            sauna_ids.append(appt.id)
        s.add(AppointmentResource(appointment_id=shop.morning_appt_id, resource_id=kit.id))
    clock.instant = NOW
    for appt_id in sauna_ids:
        statuses.arrive(appt_id, desk)
        statuses.start(appt_id, desk)
    result = board.board(desk, NOW + timedelta(minutes=30))
    (sauna_group,) = [g for g in result.rooms if g.name == "Sauna"]
    assert [t.place for t in sauna_group.tiles] == [1, 2, 3, 4, 5, 6]
    assert [t.state for t in sauna_group.tiles] == [T.IN_SERVICE] * 2 + [T.FREE] * 4
    assert {t.minutes for t in sauna_group.tiles[:2]} == {60}
    (kit_group,) = result.equipment
    assert kit_group.kind is GroupKind.EQUIPMENT
    # The morning massage holds one of the two kits; it is due (booked, not started).
    assert [t.state for t in kit_group.tiles] == [T.BOOKED, T.FREE]


def test_a_shop_without_rooms_has_an_empty_board(
    database: UnitOfWork, board: RoomBoardService, shop: SeededShop, desk: SignedIn
) -> None:
    with database.write() as s:
        s.execute(update(Room).values(active=False))
    assert board.board(desk).empty


def test_no_client_names_for_a_role_that_may_not_see_clients(
    board: RoomBoardService, shop: SeededShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.domain import roles
    from frontdesk.domain.roles import Permission

    monkeypatch.setitem(
        roles.PERMISSIONS,
        Role.THERAPIST,
        roles.PERMISSIONS[Role.THERAPIST] - {Permission.VIEW_CLIENTS},
    )
    viewer = SignedIn(shop.therapist_id, "Tom Therapist", Role.THERAPIST)
    state, _minutes, name = _garden(board.board(viewer, NOW - timedelta(minutes=10)))
    assert (state, name) == (T.BOOKED, "")
    (garden,) = board.board(viewer, NOW - timedelta(minutes=10)).rooms
    assert garden.tiles[0].visit is not None
    assert garden.tiles[0].visit.service_name == "Deep Tissue Massage"  # what, not who
