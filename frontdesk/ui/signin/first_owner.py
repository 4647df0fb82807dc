"""First run: a new shop has nobody to sign in, so its owner is created here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.ui import style


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
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, label, secret in (
            ("name", "Owner's name", False),
            ("pin", "PIN (4-8 digits)", True),
            ("pin_again", "PIN again", True),
        ):
            edit = QLineEdit()
            edit.setObjectName(name)
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setMaxLength(8)
            error = QLabel()
            error.setObjectName(f"{name}_error")
            error.setStyleSheet(style.ERROR_TEXT)
            error.hide()
            self.edits[name] = edit
            self.errors[name] = error
            form.addRow(label, edit)
            form.addRow("", error)
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
        for label in self.errors.values():
            label.hide()
        self.general_error.clear()
        try:
            self.signed_in = self._auth.create_first_owner(
                self.edits["name"].text(), self.edits["pin"].text(), self.edits["pin_again"].text()
            )
        except FormErrors as exc:
            for name, message in exc.errors.items():
                self.errors[name].setText(message)
                self.errors[name].show()
            return
        except DomainError as exc:
            self.general_error.setText(exc.message)
            return
        self.accept()
