"""Create or edit a client; every bad field gets its message beside it and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import ClientForm
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.ui import style
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.widgets.field_form import FieldForm

FIELDS = (
    ("first_name", "First name *"),
    ("last_name", "Last name"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("birthday", "Birthday (YYYY-MM-DD)"),
    ("card_number", "Loyalty card"),
)


class ClientFormDialog(QDialog):
    """`save(form)` returns the client id or raises FormErrors/DomainError."""

    def __init__(
        self,
        save: Callable[[ClientForm], int],
        initial: ClientForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.saved_id: int | None = None
        self.setWindowTitle("Edit client" if initial else "New client")
        self.setMinimumWidth(420)
        form_layout = FieldForm()
        for name, label in FIELDS:
            form_layout.add_field(name, label, getattr(initial, name) if initial else "")
        self.edits = form_layout.edits
        self.errors = form_layout.errors
        self._fields = form_layout
        self.consent = QCheckBox("Agrees to marketing messages")
        self.consent.setChecked(bool(initial and initial.marketing_consent))
        form_layout.addRow("", self.consent)
        self.general_error = QLabel()
        self.general_error.setStyleSheet(style.ERROR_TEXT)
        self.general_error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form_layout)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

    def form(self) -> ClientForm:
        values = {name: edit.text() for name, edit in self.edits.items()}
        return ClientForm(marketing_consent=self.consent.isChecked(), **values)

    def submit(self) -> None:
        self._fields.clear_errors()
        self.general_error.clear()
        try:
            self.saved_id = self._save(self.form())
        except FormErrors as exc:
            self.general_error.setText(" ".join(self._fields.show_errors(field_texts(exc))))
            return
        except DomainError as exc:
            self.general_error.setText(exc.message)
            return
        self.accept()
