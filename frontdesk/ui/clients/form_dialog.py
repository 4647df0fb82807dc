"""Create or edit a client; every bad field gets its message beside it and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clients import ClientForm
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.ui import style

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
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form_layout = QFormLayout()
        for name, label in FIELDS:
            edit = QLineEdit(getattr(initial, name) if initial else "")
            edit.setObjectName(name)
            error = QLabel()
            error.setObjectName(f"{name}_error")
            error.setStyleSheet(style.ERROR_TEXT)
            error.setWordWrap(True)
            error.hide()
            self.edits[name] = edit
            self.errors[name] = error
            form_layout.addRow(label, edit)
            form_layout.addRow("", error)
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
        for label in self.errors.values():
            label.hide()
        self.general_error.clear()
        try:
            self.saved_id = self._save(self.form())
        except FormErrors as exc:
            for name, message in exc.errors.items():
                if name in self.errors:
                    self.errors[name].setText(message)
                    self.errors[name].show()
                else:
                    self.general_error.setText(message)
            first_bad = next((n for n, _ in FIELDS if n in exc.errors), None)
            if first_bad:
                self.edits[first_bad].setFocus()
            return
        except DomainError as exc:
            self.general_error.setText(exc.message)
            return
        self.accept()
