"""The guided start's steps 3-6 in the signed-in window: each step skippable, remembered, and
revisited from the back office; a starter menu in one click."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from frontdesk.domain.starter_menus import ShopKind, starter_menu
from frontdesk.services.auth import SignedIn
from frontdesk.ui.firstrun.guided_start import GuidedStart, ServicesStep
from frontdesk.ui.main_window import MainWindow
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop


def qtbot_click(button: QPushButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _open_from_back_office(qtbot: QtBot, window: MainWindow) -> GuidedStart:
    window.show_area(window.area_names().index("Back office"))
    qtbot_click(window.back_office.guided_start_button)
    found = window.findChildren(GuidedStart)
    assert len(found) == 1  # one per window, kept when closed
    guide = found[0]
    assert guide.isVisible()
    guide.activateWindow()
    qtbot.waitUntil(guide.isActiveWindow)
    return guide


def test_each_step_can_be_skipped_and_is_remembered(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    guide = _open_from_back_office(qtbot, window)
    assert guide.current_key == "staff"
    assert guide.heading.text() == "Step 3 of 6: Staff"
    assert guide.explanation.text().startswith("Add the people who work here")
    assert not guide.back_button.isEnabled()
    qtbot.mouseClick(guide.skip_button, Qt.MouseButton.LeftButton)
    assert guide.current_key == "services"
    assert "staff" in services.first_run.steps_done()
    assert guide.step_list.item(2).text() == "\u2713 3. Staff"
    qtbot.mouseClick(guide.next_button, Qt.MouseButton.LeftButton)
    assert guide.current_key == "rooms"
    qtbot.keyClick(guide, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert guide.current_key == "services"
    qtbot.mouseClick(guide.later_button, Qt.MouseButton.LeftButton)
    assert not guide.isVisible()
    assert services.first_run.steps_done() >= {"staff", "services"}
    # opened again, it starts at the first step not yet done
    again = _open_from_back_office(qtbot, window)
    assert again.current_key == "rooms"
    qtbot.mouseClick(again.next_button, Qt.MouseButton.LeftButton)
    assert again.current_key == "printer"
    assert again.next_button.text() == "Finish"
    qtbot.mouseClick(again.next_button, Qt.MouseButton.LeftButton)
    assert not again.isVisible()
    assert services.first_run.steps_done() >= {"staff", "services", "rooms", "printer"}
    # every step done: it opens at the first one, to revisit
    assert _open_from_back_office(qtbot, window).current_key == "staff"


def test_a_step_is_chosen_from_the_list(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    window = make_window(make_services(), sign_in(shop.owner_id))
    guide = _open_from_back_office(qtbot, window)
    guide.step_list.setCurrentRow(5)
    assert guide.current_key == "printer"
    guide.step_list.setCurrentRow(0)  # the shop's step is done before this window
    assert guide.current_key == "printer"


def test_the_starter_menu_in_one_click_adds_nothing_twice(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    services = make_services()
    owner = sign_in(shop.owner_id)
    window = make_window(services, owner)
    guide = _open_from_back_office(qtbot, window)
    step = guide.show_step("services")
    assert isinstance(step, ServicesStep)
    before = len(services.catalogue.services(owner))
    step.kind_combo.setCurrentIndex(step.kind_combo.findData(ShopKind.BATHHOUSE.value))
    qtbot.mouseClick(step.apply_button, Qt.MouseButton.LeftButton)
    menu = starter_menu(ShopKind.BATHHOUSE, "en_GB", "GBP")
    assert step.result_label.text() == (
        f"Added {len(menu.services)} services and {len(menu.rooms)} rooms."
    )
    assert len(services.catalogue.services(owner)) == before + len(menu.services)
    qtbot.mouseClick(step.apply_button, Qt.MouseButton.LeftButton)
    assert step.result_label.text() == "Added 0 services and 0 rooms."
    assert QApplication.activeModalWidget() is None
