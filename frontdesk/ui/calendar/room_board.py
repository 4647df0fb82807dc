"""The room board: a tile per room place and equipment unit that a receptionist reads at a glance
(the state in words and colour, who and what, minutes left), with check-in / start / finish on
the tile. It reads itself on the database worker, again on every change of appointments, rooms,
clients or services (here or at another terminal) and once a minute, as the minutes run."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.formats import Formats
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.room_board import (
    SOON_MINUTES,
    BoardGroup,
    BoardTile,
    GroupKind,
    RoomBoard,
    TileState,
)
from frontdesk.ui import style
from frontdesk.ui.calendar.status_actions import STATUS_KEYS, run_step
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk

S = AppointmentStatus

#: What the board shows: visits and their statuses, the rooms and equipment, client and service
#: names, and the shop's zone.
SHOWN = (
    ChangeKind.APPOINTMENTS,
    ChangeKind.ROOMS,
    ChangeKind.CLIENTS,
    ChangeKind.CATALOGUE,
    ChangeKind.STAFF,
    ChangeKind.SHOP,
)
#: The minutes on the tiles run on: read the board again this often.
REFRESH_MS = 60_000
COLUMNS = 4

#: Background and border per state; the state is always written in words too.
_COLOURS = {
    TileState.FREE: ("#e7f5ea", "#2e7d32"),
    TileState.BOOKED: ("#fff4d6", "#b26a00"),
    TileState.IN_SERVICE: ("#dde9fb", "#1a56b0"),
    TileState.CLEANING: ("#eeeeee", "#616161"),
}


class BoardTileWidget(QFrame):
    """One place: name, state, who and what, minutes, and the next step's button."""

    open_requested = Signal(int)
    step_requested = Signal(int, object)  # appointment id, the AppointmentStatus wanted

    def __init__(
        self, group: BoardGroup, tile: BoardTile, formats: Formats, can_serve: bool
    ) -> None:
        super().__init__()
        self.group = group
        self.tile = tile
        self.setObjectName(f"tile_{group.kind.value}_{group.id}_{tile.place}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumWidth(200)
        back, edge = _COLOURS[tile.state]
        self.setStyleSheet(
            f"BoardTileWidget {{ background: {back}; border: 2px solid {edge};"
            f" border-radius: 6px; }}"
            f" BoardTileWidget:focus {{ border: 3px solid #000; }}"
        )
        if not tile.place:
            name = group.name
        elif group.kind is GroupKind.ROOM:
            name = self.tr("{name} · place {place}").format(name=group.name, place=tile.place)
        else:
            name = self.tr("{name} · unit {place}").format(name=group.name, place=tile.place)
        self.name_label = QLabel(name)
        self.name_label.setStyleSheet("font-weight: 600;")
        self.state_label = QLabel(self.state_text())
        self.state_label.setObjectName("tileState")
        self.state_label.setStyleSheet(f"color: {edge}; font-weight: 700; font-size: 15px;")
        self.who_label = QLabel(self.who_text())
        self.who_label.setObjectName("tileWho")
        self.who_label.setWordWrap(True)
        self.when_label = QLabel(self.when_text(formats))
        self.when_label.setObjectName("tileWhen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.who_label)
        layout.addWidget(self.when_label)
        self.step_button: QPushButton | None = None
        step = self.next_step()
        if step is not None and can_serve and tile.visit is not None:
            text, tip = self.step_words(step)
            self.step_button = QPushButton(text)
            self.step_button.setObjectName("tileStep")
            self.step_button.setToolTip(tip)
            visit_id = tile.visit.appointment_id
            self.step_button.clicked.connect(lambda: self.step_requested.emit(visit_id, step))
            layout.addWidget(self.step_button)
        layout.addStretch(1)
        if tile.visit is not None:
            self.setToolTip(self.tr("Open the appointment (Enter or double-click)"))

    def state_text(self) -> str:
        visit = self.tile.visit
        if self.tile.state is TileState.BOOKED and visit and visit.status is S.CHECKED_IN:
            return self.tr("Client waiting")
        names = {
            TileState.FREE: self.tr("Free"),
            TileState.BOOKED: self.tr("Booked"),
            TileState.IN_SERVICE: self.tr("In service"),
            TileState.CLEANING: self.tr("Cleaning"),
        }
        return names[self.tile.state]

    def who_text(self) -> str:
        visit = self.tile.visit
        if visit is None:
            return ""
        parts = [p for p in (visit.client_name, visit.service_name) if p]
        text = " · ".join(parts)
        if visit.therapist_name:
            text += "\n" + self.tr("with {therapist}").format(therapist=visit.therapist_name)
        return text

    def when_text(self, formats: Formats) -> str:
        tile, minutes = self.tile, self.tile.minutes
        if tile.state is TileState.FREE:
            upcoming = self.group.next_visit
            if upcoming is None:
                return self.tr("Nothing more today")
            return self.tr("Next at {time}").format(time=formats.time(upcoming.starts))
        assert minutes is not None
        assert tile.until is not None
        if tile.state is TileState.IN_SERVICE:
            if minutes < 0:
                return self.tr("%n min over time", "", -minutes)
            return self.tr("%n min left", "", minutes)
        if tile.state is TileState.CLEANING:
            return self.tr("Ready in %n min", "", minutes)
        if minutes < 0:
            return self.tr("Due at {time}, %n min late", "", -minutes).format(
                time=formats.time(tile.until)
            )
        return self.tr("Due at {time}, in %n min", "", minutes).format(
            time=formats.time(tile.until)
        )

    def next_step(self) -> AppointmentStatus | None:
        visit = self.tile.visit
        if visit is None:
            return None
        return {
            S.BOOKED: S.CHECKED_IN,
            S.CONFIRMED: S.CHECKED_IN,
            S.CHECKED_IN: S.IN_SERVICE,
            S.IN_SERVICE: S.COMPLETED,
        }.get(visit.status)

    def step_words(self, step: AppointmentStatus) -> tuple[str, str]:
        keys = STATUS_KEYS[step]
        words = {
            S.CHECKED_IN: (self.tr("Check in"), self.tr("The client has arrived ({keys})")),
            S.IN_SERVICE: (self.tr("Start"), self.tr("The service has started ({keys})")),
            S.COMPLETED: (self.tr("Finish"), self.tr("The service is over ({keys})")),
        }
        text, tip = words[step]
        return text, tip.format(keys=keys)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.tile.visit:
            self.open_requested.emit(self.tile.visit.appointment_id)
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.tile.visit is not None:
            self.open_requested.emit(self.tile.visit.appointment_id)
            return
        super().mouseDoubleClickEvent(event)


class RoomBoardView(QWidget):
    """Every room place and equipment unit now, as tiles (see the module doc)."""

    open_appointment = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._service = desk.services.room_board
        self._user = desk.user
        self.board: RoomBoard | None = None
        self.tiles: list[BoardTileWidget] = []
        self._loading = False
        self._reload = False
        self._asked = 0
        self.title = QLabel(self.tr("Room board"))
        self.title.setStyleSheet(style.TITLE)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("boardClock")
        self.legend = QLabel(
            self.tr("Free · Booked (due within {minutes} min) · In service · Cleaning").format(
                minutes=SOON_MINUTES
            )
        )
        self.legend.setObjectName("boardLegend")
        self.legend.setStyleSheet("color: #555;")
        self.empty_label = QLabel(
            self.tr(
                "No rooms or equipment are set up yet. Add them in the back office, "
                "under Rooms and equipment."
            )
        )
        self.empty_label.setObjectName("boardEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(style.NOTICE)
        self._content = QWidget()
        self._grid = QGridLayout(self._content)
        self._grid.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._content)
        self.stack = QStackedLayout()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty_label)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.clock_label)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.legend)
        layout.addLayout(self.stack, 1)
        self.follow = FollowChanges(self, desk.bus, SHOWN, self._on_changes)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _on_changes(self, _changes: Changes | None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the board again on the database worker; requests while a read runs make one
        more read after it, and only the newest read is shown."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        self._reload = False
        self._asked += 1
        asked, service, user = self._asked, self._service, self._user
        self._desk.runner.run(
            lambda: service.board(user),
            doing=self.tr("loading the room board"),
            on_done=lambda board: self._arrived(board, asked),
            on_finished=self._read_finished,
            parent=self,
        )

    def _read_finished(self) -> None:
        self._loading = False
        if self._reload:
            self.refresh()

    def _arrived(self, board: RoomBoard, asked: int) -> None:
        if asked == self._asked:
            self.show_board(board)

    def show_board(self, board: RoomBoard) -> None:
        focused = self._focused_key()
        self.board = board
        formats = self._desk.formats()
        self.clock_label.setText(self.tr("At {time}").format(time=formats.time(board.at)))
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.tiles = []
        if board.empty:
            self.stack.setCurrentWidget(self.empty_label)
            return
        self.stack.setCurrentIndex(0)
        can_serve = self._user.can(Permission.SERVE_APPOINTMENTS)
        row = 0
        for heading, groups in (
            (self.tr("Rooms"), board.rooms),
            (self.tr("Equipment"), board.equipment),
        ):
            if not groups:
                continue
            title = QLabel(heading)
            title.setStyleSheet("font-weight: 600; font-size: 15px;")
            self._grid.addWidget(title, row, 0, 1, COLUMNS)
            row += 1
            column = 0
            for group in groups:
                for tile in group.tiles:
                    widget = BoardTileWidget(group, tile, formats, can_serve)
                    widget.open_requested.connect(self.open_appointment)
                    widget.step_requested.connect(self._step)
                    self._grid.addWidget(widget, row, column)
                    self.tiles.append(widget)
                    column += 1
                    if column == COLUMNS:
                        column, row = 0, row + 1
            if column:
                row += 1
        self._grid.setRowStretch(row, 1)
        for widget in self.tiles:
            if (widget.group.kind, widget.group.id, widget.tile.place) == focused:
                widget.setFocus()

    def _focused_key(self) -> tuple[object, int, int] | None:
        for widget in self.tiles:
            if widget.hasFocus() or widget.isAncestorOf(self.focusWidget() or self):
                return widget.group.kind, widget.group.id, widget.tile.place
        return None

    def _step(self, appointment_id: int, wanted: AppointmentStatus) -> None:
        run_step(self._desk, appointment_id, wanted, self)

    def tile_for(self, name: str, place: int = 0) -> BoardTileWidget | None:
        """The tile of a room or equipment by name (and place), for tests and the calendar."""
        for widget in self.tiles:
            if widget.group.name == name and widget.tile.place == place:
                return widget
        return None
