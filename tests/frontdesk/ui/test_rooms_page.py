"""The back office's rooms and equipment, through the real widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Service, ServiceEquipment
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.backoffice.rooms_page import RoomsPage
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.frontdesk.ui.test_clients_area import type_text
from tests.seed import SeededShop


def _open(
    make_services: MakeServices, make_window: MakeWindow, user: SignedIn
) -> tuple[MainWindow, RoomsPage]:
    window = make_window(make_services(), user)
    window.tabs.setCurrentWidget(window.back_office)
    page = window.back_office.show_section("rooms")
    assert isinstance(page, RoomsPage)
    return window, page


def test_a_sauna_for_six_is_added_and_shows_the_services_of_its_kind(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        deep = s.scalar(select(Service).where(Service.name == "Deep Tissue Massage"))
        assert deep is not None
        deep.room_kind = "sauna"
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    tab = page.rooms_tab
    assert tab.visible_titles() == ["Garden Room"]
    qtbot.keyClick(tab, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.name_edit.hasFocus()
    type_text(tab.name_edit, "Сауна")
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_Tab)
    assert tab.kind_edit.hasFocus()
    tab.kind_edit.setText("sauna")  # typed, the completer's popup would open
    tab.capacity_spin.setValue(6)
    with qtbot.waitSignal(tab.saved):
        qtbot.keyClick(tab, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.visible_titles() == ["Garden Room", "Сауна"]
    assert "sauna · 6 places" in tab.rows()[1].detail
    # the kind is offered for the next room
    model = tab.kind_completer.model()
    assert "sauna" in model.stringList()  # type: ignore[attr-defined]

    sauna_id = tab.rows()[1].id
    tab.select(sauna_id)
    assert [tab.uses_list.item(i).text() for i in range(tab.uses_list.count())] == [
        "Deep Tissue Massage"
    ]
    assert not tab.no_uses.isVisible()
    window.resize(1100, 720)
    window.grab().save("/tmp/products-rooms.png")


def test_bad_room_input_is_named_and_archiving_a_booked_room_is_refused(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    tab = page.rooms_tab
    tab.new_record()
    tab.save()
    assert set(tab.fields.shown_errors()) == {"name"}
    type_text(tab.name_edit, "garden room")
    tab.save()
    assert "Another room is already called “Garden Room”" in tab.fields.shown_errors()["name"]
    assert tab.capacity_spin.maximum() == 200
    assert tab.capacity_spin.minimum() == 1

    # The Garden Room has two appointments to come today: archiving it is refused, saying so.
    tab.select(tab.rows()[0].id)
    qtbot.mouseClick(tab.archive_button, Qt.MouseButton.LeftButton)
    assert tab.banner.isVisible()
    assert "Appointments to come are booked in Garden Room (2)" in tab.banner.text()
    assert [r.active for r in window.services.rooms.rooms(window.user, True)] == [True]


def test_equipment_is_added_edited_archived_and_lists_its_services(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    window, page = _open(make_services, make_window, sign_in(shop.owner_id))
    page.tabs.setCurrentWidget(page.equipment_tab)
    tab = page.equipment_tab
    assert tab.empty_label.isVisible()
    tab.new_record()
    type_text(tab.name_edit, "热石套装")
    tab.kind_edit.setText("stones")
    tab.quantity_spin.setValue(2)
    with qtbot.waitSignal(tab.saved):
        tab.save()
    [row] = tab.rows()
    assert row.detail == "stones · 2 in the shop"
    assert tab.no_uses.isVisible()
    assert "No active service needs this equipment yet." in tab.no_uses.text()

    # A service linked on the services page shows here (heard on the bus).
    with database.write() as s:
        deep = s.scalar(select(Service).where(Service.name == "Deep Tissue Massage"))
        assert deep is not None
        s.add(ServiceEquipment(service_id=deep.id, resource_id=row.id, quantity=2))
    tab.select(row.id)
    assert tab.uses_list.item(0).text() == "Deep Tissue Massage (needs 2)"

    # Bad input: a duplicate name; the quantity cannot go below zero in the form.
    tab.new_record()
    type_text(tab.name_edit, "热石套装")
    tab.save()
    assert "Other equipment is already called" in tab.fields.shown_errors()["name"]
    assert tab.quantity_spin.minimum() == 0

    tab.select(row.id)
    qtbot.mouseClick(tab.archive_button, Qt.MouseButton.LeftButton)
    assert tab.rows()[0].archived
    assert tab.archived_label.isVisible()
    assert tab.archive_button.text() == "Restore"
    tab.select(row.id)
    window.resize(1100, 720)
    window.grab().save("/tmp/products-equipment.png")
    tab.show_archived_box.setChecked(False)
    assert tab.visible_titles() == []
