"""The back office's rooms and equipment: two tabs, each a list beside the chosen one's form.

A room has a kind ("treatment", "couples", "sauna"...) and a capacity (a sauna for 6); equipment
has a kind and a quantity. Each form lists the services that can use it: for a room, the
active services that need its kind; for equipment, the services linked to it. Both are set on
each service, in Services: here they are only shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import KIND, MAX_CAPACITY, MAX_QUANTITY, EquipmentDraft, RoomDraft
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.rooms import EquipmentDetail, RoomDetail, ServiceUse
from frontdesk.ui.backoffice.records_page import RecordRow, RecordsPage
from frontdesk.ui.desk import Desk
from frontdesk.ui.widgets.plural import plural_s


def _kind_completer(parent: QWidget) -> QCompleter:
    completer = QCompleter(QStringListModel(parent), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return completer


def _uses_list() -> QListWidget:
    uses = QListWidget()
    uses.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    uses.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    uses.setMaximumHeight(140)
    return uses


def _hint(text: str) -> QLabel:
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet("QLabel { color: #555; }")
    return hint


class _UsableTab(RecordsPage):
    """A room or equipment tab: its kinds completed from those in use, and the services that
    can use the chosen one listed under its form (kept fresh as services change)."""

    kinds = (ChangeKind.ROOMS, ChangeKind.CATALOGUE)

    def kinds_work(self) -> Callable[[], list[str]]:
        """Work returning the kinds already in use, for completion."""
        raise NotImplementedError

    def kinds_doing(self) -> str:
        raise NotImplementedError

    def shown_uses(self, record: object) -> tuple[int, Sequence[ServiceUse], str, bool] | None:
        """For a loaded record: its id, the services that can use it, what to say when there
        are none, and whether quantities are places (rooms) rather than items."""
        raise NotImplementedError

    def may_edit(self) -> bool:
        return self.desk.user.can(Permission.MANAGE_CATALOGUE)

    def _add_kind_field(self, placeholder: str) -> None:
        self.kind_edit = self.fields.add_field(
            KIND, QCoreApplication.translate("RoomsPage", "Kind")
        )
        self.kind_edit.setMaxLength(40)
        self.kind_edit.setPlaceholderText(placeholder)
        self.kind_completer = _kind_completer(self.kind_edit)
        self.kind_edit.setCompleter(self.kind_completer)

    def _finish_form(self, form: QWidget, uses_name: str, label: str, hint: str) -> QWidget:
        """The services list, its empty note and where it is set, under the fields."""
        fields = self.fields
        self.uses_list = _uses_list()
        self.uses_list.setObjectName(uses_name)
        fields.addRow(label, self.uses_list)
        self.no_uses = _hint("")
        self.no_uses.setObjectName(f"no{uses_name[0].upper()}{uses_name[1:]}")
        fields.addRow("", self.no_uses)
        fields.addRow("", _hint(hint))
        column = QVBoxLayout(form)
        column.addLayout(fields)
        column.addStretch(1)
        return form

    def refresh(self, changes: Changes | None = None) -> None:
        super().refresh(changes)
        self.desk.runner.run(self.kinds_work(), doing=self.kinds_doing(), on_done=self._kinds_read)
        if changes is not None and self.current_id is not None and self.editing:
            # a service changed what it needs: the list below the form, not what is typed
            self.desk.runner.run(
                self.load_work(self.current_id),
                doing=QCoreApplication.translate("RoomsPage", "reading the services"),
                on_done=self._uses_read,
            )

    def _uses_read(self, record: object) -> None:
        shown = self.shown_uses(record)
        if shown is not None and shown[0] == self.current_id:
            self._show_uses(record)

    def _show_uses(self, record: object) -> None:
        shown = self.shown_uses(record)
        if shown is not None:
            _, uses, none, places = shown
            _show_uses(self.uses_list, self.no_uses, uses, none, places=places)

    def _kinds_read(self, kinds: list[str]) -> None:
        model = self.kind_completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(kinds)


class RoomsTab(_UsableTab):
    """Rooms: name, kind, capacity, archive; and the services of its kind."""

    def texts(self) -> dict[str, str]:
        return {
            "search": self.tr("Search rooms by name or kind"),
            "new": self.tr("New room"),
            "empty": self.tr(
                "No rooms yet. Add the rooms treatments happen in with New room (Ctrl+N)."
            ),
            "none_chosen": self.tr("Choose a room on the left, or add one with New room (Ctrl+N)."),
            "archived": self.tr(
                "This room is archived: nothing can be booked in it. Restore it to use it again."
            ),
        }

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        rooms, user = self.desk.services.rooms, self.desk.user

        def work() -> list[RecordRow]:
            rows = []
            for room in rooms.rooms(user, include_archived=True):
                places = plural_s(self.tr("%n place(s)", "", room.capacity), room.capacity)
                detail = f"{room.kind} · {places}" if room.kind else places
                rows.append(RecordRow(room.id, room.name, detail, not room.active, room.kind))
            return rows

        return work

    def build_form(self) -> QWidget:
        form = QWidget()
        fields = self.fields
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = fields.add_field("name", self.tr("Name"))
        self.name_edit.setMaxLength(80)
        self._add_kind_field(self.tr("treatment, couples, sauna…"))
        self.kind_edit.setToolTip(
            self.tr("Services name the kind of room they need: any room of that kind will do")
        )
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(1, MAX_CAPACITY)
        self.capacity_spin.setToolTip(
            self.tr("How many people it holds at once: a sauna for 6, a couples room for 2")
        )
        fields.add_widget("capacity", self.tr("Capacity"), self.capacity_spin)
        return self._finish_form(
            form,
            "roomServices",
            self.tr("Services"),
            self.tr("Which kind of room a service needs is set on each service, in Services."),
        )

    def kinds_work(self) -> Callable[[], list[str]]:
        return self.desk.services.rooms.room_kinds

    def kinds_doing(self) -> str:
        return self.tr("reading the kinds of room")

    def shown_uses(self, record: object) -> tuple[int, Sequence[ServiceUse], str, bool] | None:
        if not isinstance(record, RoomDetail):
            return None
        return record.room.id, record.services, self._none(record), True

    def load_work(self, record_id: int) -> Callable[[], object]:
        rooms, user = self.desk.services.rooms, self.desk.user
        return lambda: rooms.room(record_id, user)

    def show_record(self, record: object | None) -> None:
        if record is None:
            self.name_edit.clear()
            self.kind_edit.clear()
            self.capacity_spin.setValue(1)
            _show_uses(self.uses_list, self.no_uses, (), self.tr("Save the room first."))
            return
        assert isinstance(record, RoomDetail)
        room = record.room
        self.name_edit.setText(room.name)
        self.kind_edit.setText(room.kind)
        self.capacity_spin.setValue(room.capacity)
        self._show_uses(record)

    def _none(self, record: RoomDetail) -> str:
        return (
            self.tr("No active service needs a room of this kind yet.")
            if record.room.kind
            else self.tr("Give the room a kind so services can ask for it.")
        )

    def save_work(self) -> Callable[[], int]:
        draft = RoomDraft(self.name_edit.text(), self.kind_edit.text(), self.capacity_spin.value())
        rooms, user, room_id = self.desk.services.rooms, self.desk.user, self.current_id
        return lambda: rooms.save_room(draft, user, room_id)

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        rooms, user = self.desk.services.rooms, self.desk.user
        return lambda: rooms.set_room_active(record_id, not archived, user)


class EquipmentTab(_UsableTab):
    """Equipment: name, kind, quantity, archive; and the services that need it."""

    def texts(self) -> dict[str, str]:
        return {
            "search": self.tr("Search equipment by name or kind"),
            "new": self.tr("New equipment"),
            "empty": self.tr(
                "No equipment yet. Add what treatments share (stone kits, steamers) "
                "with New equipment (Ctrl+N)."
            ),
            "none_chosen": self.tr(
                "Choose equipment on the left, or add some with New equipment (Ctrl+N)."
            ),
            "archived": self.tr(
                "This equipment is archived: services no longer wait for it. "
                "Restore it to use it again."
            ),
        }

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        rooms, user = self.desk.services.rooms, self.desk.user

        def work() -> list[RecordRow]:
            rows = []
            for item in rooms.equipment(user, include_archived=True):
                count = self.tr("%n in the shop", "", item.quantity)
                detail = f"{item.kind} · {count}" if item.kind else count
                rows.append(RecordRow(item.id, item.name, detail, not item.active, item.kind))
            return rows

        return work

    def build_form(self) -> QWidget:
        form = QWidget()
        fields = self.fields
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = fields.add_field("name", self.tr("Name"))
        self.name_edit.setMaxLength(80)
        self._add_kind_field(self.tr("stones, steamer, bed…"))
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setRange(0, MAX_QUANTITY)
        self.quantity_spin.setToolTip(
            self.tr("How many the shop has: two stone kits let two stone massages run at once")
        )
        fields.add_widget("quantity", self.tr("Quantity"), self.quantity_spin)
        return self._finish_form(
            form,
            "equipmentServices",
            self.tr("Services"),
            self.tr("Which equipment a service needs is set on each service, in Services."),
        )

    def kinds_work(self) -> Callable[[], list[str]]:
        return self.desk.services.rooms.equipment_kinds

    def kinds_doing(self) -> str:
        return self.tr("reading the kinds of equipment")

    def shown_uses(self, record: object) -> tuple[int, Sequence[ServiceUse], str, bool] | None:
        if not isinstance(record, EquipmentDetail):
            return None
        none = self.tr("No active service needs this equipment yet.")
        return record.equipment.id, record.services, none, False

    def load_work(self, record_id: int) -> Callable[[], object]:
        rooms, user = self.desk.services.rooms, self.desk.user
        return lambda: rooms.equipment_item(record_id, user)

    def show_record(self, record: object | None) -> None:
        if record is None:
            self.name_edit.clear()
            self.kind_edit.clear()
            self.quantity_spin.setValue(1)
            _show_uses(self.uses_list, self.no_uses, (), self.tr("Save the equipment first."))
            return
        assert isinstance(record, EquipmentDetail)
        item = record.equipment
        self.name_edit.setText(item.name)
        self.kind_edit.setText(item.kind)
        self.quantity_spin.setValue(item.quantity)
        self._show_uses(record)

    def save_work(self) -> Callable[[], int]:
        draft = EquipmentDraft(
            self.name_edit.text(), self.kind_edit.text(), self.quantity_spin.value()
        )
        rooms, user, resource_id = self.desk.services.rooms, self.desk.user, self.current_id
        return lambda: rooms.save_equipment(draft, user, resource_id)

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        rooms, user = self.desk.services.rooms, self.desk.user
        return lambda: rooms.set_equipment_active(record_id, not archived, user)


def _show_uses(
    uses_list: QListWidget,
    empty: QLabel,
    uses: Sequence[ServiceUse],
    none: str,
    *,
    places: bool = False,
) -> None:
    """The services that can use a room or equipment, or why there are none."""
    uses_list.clear()
    for use in uses:
        n = use.quantity
        if n > 1:
            text = (
                plural_s(
                    QCoreApplication.translate("RoomsPage", "{name} (takes %n place(s))", "", n),
                    n,
                )
                if places
                else QCoreApplication.translate("RoomsPage", "{name} (needs %n)", "", n)
            ).format(name=use.name)
        else:
            text = use.name
        uses_list.addItem(text)
    uses_list.setVisible(bool(uses))
    empty.setText(none)
    empty.setVisible(not uses)


class RoomsPage(QWidget):
    """Two tabs: rooms and equipment."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.tabs = QTabWidget()
        self.tabs.setObjectName("roomTabs")
        self.rooms_tab = RoomsTab(desk)
        self.equipment_tab = EquipmentTab(desk)
        self.tabs.addTab(self.rooms_tab, self.tr("Rooms"))
        self.tabs.addTab(self.equipment_tab, self.tr("Equipment"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
