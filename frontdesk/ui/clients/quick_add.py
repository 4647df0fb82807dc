"""Quick add: a new client from a name and a phone (more optional). On save, clients who may be
the same person (same phone or e-mail, a similar name) are offered first: open one of them
instead, or save the new client anyway."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import ClientForm
from frontdesk.domain.errors import FormErrors
from frontdesk.services.clients import ClientSummary
from frontdesk.ui import style
from frontdesk.ui.clients.summary_text import summary_line
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.field_form import FieldForm

FIELDS = ("first_name", "last_name", "phone", "email")


class QuickAddDialog(QDialog):
    """`result_id`: the client saved, or the existing one chosen instead (`opened_existing`)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.result_id: int | None = None
        self.opened_existing = False
        self.duplicates: tuple[ClientSummary, ...] = ()
        self.setWindowTitle(self.tr("New client"))
        self.setMinimumWidth(460)
        labels = {
            "first_name": self.tr("First name *"),
            "last_name": self.tr("Last name"),
            "phone": self.tr("Phone"),
            "email": self.tr("E-mail (optional)"),
        }
        self._fields = FieldForm()
        for name in FIELDS:
            self._fields.add_field(name, labels[name], "")
        self.edits = self._fields.edits
        self.general_error = QLabel()
        self.general_error.setStyleSheet(style.ERROR_TEXT)
        self.general_error.setWordWrap(True)
        self.general_error.hide()  # shown only with something to say: no blank gap

        self.same_label = QLabel(
            self.tr("This may be a client you already have. Open one of them instead?")
        )
        self.same_label.setObjectName("duplicatesHint")
        self.same_label.setWordWrap(True)
        self.same_label.setStyleSheet(style.HINT)
        self.same_list = QListWidget()
        self.same_list.setObjectName("duplicates")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openExisting")
        self.open_button.setToolTip(self.tr("Open the highlighted client instead (Enter)"))
        self.new_button = QPushButton(self.tr("Save as &new"))
        self.new_button.setObjectName("saveAsNew")
        self.new_button.setToolTip(self.tr("Save a new client all the same (Alt+N)"))
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save the new client (Enter)"))
        cancel = QPushButton(self.tr("Cancel"))
        cancel.setToolTip(self.tr("Close without saving (Esc)"))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self._fields)
        layout.addWidget(self.general_error)
        layout.addWidget(self.same_label)
        layout.addWidget(self.same_list)
        layout.addLayout(buttons)
        self._show_duplicates(())

        self.save_button.clicked.connect(self.submit)
        self.new_button.clicked.connect(self.save_new)
        self.open_button.clicked.connect(self.open_existing)
        self.same_list.currentRowChanged.connect(self._name_open_button)
        self.same_list.itemActivated.connect(lambda _item: self.open_existing())
        cancel.clicked.connect(self.reject)

    def form(self) -> ClientForm:
        text = {name: self.edits[name].text() for name in FIELDS}
        return ClientForm(
            first_name=text["first_name"],
            last_name=text["last_name"],
            phone=text["phone"],
            email=text["email"],
        )

    def submit(self) -> None:
        """Look for likely duplicates first; save at once when there are none."""
        self._fields.clear_errors()
        self._say("")
        form, services, user = self.form(), self.desk.services, self.desk.user
        self.save_button.setEnabled(False)

        def found(duplicates: tuple[ClientSummary, ...]) -> None:
            if duplicates:
                self._show_duplicates(duplicates)
            else:
                self.save_new()

        self.desk.runner.run(
            lambda: services.client_merge.likely_duplicates(form, user),
            doing=self.tr("looking for the same client"),
            on_done=found,
            on_known_error=self._refused,
            on_finished=lambda: self.save_button.setEnabled(True),
            parent=self,
        )

    def save_new(self) -> None:
        form, services, user = self.form(), self.desk.services, self.desk.user
        self.new_button.setEnabled(False)

        def saved(customer_id: int) -> None:
            self.result_id = customer_id
            self.accept()

        self.desk.runner.run(
            lambda: services.clients.save(form, user),
            doing=self.tr("saving the client"),
            on_done=saved,
            on_known_error=self._refused,
            on_finished=lambda: self.new_button.setEnabled(True),
            parent=self,
        )

    def open_existing(self) -> None:
        row = self.same_list.currentRow()
        if not 0 <= row < len(self.duplicates):
            return
        self.result_id = self.duplicates[row].id
        self.opened_existing = True
        self.accept()

    def _show_duplicates(self, duplicates: tuple[ClientSummary, ...]) -> None:
        self.duplicates = duplicates
        self.same_list.clear()
        formats = self.desk.formats()
        for client in duplicates:
            item = QListWidgetItem(summary_line(client, formats))
            item.setData(Qt.ItemDataRole.UserRole, client.id)
            self.same_list.addItem(item)
        shown = bool(duplicates)
        for widget in (self.same_label, self.same_list, self.open_button, self.new_button):
            widget.setVisible(shown)
        self.save_button.setVisible(not shown)
        if shown:
            self.same_list.setCurrentRow(0)
            self.open_button.setDefault(True)
            self.same_list.setFocus()

    def _name_open_button(self, row: int) -> None:
        if 0 <= row < len(self.duplicates):
            self.open_button.setText(
                self.tr("Open {name} instead").format(name=self.duplicates[row].name)
            )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, FormErrors):
            self._show_duplicates(())
            self._say(" ".join(self._fields.show_errors(field_texts(error))))
        else:
            self._say(known_message(error) or "")
        return True

    def _say(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(bool(text))
