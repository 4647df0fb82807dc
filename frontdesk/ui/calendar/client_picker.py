"""Who the booking is for: one client or a group, found by typing (name, phone, card number),
by scanning a card, or added as a walk-in (first name and phone).

A walk-in is saved with ClientService.save when "Add" is pressed, in its own unit of work,
before anything is booked: from then on they are a client like any other, so the preview plans
their legs too (a couple where one is new still needs the couples room). A bad name or phone is
shown beside its field and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import ClientForm
from frontdesk.domain.errors import FormErrors, ValidationError
from frontdesk.domain.roles import Permission
from frontdesk.services.clients import ClientSummary
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.scan_target import mark_takes_scans
from frontdesk.ui.widgets.search_pick import SearchPick

SEARCH_LIMIT = 20
ID_ROLE = Qt.ItemDataRole.UserRole


class ClientPicker(QWidget):
    """The chosen clients (`client_ids()`); `changed` when they change, `taken` when Enter or a
    scan took a match (the booking dialog then moves on to the services)."""

    changed = Signal()
    taken = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._asked = 0

        self.search = QLineEdit()
        self.search.setObjectName("clientSearch")
        self.search.setPlaceholderText(self.tr("Type a name, phone or card number"))
        self.search.setToolTip(
            self.tr("Type to search, Enter takes the highlighted client; a scanned card too")
        )
        mark_takes_scans(self.search)
        self.matches = QListWidget()
        self.matches.setObjectName("clientMatches")
        self.matches.setMaximumHeight(90)
        self.matches.hide()
        self.nobody = QLabel()
        self.nobody.setObjectName("noClientFound")
        self.nobody.setWordWrap(True)
        self.nobody.hide()
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosenClients")
        self.chosen.setMaximumHeight(52)
        self.chosen.setFlow(QListWidget.Flow.LeftToRight)
        self.chosen.setWrapping(True)
        self.chosen.setSpacing(2)
        self.chosen.setToolTip(self.tr("Who is booked; Delete takes the highlighted one off"))
        self.chosen.hide()
        self.walk_in_button = QPushButton(self.tr("New walk-in…"))
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setToolTip(self.tr("A new client: first name and phone (Ctrl+N)"))
        self.walk_in_button.setShortcut(self.tr("Ctrl+N"))
        self.walk_in_button.setAutoDefault(False)
        self.walk_in_button.setVisible(desk.user.can(Permission.EDIT_CLIENTS))

        self.walk_in = QWidget()
        self.walk_in.setObjectName("walkInBox")
        self.walk_in_fields = FieldForm()
        self.first_name = self.walk_in_fields.add_field("first_name", self.tr("First name"))
        self.phone = self.walk_in_fields.add_field("phone", self.tr("Phone"))
        self.add_walk_in_button = QPushButton(self.tr("Add"))
        self.add_walk_in_button.setToolTip(self.tr("Save the walk-in as a client (Enter)"))
        self.add_walk_in_button.setAutoDefault(False)
        self.walk_in_error = QLabel()
        self.walk_in_error.setStyleSheet(style.ERROR_TEXT)
        self.walk_in_error.setWordWrap(True)
        self.walk_in_error.hide()
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_walk_in_button)
        add_row.addStretch(1)
        self.walk_in_fields.addRow("", add_row)
        self.walk_in_fields.addRow("", self.walk_in_error)
        self.walk_in_fields.setContentsMargins(0, 0, 0, 0)
        self.walk_in.setLayout(self.walk_in_fields)
        self.walk_in.hide()

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.walk_in_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addWidget(self.matches)
        layout.addWidget(self.nobody)
        layout.addWidget(self.chosen)
        layout.addWidget(self.walk_in)

        self.search.textChanged.connect(self._search)
        self.pick = SearchPick(self.search, self.matches, self.take_match)
        self.matches.itemActivated.connect(lambda _item: self.take_match())
        self.walk_in_button.clicked.connect(self.show_walk_in)
        self.add_walk_in_button.clicked.connect(self.add_walk_in)

    # -- the chosen clients ------------------------------------------------------------------

    def client_ids(self) -> tuple[int, ...]:
        return tuple(int(self.chosen.item(i).data(ID_ROLE)) for i in range(self.chosen.count()))

    def names(self) -> dict[int, str]:
        return {
            int(self.chosen.item(i).data(ID_ROLE)): self.chosen.item(i).text()
            for i in range(self.chosen.count())
        }

    def add_client(self, client_id: int, name: str) -> None:
        """Add a client to the booking (once)."""
        if client_id not in self.client_ids():
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, client_id)
            self.chosen.addItem(item)
            self.chosen.setCurrentItem(item)
        self.chosen.show()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row < 0:
            return
        self.chosen.takeItem(row)
        self.chosen.setVisible(self.chosen.count() > 0)
        self.changed.emit()

    # -- finding a client ---------------------------------------------------------------------

    def _search(self, text: str) -> None:
        self._asked += 1
        self.pick.searching()
        asked, clients = self._asked, self._desk.services.clients
        if not text.strip():
            self._show_matches([], asked)
            return
        self._desk.runner.run(
            lambda: clients.search(text, SEARCH_LIMIT),
            doing=self.tr("searching clients"),
            on_done=lambda found: self._show_matches(found, asked),
            parent=self,
        )

    def _show_matches(self, found: list[ClientSummary], asked: int) -> None:
        if asked != self._asked:
            return  # an older search answered late
        self.matches.clear()
        for client in found:
            extra = " · ".join(part for part in (client.phone, client.card_number) if part)
            item = QListWidgetItem(f"{client.name} · {extra}" if extra else client.name)
            item.setData(ID_ROLE, client.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, client.name)
            if client.has_allergies:
                item.setToolTip(self.tr("Has an allergy on file"))
            self.matches.addItem(item)
        self.matches.setVisible(bool(found))
        searched = bool(self.search.text().strip())
        if searched and not found:
            self.nobody.setText(
                self.tr("No client found: add a walk-in (Ctrl+N).")
                if self.walk_in_button.isVisible()
                else self.tr("No client found.")
            )
        self.nobody.setVisible(searched and not found)
        if found:
            self.matches.setCurrentRow(0)
            self.pick.answered()

    def take_match(self) -> bool:
        """Add the highlighted match to the booking and clear the search for the next one."""
        item = self.matches.currentItem()
        if item is None:
            return False
        self.add_client(int(item.data(ID_ROLE)), str(item.data(Qt.ItemDataRole.UserRole + 1)))
        self.pick.taken()
        self.search.clear()
        self.taken.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the search or the walk-in fields is handled here, not as "Book"; Delete in
        the chosen list takes a client off; Down moves from the search into the matches."""
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        focus = self.focusWidget()
        if enter and focus in (self.search, self.matches):
            return  # editingFinished / itemActivated did the work
        if enter and focus in (self.first_name, self.phone, self.add_walk_in_button):
            self.add_walk_in()
            return
        if key == Qt.Key.Key_Delete and focus is self.chosen:
            self.remove_current()
            return
        if key == Qt.Key.Key_Down and focus is self.search and self.matches.count():
            self.matches.setFocus()
            return
        super().keyPressEvent(event)

    # -- a walk-in ----------------------------------------------------------------------------

    def show_walk_in(self) -> None:
        self.walk_in.show()
        self.first_name.setText(self.search.text().strip() if not self.matches.count() else "")
        self.first_name.setFocus()

    def add_walk_in(self) -> None:
        """Save the walk-in (its own unit of work) and add them to the booking."""
        user, clients = self._desk.user, self._desk.services.clients
        form = ClientForm(first_name=self.first_name.text(), last_name="", phone=self.phone.text())
        self.walk_in_fields.clear_errors()
        self.walk_in_error.hide()
        self.add_walk_in_button.setEnabled(False)
        self._desk.runner.run(
            lambda: clients.save(form, user),
            doing=self.tr("saving the walk-in"),
            on_done=lambda client_id: self._walk_in_saved(client_id, form),
            on_known_error=self._walk_in_refused,
            on_finished=lambda: self.add_walk_in_button.setEnabled(True),
            parent=self,
        )

    def _walk_in_saved(self, client_id: int, form: ClientForm) -> None:
        self.first_name.clear()
        self.phone.clear()
        self.walk_in.hide()
        self.add_client(client_id, " ".join(form.first_name.split()))
        self.search.clear()
        self.search.setFocus()

    def _walk_in_refused(self, error: BaseException) -> bool:
        formats = self._desk.formats()
        if isinstance(error, FormErrors):
            texts = field_texts(error, formats)
        elif isinstance(error, ValidationError):
            texts = {error.field: error_text(error, formats)}
        else:
            texts = {"": known_message(error, formats) or ""}
        unplaced = self.walk_in_fields.show_errors(texts)
        if unplaced:
            self.walk_in_error.setText(" ".join(unplaced))
            self.walk_in_error.show()
        return True
