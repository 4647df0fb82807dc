"""The services of a booking, in the order they are given: each with its therapist (a named one
or anyone qualified), its room and its equipment (automatic or chosen by hand), and under it
what the preview planned for it and any problem, beside the leg it concerns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.booking import BookingChoices, LegRequest
from frontdesk.ui import style

#: Combo boxes keep to this many characters however long a name is (Russian, Chinese).
COMBO_CHARS = 6


def _combo(name: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setAccessibleName(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARS)
    return combo


def _refill(combo: QComboBox, rows: Sequence[tuple[Any, str]], wanted: Any) -> bool:
    """Fill `combo` keeping `wanted` chosen when it is still there; False when it is gone."""
    combo.blockSignals(True)
    combo.clear()
    for data, text in rows:
        combo.addItem(text, data)
    index = next((i for i in range(combo.count()) if combo.itemData(i) == wanted), -1)
    combo.setCurrentIndex(index if index >= 0 else (0 if combo.count() else -1))
    combo.blockSignals(False)
    return index >= 0


class LegRow(QWidget):
    """One service of the booking."""

    changed = Signal()
    move_requested = Signal(object, int)  # (row, -1 up / +1 down)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = _combo("legService", self.tr("Service"))
        self.staff = _combo("legStaff", self.tr("Therapist"))
        self.room = _combo("legRoom", self.tr("Room"))
        self.equipment = _combo("legEquipment", self.tr("Equipment"))
        self.up = QToolButton()
        self.up.setText("↑")
        self.up.setToolTip(self.tr("Earlier in the sequence (Alt+Up)"))
        self.down = QToolButton()
        self.down.setText("↓")
        self.down.setToolTip(self.tr("Later in the sequence (Alt+Down)"))
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setToolTip(self.tr("Take this service off (Ctrl+Delete)"))
        for button in (self.up, self.down, self.remove):
            button.setAccessibleName(button.toolTip())
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plan = QLabel()
        self.plan.setObjectName("legPlan")
        self.plan.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("legProblem")
        self.problem.setStyleSheet(style.ERROR_TEXT)
        self.problem.setWordWrap(True)
        self.problem.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.service, 0, 0)
        grid.addWidget(self.staff, 0, 1)
        grid.addWidget(self.room, 0, 2)
        grid.addWidget(self.equipment, 0, 3)
        grid.addWidget(self.up, 0, 4)
        grid.addWidget(self.down, 0, 5)
        grid.addWidget(self.remove, 0, 6)
        grid.addWidget(self.plan, 1, 0, 1, 7)
        grid.addWidget(self.problem, 2, 0, 1, 7)
        for column, stretch in enumerate((3, 2, 2, 2)):
            grid.setColumnStretch(column, stretch)

        for combo in (self.service, self.staff, self.room, self.equipment):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.up.clicked.connect(lambda: self.move_requested.emit(self, -1))
        self.down.clicked.connect(lambda: self.move_requested.emit(self, 1))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        for keys, act in (
            ("Alt+Up", lambda: self.move_requested.emit(self, -1)),
            ("Alt+Down", lambda: self.move_requested.emit(self, 1)),
            ("Ctrl+Delete", lambda: self.remove_requested.emit(self)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(act)

    def focus_chain(self) -> list[QWidget]:
        return [
            self.service,
            self.staff,
            self.room,
            self.equipment,
            self.up,
            self.down,
            self.remove,
        ]

    def fill(
        self,
        choices: BookingChoices,
        *,
        service_id: Any = None,
        staff_id: Any = None,
        room_id: Any = None,
        resource_id: Any = None,
    ) -> list[str]:
        """Offer what may be chosen on the day, keeping the choices made (or the ones given);
        the names ("service", "staff", ...) of wanted choices that are not offered."""
        wanted = {
            "service": self.service.currentData() if service_id is None else service_id,
            "staff": self.staff.currentData() if staff_id is None else staff_id,
            "room": self.room.currentData() if room_id is None else room_id,
            "equipment": self.equipment.currentData() if resource_id is None else resource_id,
        }
        automatic = self.tr("Automatic")
        # The engine lane adds rooms and equipment to the choices; until then: automatic only.
        rooms = getattr(choices, "rooms", None)
        resources = getattr(choices, "resources", None)
        missing = []
        if (
            not _refill(self.service, [(s.id, s.name) for s in choices.services], wanted["service"])
            and wanted["service"] is not None
        ):
            missing.append("service")
        staff_rows = [(None, self.tr("Anyone qualified")), *((s.id, s.name) for s in choices.staff)]
        if not _refill(self.staff, staff_rows, wanted["staff"]):
            missing.append("staff")
        room_rows = [(None, automatic), *((r.id, r.name) for r in rooms or ())]
        if not _refill(self.room, room_rows, wanted["room"]) and rooms is not None:
            missing.append("room")
        equipment_rows = [(None, automatic), *((r.id, r.name) for r in resources or ())]
        if not _refill(self.equipment, equipment_rows, wanted["equipment"]) and resources:
            missing.append("equipment")
        self.room.setEnabled(bool(rooms))
        self.equipment.setEnabled(bool(resources))
        return missing

    def request(self) -> LegRequest | None:
        service_id = self.service.currentData()
        if service_id is None:
            return None
        resource = self.equipment.currentData()
        return LegRequest(
            service_id=int(service_id),
            staff_id=self.staff.currentData(),
            room_id=self.room.currentData(),
            resource_ids=None if resource is None else (int(resource),),
        )

    def show_plan(self, lines: Sequence[str], problems: Sequence[str]) -> None:
        self.plan.setText("\n".join(lines))
        self.problem.setText("\n".join(dict.fromkeys(problems)))
        self.problem.setVisible(bool(problems))


class LegList(QWidget):
    """The booking's services in order; `changed` whenever one is added, moved, removed or
    changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[LegRow] = []
        self.choices: BookingChoices | None = None
        self.add_button = QPushButton(self.tr("Add a service"))
        self.add_button.setObjectName("addLeg")
        self.add_button.setToolTip(self.tr("Another service after the last one (Ctrl+Shift+S)"))
        self.add_button.setShortcut(QKeySequence(self.tr("Ctrl+Shift+S")))
        self.add_button.setAutoDefault(False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(lambda: self.add_leg(focus=True))

    def add_leg(
        self,
        service_id: int | None = None,
        staff_id: int | None = None,
        room_id: int | None = None,
        *,
        focus: bool = False,
    ) -> LegRow:
        row = LegRow(self)
        if self.choices is not None:
            row.fill(self.choices, service_id=service_id, staff_id=staff_id, room_id=room_id)
        row.changed.connect(self.changed)
        row.move_requested.connect(self.move_leg)
        row.remove_requested.connect(self.remove_leg)
        self.rows.append(row)
        self._layout.insertWidget(len(self.rows) - 1, row)
        self._update_buttons()
        if focus:
            row.service.setFocus()
        self.changed.emit()
        return row

    def move_leg(self, row: LegRow, step: int) -> None:
        index = self.rows.index(row)
        target = index + step
        if not 0 <= target < len(self.rows):
            return
        self.rows.insert(target, self.rows.pop(index))
        self._layout.removeWidget(row)
        self._layout.insertWidget(target, row)
        self._update_buttons()
        row.service.setFocus()
        self.changed.emit()

    def remove_leg(self, row: LegRow) -> None:
        if len(self.rows) <= 1:
            return  # a booking has at least one service: change it instead
        index = self.rows.index(row)
        self.rows.pop(index)
        self._layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._update_buttons()
        self.rows[min(index, len(self.rows) - 1)].service.setFocus()
        self.changed.emit()

    def fill(self, choices: BookingChoices) -> list[str]:
        """Offer the day's choices in every leg; the names of wanted choices no longer offered."""
        self.choices = choices
        missing: list[str] = []
        for row in self.rows:
            missing.extend(row.fill(choices))
        self.changed.emit()
        return list(dict.fromkeys(missing))

    def requests(self) -> tuple[LegRequest, ...]:
        return tuple(leg for row in self.rows if (leg := row.request()) is not None)

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_chain()] + [self.add_button]

    def _update_buttons(self) -> None:
        for index, row in enumerate(self.rows):
            row.up.setEnabled(index > 0)
            row.down.setEnabled(index < len(self.rows) - 1)
            row.remove.setEnabled(len(self.rows) > 1)
