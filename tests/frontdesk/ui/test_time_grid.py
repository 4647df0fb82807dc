"""The calendar's time grid driven like a receptionist would: drag over free time to book, drag a
block to move it or its bottom edge to resize it, the keyboard for the same, refusals in words
with the block put back, a manager's override with a reason, Ctrl+Z, and the other views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTime
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import Appointment, AuditEntry, Room, Service
from frontdesk.services.auth import SignedIn
from frontdesk.services.free_slots import SlotQuery
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.services.waitlist import WaitlistDraft
from frontdesk.ui.calendar import override_prompt
from frontdesk.ui.calendar.area import CalendarArea
from frontdesk.ui.calendar.booking_dialog import BookingDialog
from frontdesk.ui.calendar.grid_layout import ColumnKind
from frontdesk.ui.calendar.grid_settings import load_choices
from frontdesk.ui.calendar.waitlist_panel import WaitlistPick
from frontdesk.ui.main_window import MainWindow
from tests.conftest import NOW
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

TODAY = date(2026, 11, 23)
SignIn = Callable[[int], SignedIn]


def _calendar(window: MainWindow) -> CalendarArea:
    window.resize(1200, 800)
    calendar = window.calendar
    calendar.grid.scroll_to_minute(8 * 60)
    return calendar


def _drag(qtbot: QtBot, calendar: CalendarArea, start: QPoint, end: QPoint) -> None:
    viewport = calendar.grid.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    middle = (start + end) / 2
    qtbot.mouseMove(viewport, QPoint(int(middle.x()), int(middle.y())))
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def _times(database: UnitOfWork, appointment_id: int) -> tuple[datetime, datetime, int]:
    with database.read() as s:
        appt = s.get(Appointment, appointment_id)
        assert appt is not None
        return appt.starts_at.replace(tzinfo=UTC), appt.ends_at.replace(tzinfo=UTC), appt.staff_id


def test_dragging_over_free_time_opens_the_booking_dialog_prefilled(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    _drag(qtbot, calendar, grid.point_at(0, 15 * 60 + 2), grid.point_at(0, 16 * 60 + 1))
    dialog = calendar.booking_dialog
    assert isinstance(dialog, BookingDialog)
    leg = dialog.leg(0)
    qtbot.waitUntil(lambda: leg.staff.count() >= 2)
    assert leg.staff.currentData() == shop.therapist_id  # the column's therapist
    assert dialog.time_edit.time() == QTime(15, 0)  # where the drag started, on the step
    assert leg.service.currentText() == "Deep Tissue Massage"  # the hour dragged: 60 minutes
    dialog.reject()


def test_a_block_is_moved_by_dragging_and_ctrl_z_puts_it_back(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    assert not calendar.undo_button.isEnabled()
    # Grabbed a quarter into the block and dropped two hours lower, a little off the step.
    _drag(qtbot, calendar, grid.point_at(0, 10 * 60 + 15), grid.point_at(0, 12 * 60 + 22))
    assert _times(database, shop.morning_appt_id)[:2] == (
        NOW + timedelta(hours=2),
        NOW + timedelta(hours=3),
    )
    qtbot.waitUntil(lambda: grid.block(shop.morning_appt_id).placed.start == 12 * 60)
    assert calendar.undo_button.isEnabled()
    assert calendar.notice.isHidden()
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _times(database, shop.morning_appt_id)[:2] == (NOW, NOW + timedelta(hours=1))
    qtbot.waitUntil(lambda: grid.block(shop.morning_appt_id).placed.start == 10 * 60)
    assert not calendar.undo_button.isEnabled()


def test_the_bottom_edge_resizes_a_block(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    block = grid.block(shop.morning_appt_id)
    assert block is not None
    edge = grid.mapFromScene(block.mapToScene(block.body_rect().bottomLeft())) + QPoint(20, -2)
    assert block.on_edge(grid.mapToScene(edge).y())
    _drag(qtbot, calendar, edge, grid.point_at(0, 11 * 60 + 31))
    assert _times(database, shop.morning_appt_id)[:2] == (NOW, NOW + timedelta(minutes=90))
    qtbot.waitUntil(lambda: grid.block(shop.morning_appt_id).placed.end == 11 * 60 + 30)


def test_a_refused_move_names_the_appointment_in_the_way_and_snaps_back(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        override_prompt.QMessageBox, "warning", lambda _p, _t, text: shown.append(text)
    )
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    before = _times(database, shop.afternoon_appt_id)
    # 王芳's facial (Uma, 14:00) dropped on Tom at 10:30, over Anna's massage.
    _drag(qtbot, calendar, grid.point_at(1, 14 * 60 + 5), grid.point_at(0, 10 * 60 + 35))
    assert _times(database, shop.afternoon_appt_id) == before  # nothing changed
    assert len(shown) == 1
    assert "10:00-11:00 Deep Tissue Massage" in shown[0]  # the rule's words name it
    assert calendar.notice.text() == shown[0]
    assert calendar.notice.isVisible()
    block = grid.block(shop.afternoon_appt_id)
    assert block is not None
    assert block.y() == grid.y_of(14 * 60)  # back where it was
    assert block.x() > grid.column_width  # in Uma's column
    assert not calendar.undo_button.isEnabled()


def test_a_manager_moves_past_a_rule_with_a_reason_and_it_is_audited(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def ask(_parent: object, _desk: object, error: Exception, *, confirm: str = "") -> str:
        asked.append(confirm)
        return "Uma came in for her"

    monkeypatch.setattr(override_prompt, "ask_override", ask)
    calendar = _calendar(make_window(make_services(), sign_in(shop.owner_id)))
    grid = calendar.grid
    # Anna's massage to Uma at 10:00: Uma does not work on Mondays.
    _drag(qtbot, calendar, grid.point_at(0, 10 * 60 + 5), grid.point_at(1, 10 * 60 + 5))
    assert asked == ["Move anyway"]
    assert _times(database, shop.morning_appt_id)[2] == shop.therapist2_id
    with database.read() as s:
        actions = s.scalars(select(AuditEntry.action)).all()
    assert "appointment.override" in actions
    qtbot.waitUntil(lambda: grid.block(shop.morning_appt_id).placed.column == 1)


def test_the_keyboard_moves_resizes_and_undoes(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    grid.setFocus()
    grid.cursor_slot = None
    # Arrows walk the time: Tom's column from the top, down to his 10:00 block.
    for _ in range(8):
        qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_appointment() is not None
    assert grid.selected_appointment().id == shop.morning_appt_id
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _times(database, shop.morning_appt_id)[0] == NOW + timedelta(minutes=15)
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert _times(database, shop.morning_appt_id)[:2] == (
        NOW + timedelta(minutes=15),
        NOW + timedelta(minutes=90),
    )
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _times(database, shop.morning_appt_id)[:2] == (NOW, NOW + timedelta(hours=1))
    # Right to Uma's column at the same time: free there, so no block is selected.
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selected_appointment() is None
    assert grid.cursor_slot is not None
    assert grid.cursor_slot.column == 1


def test_overlapping_blocks_stand_side_by_side(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    with database.write() as s:
        facial = s.scalars(select(Service).where(Service.name == "Hot Stone Facial")).one()
        s.add(
            Appointment(
                customer_id=shop.boris_id,
                staff_id=shop.therapist_id,
                room=s.scalars(select(Room)).one(),
                service=facial,
                starts_at=NOW + timedelta(minutes=30),
                ends_at=NOW + timedelta(minutes=75),
                price_minor=6000,
            )
        )
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    anna = grid.block(shop.morning_appt_id)
    assert anna is not None
    [boris] = [b for b in grid.blocks.values() if "Борис Иванов" in b.text()]
    assert (anna.placed.lanes, boris.placed.lanes) == (2, 2)
    assert anna.x() + anna.body_rect().width() <= boris.x()  # neither hides the other
    assert anna.body_rect().width() < grid.column_width / 2


def test_zoom_step_and_columns_per_room_are_kept_for_this_terminal(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    tall = grid.pixels_per_minute
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert grid.pixels_per_minute > tall
    assert grid.ruler.x() == 0  # the time column stays at the left edge, whatever the scroll
    calendar.step_combo.setCurrentIndex(calendar.step_combo.findData(5))
    assert grid.rows() == 13 * 12
    calendar.columns_combo.setCurrentIndex(calendar.columns_combo.findData(ColumnKind.ROOM))
    assert [grid.header_lines(c)[0] for c in range(grid.column_count())] == ["Garden Room"]
    assert {b.placed.column for b in grid.blocks.values()} == {0}  # both in the one room
    choices = load_choices()
    assert (choices.step, choices.zoom, choices.by_room) == (5, 1.25, True)


def test_week_month_and_room_board_switch_by_keyboard(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    assert "Alt+W" in calendar.week_button.toolTip()
    qtbot.keyClick(calendar.grid, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert calendar.mode == "week"
    grid = calendar.grid
    assert grid.column_count() == 7
    assert [c.day for c in grid.columns] == [TODAY + timedelta(days=n) for n in range(7)]
    assert {c.staff_id for c in grid.columns} == {shop.therapist_id}
    assert calendar.title.text().startswith("Tom Therapist: week of Monday, 23 November 2026")
    assert grid.block(shop.morning_appt_id) is not None  # Tom's; 王芳's is Uma's
    assert grid.block(shop.afternoon_appt_id) is None
    calendar.who_combo.setCurrentIndex(calendar.who_combo.findText("Uma Therapist"))
    assert grid.block(shop.afternoon_appt_id) is not None
    calendar.next_button.click()
    assert grid.columns[0].day == TODAY + timedelta(days=7)
    qtbot.keyClick(calendar.grid, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    month = calendar.month_view
    assert month is not None
    assert calendar.views.currentWidget() is month
    month.day_chosen.emit(TODAY + timedelta(days=2))  # a day picked in the month: its day view
    assert calendar.mode == "day"
    assert calendar.schedule is not None
    assert calendar.schedule.day == TODAY + timedelta(days=2)
    assert calendar.views.currentWidget() is calendar.grid
    qtbot.keyClick(calendar, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert calendar.views.currentWidget() is calendar.room_board
    qtbot.keyClick(calendar, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert calendar.mode == "day"
    assert calendar.views.currentWidget() is calendar.grid


def test_blocks_say_what_they_hold_and_the_time_now_is_marked(
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    block = grid.block(shop.morning_appt_id)
    assert block is not None
    tip = block.toolTip()
    for words in ("Anna Smith", "Deep Tissue Massage", "Booked", "Cleanup: 15 minutes"):
        assert words in tip
    assert tip.endswith("Has allergies: check the client card")
    assert block.text().startswith("⚠ ")
    assert block.placed.held_end == 11 * 60 + 15  # the hatched tail: the cleanup
    grid.now = lambda: datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    assert grid.now_minute() == (None, 10 * 60 + 30)
    grid.now = lambda: datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    assert grid.now_minute() is None  # not on another day
    QApplication.processEvents()


def test_a_blocks_menu_has_the_client_checkout_status_steps_and_repeat(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    appt = calendar.grid.block(shop.morning_appt_id)
    assert appt is not None
    names = [a.text() for a in calendar.block_actions(appt.appointment)]
    assert names[:2] == ["Open client", "Check out…"]
    assert "Repeat…" in names
    assert len(names) > 3  # the status lane's next steps sit between them
    # Ctrl+Shift+C confirms the selected block, as its menu says.
    assert calendar.select_appointment(shop.morning_appt_id)
    calendar.grid.setFocus()
    qtbot.keyClick(
        calendar.grid,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    with database.read() as s:
        confirmed = s.get(Appointment, shop.morning_appt_id)
        assert confirmed is not None
        assert confirmed.status == "confirmed"
    calendar.waitlist_button.click()  # the waitlist beside the grid, built when first asked
    assert calendar.waitlist is not None
    assert calendar.waitlist.isVisible()
    calendar.waitlist_button.click()
    assert not calendar.waitlist.isVisible()


def test_a_free_slot_found_opens_the_booking_dialog_prefilled(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    calendar = _calendar(make_window(services, user))
    assert "Ctrl+Shift+F" in calendar.find_button.toolTip()
    assert calendar.select_appointment(shop.morning_appt_id)  # Anna's massage: search for it
    calendar.grid.setFocus()
    qtbot.keyClick(
        calendar.grid,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert calendar.find_dialog is not None
    with database.read() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
    [slot] = services.free_slots.find(
        SlotQuery(service_ids=(deep,), from_day=TODAY, staff_id=shop.therapist_id), user, limit=1
    )
    calendar.find_dialog.slot_chosen.emit(slot)
    dialog = calendar.booking_dialog
    assert isinstance(dialog, BookingDialog)
    leg = dialog.leg(0)
    qtbot.waitUntil(lambda: leg.staff.count() >= 2)
    assert leg.staff.currentData() == shop.therapist_id
    assert leg.service.currentData() == deep
    local = slot.starts.astimezone(ZoneInfo("Europe/London"))
    assert dialog.time_edit.time() == QTime(local.hour, local.minute)
    dialog.reject()


def test_booking_a_waiting_client_closes_their_waitlist_entry(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
    database: UnitOfWork,
) -> None:
    services = make_services()
    user = sign_in(shop.receptionist_id)
    with database.read() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
    entry_id = services.waitlist.add(
        WaitlistDraft(shop.boris_id, deep, TODAY, TODAY + timedelta(days=7)), user
    )
    calendar = _calendar(make_window(services, user))
    calendar.waitlist_button.click()
    panel = calendar.waitlist
    assert panel is not None
    [entry] = [e for e in services.waitlist.entries(user) if e.id == entry_id]
    assert entry.matches
    with qtbot.waitSignal(calendar.booking_dialog_opened):
        panel.book_requested.emit(WaitlistPick(entry, entry.matches[0]))
    dialog = calendar.booking_dialog
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(lambda: dialog.clients.client_ids() == (shop.boris_id,))
    assert dialog.leg(0).service.currentData() == deep
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.booked_id is not None)
    assert entry_id not in {e.id for e in services.waitlist.entries(user)}  # closed


def test_ctrl_wheel_zooms_and_the_room_board_opens_an_appointment_in_its_day(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: SignIn,
    shop: SeededShop,
) -> None:
    calendar = _calendar(make_window(make_services(), sign_in(shop.receptionist_id)))
    grid = calendar.grid
    before = grid.pixels_per_minute
    wheel = QWheelEvent(
        QPointF(grid.point_at(0, 12 * 60)),
        QPointF(grid.viewport().mapToGlobal(grid.point_at(0, 12 * 60))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(grid.viewport(), wheel)
    assert grid.pixels_per_minute > before
    assert calendar.zoom_out_button.toolTip().startswith("Zoom out (Ctrl+-")
    calendar.show_day(TODAY + timedelta(days=3))
    calendar.board_button.click()
    board = calendar.room_board
    assert board is not None
    board.open_appointment.emit(shop.afternoon_appt_id)  # a tile's appointment, today
    assert calendar.mode == "day"
    assert calendar.day == TODAY
    selected = grid.selected_appointment()
    assert selected is not None
    assert selected.id == shop.afternoon_appt_id
