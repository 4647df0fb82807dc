"""The waitlist beside the calendar: an empty state, Add… with a client search and every bad
field refused at its place, a match shown (and highlighted) when another terminal cancels, Book
handing the entry and the slot to the calendar, Remove."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from db.engine import make_engine
from db.models import Appointment, Service, WaitlistEntry
from frontdesk.bootstrap import AppServices
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.waitlist import WaitlistDraft
from frontdesk.ui.calendar.waitlist_dialog import WaitlistDialog
from frontdesk.ui.calendar.waitlist_panel import WaitlistPanel, WaitlistPick
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import SeededShop

LONDON = ZoneInfo("Europe/London")
NEXT_MONDAY = date(2026, 11, 30)

MakePanel = Callable[..., WaitlistPanel]


@pytest.fixture
def make_panel(qtbot: QtBot) -> MakePanel:
    def make(services: AppServices, user: SignedIn) -> WaitlistPanel:
        owner = QWidget()
        qtbot.addWidget(owner)
        desk = open_desk(services, user, owner, AppEvents(owner), io=ImmediateExecutor())
        panel = WaitlistPanel(desk, owner)
        owner.resize(380, 520)
        owner.show()
        panel.resize(380, 520)
        owner.activateWindow()
        qtbot.waitUntil(owner.isActiveWindow)
        return panel

    return make


def _block_tom(database: UnitOfWork, shop: SeededShop) -> int:
    starts = datetime(2026, 11, 30, 9, 30, tzinfo=LONDON)
    with database.write() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
        appt = Appointment(
            customer_id=shop.wang_id,
            staff_id=shop.therapist_id,
            service_id=deep,
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(minutes=60)).astimezone(UTC),
            price_minor=8500,
        )
        s.add(appt)
        s.flush()
        return appt.id


def _choose(combo: object, text: str) -> None:
    index = combo.findText(text)  # type: ignore[attr-defined]
    assert index >= 0, text
    combo.setCurrentIndex(index)  # type: ignore[attr-defined]


def _fill_dialog(qtbot: QtBot, dialog: WaitlistDialog) -> None:
    qtbot.waitUntil(lambda: dialog.service_combo.count() == 2)
    qtbot.keyClicks(dialog.client_search, "Anna")
    qtbot.waitUntil(lambda: dialog.client_list.count() == 1)
    qtbot.keyClick(dialog.client_search, Qt.Key.Key_Return)  # takes the match, adds nothing
    assert dialog.isVisible()
    assert dialog.focusWidget() is dialog.service_combo
    _choose(dialog.service_combo, "Deep Tissue Massage")
    _choose(dialog.staff_combo, "Tom Therapist")
    dialog.from_edit.setTime(QTime(10, 0))
    dialog.to_edit.setTime(QTime(10, 30))


def test_add_then_a_cancellation_elsewhere_shows_the_match_then_book_and_remove(
    qtbot: QtBot,
    make_services: MakeServices,
    make_panel: MakePanel,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocking = _block_tom(database, shop)
    services = make_services()
    panel = make_panel(services, sign_in(shop.receptionist_id))
    assert panel.empty_label.isVisible()
    assert "No one is waiting" in panel.empty_label.text()
    panel.grab().save("/tmp/repeat-waitlist-empty.png")

    qtbot.keyClick(
        panel.list,
        Qt.Key.Key_W,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = panel.add_dialog
    assert isinstance(dialog, WaitlistDialog)
    _fill_dialog(qtbot, dialog)
    dialog.first_edit.setDate(QDate(2026, 12, 3))
    dialog.last_edit.setDate(QDate(2026, 11, 30))
    dialog.note_edit.setText("x" * 201)
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.fields.shown_errors() == {
        "waitlist_last_day": "The last day is before the first day.",
        "waitlist_note": "The note is at most 200 characters.",
    }
    assert dialog.isVisible()
    with database.read() as s:
        assert s.scalars(select(WaitlistEntry)).all() == []
    dialog.first_edit.setDate(QDate(2026, 11, 30))
    dialog.last_edit.setDate(QDate(2026, 12, 3))
    dialog.note_edit.setText("Prefers mornings")
    dialog.grab().save("/tmp/repeat-waitlist-add.png")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.added_id is not None)
    assert not dialog.isVisible()

    # The bus brought the new entry in: Tom is busy then, so no match yet.
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    assert not panel.empty_label.isVisible()
    text = panel.list.item(0).text()
    assert "Anna Smith · Deep Tissue Massage · with Tom Therapist" in text
    assert "10:00–10:30" in text
    assert "A slot is free" not in text
    assert panel.summary.text() == "1 waiting"
    assert not panel.book_button.isEnabled()

    # Another terminal cancels Tom's 09:30: the freed time shows within the bus's delay.
    other = UnitOfWork(make_engine(f"sqlite:///{db_path}"))
    services.changes.start_watching()
    try:
        with other.write() as s:
            s.execute(
                update(Appointment).where(Appointment.id == blocking).values(status="cancelled")
            )
        qtbot.waitUntil(lambda: "A slot is free" in panel.list.item(0).text(), timeout=2000)
    finally:
        services.changes.stop_watching()
        other.engine.dispose()
    assert "A slot is free: Mon 30 Nov 2026 10:00 with Tom Therapist" in panel.list.item(0).text()
    assert panel.summary.text() == "A slot is free for 1 waiting"
    assert panel.list.item(0).background().color().name() == "#e3f4e1"
    assert panel.slots.count() == 1
    panel.grab().save("/tmp/repeat-waitlist-match.png")

    picks: list[WaitlistPick] = []
    panel.book_requested.connect(picks.append)
    panel.window().activateWindow()
    qtbot.waitUntil(panel.window().isActiveWindow)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert len(picks) == 1
    entry, slot = picks[0]
    assert entry.client_id == shop.anna_id
    assert slot.starts == datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(panel.empty_label.isVisible)
    with database.read() as s:
        assert s.scalars(select(WaitlistEntry.state)).all() == ["removed"]


def test_a_therapist_sees_the_list_without_the_desks_buttons(
    make_services: MakeServices,
    make_panel: MakePanel,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> None:
    panel = make_panel(make_services(), sign_in(shop.therapist_id))
    assert panel.empty_label.isVisible()
    assert not panel.add_button.isVisible()
    assert not panel.book_button.isVisible()


def test_booking_a_waiting_client_closes_their_entry(
    qtbot: QtBot,
    make_services: MakeServices,
    make_panel: MakePanel,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    with database.read() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
    services.waitlist.add(
        WaitlistDraft(shop.boris_id, deep, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7)), user
    )
    panel = make_panel(services, user)
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    entry = panel.selected_entry()
    assert entry is not None
    assert entry.matches  # Tom is free next Monday
    assert panel.summary.text() == "A slot is free for 1 waiting"
    panel.mark_booked(entry.id, shop.morning_appt_id)
    qtbot.waitUntil(panel.empty_label.isVisible)
    with database.read() as s:
        closed = s.scalars(select(WaitlistEntry)).one()
        assert (closed.state, closed.appointment_id) == ("booked", shop.morning_appt_id)
