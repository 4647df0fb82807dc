"""Sign-in: staff pick their name and type a PIN."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.pins import validate_pin
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.ui import style


class SignInDialog(QDialog):
    """Modal sign-in; `signed_in` holds who signed in once accepted."""

    def __init__(self, auth: AuthService, shop_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(f"Sign in — {shop_name}")
        self.setMinimumSize(380, 460)

        title = QLabel("Who is at the desk?")
        title.setStyleSheet(style.TITLE)
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        for choice in auth.staff_for_sign_in():
            item = QListWidgetItem(f"{choice.name}  ·  {choice.role.label}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            self.staff_list.addItem(item)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(8)
        self.pin_edit.setPlaceholderText("PIN (4-8 digits)")
        self.pin_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,8}"), self.pin_edit)
        )
        self.error_label = QLabel()
        self.error_label.setObjectName("signInError")
        self.error_label.setStyleSheet(style.ERROR_TEXT)
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            "Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.staff_list, 1)
        layout.addWidget(QLabel("PIN"))
        layout.addWidget(self.pin_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self._try_sign_in)
        self.buttons.rejected.connect(self.reject)
        self.staff_list.itemDoubleClicked.connect(lambda _item: self.pin_edit.setFocus())
        self.staff_list.currentRowChanged.connect(lambda _row: self.error_label.clear())
        if self.staff_list.count() == 0:
            self.error_label.setText("Nobody can sign in: every staff account is inactive.")
            self.sign_in_button.setEnabled(False)
        else:
            self.staff_list.setCurrentRow(0)
        self.pin_edit.setFocus()

    def select_staff(self, staff_id: int) -> None:
        for row in range(self.staff_list.count()):
            if self.staff_list.item(row).data(Qt.ItemDataRole.UserRole) == staff_id:
                self.staff_list.setCurrentRow(row)
                return

    def _try_sign_in(self) -> None:
        item = self.staff_list.currentItem()
        if item is None:
            self.error_label.setText("Pick your name first.")
            return
        pin = self.pin_edit.text()
        try:
            validate_pin(pin)
            self.signed_in = self._auth.sign_in(int(item.data(Qt.ItemDataRole.UserRole)), pin)
        except (ValidationError, DomainError) as exc:
            self.error_label.setText(exc.message)
            self.pin_edit.clear()
            self.pin_edit.setFocus()
            return
        self.accept()
