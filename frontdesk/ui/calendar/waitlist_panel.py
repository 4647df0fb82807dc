"""The waitlist beside the calendar: who is waiting for what, and the free slots that suit them
now. It reads itself on the database worker and again whenever the bus announces a change of
appointments or of the waitlist (here or at another terminal), so a cancellation shows who is
waiting for the freed time at once. Book asks the calendar to open the booking dialog."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.free_slots import FreeSlot
from frontdesk.services.waitlist import WaitlistView
from frontdesk.ui import style
from frontdesk.ui.calendar.waitlist_dialog import WaitlistDialog
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.plural import plural_s

#: What the waitlist shows: the entries, the free time (appointments, hours, rooms), names.
SHOWN = (
    ChangeKind.WAITLIST,
    ChangeKind.APPOINTMENTS,
    ChangeKind.CLIENTS,
    ChangeKind.STAFF,
    ChangeKind.ROOMS,
    ChangeKind.CATALOGUE,
    ChangeKind.SHOP,
)
MATCH_BACKGROUND = "#e3f4e1"


class WaitlistPick(NamedTuple):
    """What Book hands the calendar: the waiting client's entry and the free slot chosen."""

    entry: WaitlistView
    slot: FreeSlot


class WaitlistPanel(QWidget):
    """Who is waiting; Add…, Remove, Book (emits `book_requested` with a WaitlistPick)."""

    book_requested = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._user = desk.user
        self._waitlist = desk.services.waitlist
        self.entries: tuple[WaitlistView, ...] = ()
        self.add_dialog: WaitlistDialog | None = None
        self._loading = False
        self._reload = False
        self._asked = 0
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.refresh()

    def _init_widgets(self) -> None:
        self.title = QLabel(self.tr("Waitlist"))
        self.title.setStyleSheet(style.TITLE)
        self.summary = QLabel()
        self.summary.setObjectName("waitlistSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("waitlistEntries")
        self.list.setWordWrap(True)
        # Items are measured again when the panel is resized, so long lines wrap, not elide.
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setToolTip(self.tr("Who is waiting (Delete removes, Enter books)"))
        self.slots_label = QLabel(self.tr("Free slots for the selected client:"))
        self.slots = QListWidget()
        self.slots.setObjectName("waitlistSlots")
        self.slots.setMaximumHeight(90)
        self.empty_label = QLabel(
            self.tr("No one is waiting. Add a client who wants a time that is full.")
        )
        self.empty_label.setObjectName("waitlistEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(style.NOTICE)
        can_book = self._user.can(Permission.BOOK_APPOINTMENTS)
        self.add_button = QPushButton(self.tr("Add…"))
        self.add_button.setToolTip(self.tr("Put a client on the waitlist (Ctrl+Shift+W)"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Take the selected client off the list (Delete)"))
        self.book_button = QPushButton(self.tr("Book"))
        self.book_button.setToolTip(self.tr("Book the selected free slot (Enter)"))
        for button in (self.add_button, self.remove_button, self.book_button):
            button.setVisible(can_book)

    def _init_layout(self) -> None:
        entries = QWidget()
        entries_layout = QVBoxLayout(entries)
        entries_layout.setContentsMargins(0, 0, 0, 0)
        entries_layout.addWidget(self.list, 1)
        entries_layout.addWidget(self.slots_label)
        entries_layout.addWidget(self.slots)
        self.stack = QStackedLayout()
        self.stack.addWidget(entries)
        self.stack.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.book_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(self.stack, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.book_button.clicked.connect(self.book_selected)
        self.list.currentItemChanged.connect(lambda *_: self._show_slots())
        self.slots.currentItemChanged.connect(lambda *_: self._update_buttons())
        # Enter (or a double-click) on a waiting client or on one of their slots books it.
        self.list.itemActivated.connect(lambda _item: self.book_selected())
        self.slots.itemActivated.connect(lambda _item: self.book_selected())
        self.follow = FollowChanges(self, self._desk.bus, SHOWN, lambda _c: self.refresh())
        QShortcut(
            QKeySequence("Ctrl+Shift+W"),
            self,
            self.add_entry,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence("Delete"),
            self.list,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

    # -- reading ---------------------------------------------------------------------------------

    def refresh(self, _changes: Changes | None = None) -> None:
        """Read the waitlist again; while a read runs, one more read follows it; only the newest
        read is shown."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        self._reload = False
        self._asked += 1
        asked, waitlist, user = self._asked, self._waitlist, self._user
        self._desk.runner.run(
            lambda: waitlist.entries(user),
            doing=self.tr("loading the waitlist"),
            on_done=lambda entries: self._arrived(entries, asked),
            on_finished=self._read_finished,
        )

    def _read_finished(self) -> None:
        self._loading = False
        if self._reload:
            self.refresh()

    def _arrived(self, entries: tuple[WaitlistView, ...], asked: int) -> None:
        if asked == self._asked:
            self.show_entries(entries)

    def show_entries(self, entries: tuple[WaitlistView, ...]) -> None:
        """Put `entries` on screen, keeping the selected one selected."""
        selected = self.selected_entry()
        formats = self._desk.formats()
        self.entries = entries
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            text = self._entry_text(entry, formats)
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            if entry.matches:
                item.setBackground(QBrush(QColor(MATCH_BACKGROUND)))
            self.list.addItem(item)
        self.list.blockSignals(False)
        matched = sum(1 for e in entries if e.matches)
        if matched:
            text = self.tr("A slot is free for %n waiting", "", matched)
        else:
            text = self.tr("%n waiting", "", len(entries))
        self.summary.setText(plural_s(text, matched or len(entries)))
        self.stack.setCurrentIndex(0 if entries else 1)
        self.summary.setVisible(bool(entries))
        if entries:
            index = next((i for i, e in enumerate(entries) if selected and e.id == selected.id), 0)
            self.list.setCurrentRow(index)
        self._show_slots()

    def _entry_text(self, entry: WaitlistView, formats: Formats) -> str:
        who = entry.staff_name or self.tr("anyone")
        lines = [
            self.tr("{client} · {service} · with {therapist}").format(
                client=entry.client_name, service=entry.service_name, therapist=who
            ),
            self._window_text(entry, formats),
        ]
        if entry.matches:
            first = entry.matches[0]
            lines.append(
                self.tr("A slot is free: {when} with {therapist}").format(
                    when=self._when(first.starts, formats), therapist=_therapist(first)
                )
            )
        if entry.note:
            lines.append(entry.note)
        return "\n".join(lines)

    def _window_text(self, entry: WaitlistView, formats: Formats) -> str:
        days = f"{formats.short_date(entry.first_day)} – {formats.short_date(entry.last_day)}"
        hours = f"{formats.clock(entry.from_minute)}–{formats.clock(entry.to_minute)}"
        locale = QLocale(formats.locale)
        weekdays = " ".join(
            locale.dayName(day + 1, QLocale.FormatType.ShortFormat)
            for day in sorted(entry.weekdays)
        )
        return ", ".join(part for part in (days, hours, weekdays) if part)

    def _when(self, starts: datetime, formats: Formats) -> str:
        """'Tue 1 Dec 14:00' in the window's language."""
        local = formats.local(starts)
        weekday = QLocale(formats.locale).dayName(
            local.isoweekday(), QLocale.FormatType.ShortFormat
        )
        return f"{weekday} {formats.short_date(local.date())} {formats.time(starts)}"

    def _show_slots(self) -> None:
        entry = self.selected_entry()
        formats = self._desk.formats()
        self.slots.clear()
        for index, slot in enumerate(entry.matches if entry is not None else ()):
            text = self.tr("{when} with {therapist}").format(
                when=self._when(slot.starts, formats), therapist=_therapist(slot)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.slots.addItem(item)
        has_slots = self.slots.count() > 0
        self.slots_label.setVisible(has_slots)
        self.slots.setVisible(has_slots)
        if has_slots:
            self.slots.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.remove_button.setEnabled(entry is not None)
        self.book_button.setEnabled(entry is not None and self.selected_slot() is not None)

    # -- what is selected ------------------------------------------------------------------------

    def selected_entry(self) -> WaitlistView | None:
        item = self.list.currentItem()
        if item is None:
            return None
        entry_id = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e.id == entry_id), None)

    def selected_slot(self) -> FreeSlot | None:
        entry = self.selected_entry()
        item = self.slots.currentItem()
        if entry is None or item is None:
            return None
        index = int(item.data(Qt.ItemDataRole.UserRole))
        return entry.matches[index] if index < len(entry.matches) else None

    # -- actions ---------------------------------------------------------------------------------

    def add_entry(self) -> None:
        if not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        today: date = self._desk.services.shop.today()
        self.add_dialog = WaitlistDialog(self._desk, today, self)
        self.add_dialog.open()

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove from the waitlist"),
            self.tr("Take {client} off the waitlist?").format(client=entry.client_name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        waitlist, user = self._waitlist, self._user
        self._desk.runner.run(
            lambda: waitlist.remove(entry.id, user),
            doing=self.tr("removing from the waitlist"),
            parent=self,
        )

    def mark_booked(self, entry_id: int, appointment_id: int) -> None:
        """The calendar booked a waiting client (after `book_requested`): their entry closes
        with the appointment, and the bus takes it off the list."""
        if not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        waitlist, user = self._waitlist, self._user
        self._desk.runner.run(
            lambda: waitlist.mark_booked(entry_id, appointment_id, user),
            doing=self.tr("closing the waitlist entry"),
            parent=self,
        )

    def book_selected(self) -> None:
        """Ask the calendar to book the selected client in the selected free slot."""
        entry, slot = self.selected_entry(), self.selected_slot()
        if entry is None or slot is None or not self._user.can(Permission.BOOK_APPOINTMENTS):
            return
        self.book_requested.emit(WaitlistPick(entry, slot))


def _therapist(slot: FreeSlot) -> str:
    return next((leg.staff_name for leg in slot.legs if leg.staff_name), "")
