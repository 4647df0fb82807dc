"""First run: a new shop has nobody to sign in, so its owner is created here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.ui import style
from frontdesk.ui.errors import field_texts
from frontdesk.ui.widgets.field_form import FieldForm


class FirstOwnerDialog(QDialog):
    """Name and PIN (twice) of the shop's owner; `signed_in` once accepted."""

    def __init__(self, auth: AuthService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self.signed_in: SignedIn | None = None
        self.setWindowTitle("Welcome to FrontDesk")
        self.setMinimumWidth(420)
        intro = QLabel(
            "This database has no staff yet. Create the owner's account to start. "
            "(To try FrontDesk with sample data instead, quit and run `frontdesk demo`.)"
        )
        intro.setWordWrap(True)
        form = FieldForm()
        form.add_field("name", "Owner's name")
        form.add_field("pin", "PIN (4-8 digits)", secret=True)
        form.add_field("pin_again", "PIN again", secret=True)
        self.edits = form.edits
        self.errors = form.errors
        self._fields = form
        self.general_error = QLabel()
        self.general_error.setStyleSheet(style.ERROR_TEXT)
        self.general_error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create owner and sign in")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

    def submit(self) -> None:
        self._fields.clear_errors()
        self.general_error.clear()
        try:
            self.signed_in = self._auth.create_first_owner(
                self.edits["name"].text(), self.edits["pin"].text(), self.edits["pin_again"].text()
            )
        except FormErrors as exc:
            self.general_error.setText(" ".join(self._fields.show_errors(field_texts(exc))))
            return
        except DomainError as exc:
            self.general_error.setText(exc.message)
            return
        self.accept()
