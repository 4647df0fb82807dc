"""Find a free slot: search with Enter, arrows and Enter take a slot, progress while the worker
searches, what to loosen when nothing is free, bad input at its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Service
from frontdesk.services.auth import SignedIn
from frontdesk.services.free_slots import FreeSlot
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.calendar.find_slot_dialog import FindSlotDialog
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import Executor, ImmediateExecutor
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

MONDAY = date(2026, 11, 23)  # NOW: 10:00; Tom has Anna 10:00-11:00 (+15 minutes' cleanup)
MakeDialog = Callable[..., FindSlotDialog]


@pytest.fixture
def make_dialog(
    qtbot: QtBot,
    make_services: MakeServices,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> MakeDialog:
    def make(*, db: Executor | None = None, **kw: object) -> FindSlotDialog:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(
            make_services(),
            sign_in(shop.receptionist_id),
            owner,
            AppEvents(owner),
            io=ImmediateExecutor(),
            db=db or ImmediateExecutor(),
        )
        owner.show()
        dialog = FindSlotDialog(desk, MONDAY, owner, **kw)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    return make


def _service(database: UnitOfWork, name: str) -> int:
    with database.read() as s:
        return int(s.scalars(select(Service.id).where(Service.name == name)).one())


def _choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_enter_searches_arrows_and_enter_take_a_slot(
    qtbot: QtBot, make_dialog: MakeDialog, database: UnitOfWork
) -> None:
    dialog = make_dialog(service_ids=(_service(database, "Deep Tissue Massage"),))
    assert dialog.service_list.count() == 1
    assert "Enter" in dialog.search_button.toolTip()
    qtbot.keyClick(dialog.staff_combo, Qt.Key.Key_Return)
    assert dialog.results.count() > 2
    assert dialog.status.text() == "20 free slots"
    first = dialog.results.item(0).text()
    assert first.startswith("Mon · 23 Nov 2026 · 11:15–12:15 · Tom Therapist")
    assert dialog.focusWidget() is dialog.results
    chosen: list[FreeSlot] = []
    dialog.slot_chosen.connect(chosen.append)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    assert [slot.legs[0].staff_name for slot in chosen] == ["Tom Therapist"]
    assert chosen[0].starts.strftime("%H:%M") == "11:30"
    assert not dialog.isVisible()


def test_two_services_in_order(qtbot: QtBot, make_dialog: MakeDialog, database: UnitOfWork) -> None:
    dialog = make_dialog()
    _choose(dialog.service_combo, "Deep Tissue Massage")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _choose(dialog.service_combo, "Hot Stone Facial")
    qtbot.keyClick(dialog.service_combo, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.service_list.count() == 2)  # a button's shortcut animates
    assert [dialog.service_list.item(i).text() for i in range(2)] == [
        "Deep Tissue Massage",
        "Hot Stone Facial",
    ]
    _choose(dialog.step_combo, "every 60 min")
    dialog.search()
    # Tom does both: the facial after the massage's cleanup.
    assert dialog.results.item(0).text().startswith("Mon · 23 Nov 2026 · 12:00–14:00 · Tom")
    dialog.service_list.setCurrentRow(0)
    dialog.service_list.setFocus()
    qtbot.keyClick(dialog.service_list, Qt.Key.Key_Delete)
    assert dialog.service_ids() == (_service(database, "Hot Stone Facial"),)


def test_nothing_free_says_what_to_loosen(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog = make_dialog()
    _choose(dialog.staff_combo, "Uma Therapist")  # Uma has no working hours
    dialog.weekday_boxes[1].setChecked(True)
    dialog.days_spin.setValue(14)
    qtbot.keyClick(dialog.days_spin, Qt.Key.Key_Return)
    assert dialog.results.count() == 0
    assert dialog.status.text() == (
        "No free slot in 14 days from 23 Nov 2026. Try anyone qualified instead of one "
        "therapist, more days of the week, more days or a later date."
    )


def test_bad_input_is_shown_at_its_field(qtbot: QtBot, make_dialog: MakeDialog) -> None:
    dialog = make_dialog()
    dialog.from_time.setTime(QTime(12, 0))
    dialog.to_time.setTime(QTime(9, 0))
    qtbot.keyClick(dialog.to_time, Qt.Key.Key_Return)
    assert dialog.fields.shown_errors() == {
        "window": "The end of the time window must be after its start."
    }
    assert dialog.results.count() == 0


def test_the_search_runs_on_the_worker_with_progress(
    qtbot: QtBot, make_dialog: MakeDialog, database: UnitOfWork
) -> None:
    held = HeldExecutor()
    dialog = make_dialog(db=held, service_ids=(_service(database, "Hot Stone Facial"),))
    held.run_next()  # the services and therapists
    assert dialog.service_list.count() == 1
    dialog.search()
    assert dialog.status.text() == "Searching…"
    assert not dialog.search_button.isEnabled()
    held.run_next()
    assert dialog.search_button.isEnabled()
    assert dialog.results.count() == 20
