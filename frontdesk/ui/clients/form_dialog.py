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
from frontdesk.domain.errors import FormErrors
from frontdesk.ui import style
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.operations import OperationRunner
from frontdesk.ui.widgets.field_form import FieldForm

FIELD_NAMES = ("first_name", "last_name", "phone", "email", "birthday", "card_number")


class ClientFormDialog(QDialog):
    """`save(form)` runs through `runner` (on the database worker) and returns the client id or
    raises FormErrors/DomainError; the dialog closes only once the client is saved."""

    def __init__(
        self,
        runner: OperationRunner,
        save: Callable[[ClientForm], int],
        initial: ClientForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._save = save
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Edit client") if initial else self.tr("New client"))
        self.setMinimumWidth(420)
        labels = {
            "first_name": self.tr("First name *"),
            "last_name": self.tr("Last name"),
            "phone": self.tr("Phone"),
            "email": self.tr("E-mail"),
            "birthday": self.tr("Birthday (YYYY-MM-DD)"),
            "card_number": self.tr("Loyalty card"),
        }
        form_layout = FieldForm()
        for name in FIELD_NAMES:
            form_layout.add_field(name, labels[name], getattr(initial, name) if initial else "")
        self.edits = form_layout.edits
        self.errors = form_layout.errors
        self._fields = form_layout
        self.consent = QCheckBox(self.tr("Agrees to marketing messages"))
        self.consent.setChecked(bool(initial and initial.marketing_consent))
        form_layout.addRow("", self.consent)
        self.general_error = QLabel()
        self.general_error.setObjectName("formError")
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
        form = self.form()
        self.save_button.setEnabled(False)  # one save at a time: no second client on a double click
        self._runner.run(
            lambda: self._save(form),
            doing=self.tr("saving the client"),
            on_done=self._saved,
            on_known_error=self._refused,
            on_finished=lambda: self.save_button.setEnabled(True),
            parent=self,
        )

    def _saved(self, customer_id: int) -> None:
        self.saved_id = customer_id
        self.accept()

    def _refused(self, error: BaseException) -> bool:
        """A known error stays in the form, beside its field where it has one."""
        if isinstance(error, FormErrors):
            self.general_error.setText(" ".join(self._fields.show_errors(field_texts(error))))
        else:
            self.general_error.setText(known_message(error) or "")
        return True
