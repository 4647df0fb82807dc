"""Sign-in: staff pick their name and type a PIN.

The PIN check (argon2, a tenth of a second by design, and at start-up also the wait for the
rest of the program) runs through an executor, off the GUI thread in the program: the dialog
says it is checking and stays responsive meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.ui import style
from frontdesk.ui.signin.painted import FirstPaintDialog
from frontdesk.ui.workers import Executor, ImmediateExecutor

if TYPE_CHECKING:  # types only: the first window shows before the services are loaded
    from collections.abc import Sequence
    from typing import Protocol

    from frontdesk.domain.roles import Role
    from frontdesk.services.auth import SignedIn

    class StaffChoice(Protocol):
        @property
        def id(self) -> int: ...
        @property
        def name(self) -> str: ...
        @property
        def role(self) -> Role: ...

    class SignInSource(Protocol):
        """AuthService, or a stand-in that waits for the start to finish before checking."""

        def staff_for_sign_in(self) -> Sequence[StaffChoice]: ...
        def sign_in(self, staff_id: int, pin: str) -> SignedIn: ...


CHECKING = "Checking your PIN…"
#: STAFF_ID_ROLE. Touching PySide6's `Qt` namespace builds all of its enums (a
#: sixth of a second here), which the first window can do without.
STAFF_ID_ROLE = 256


class SignInDialog(FirstPaintDialog):
    """Modal sign-in; `signed_in` holds who signed in once accepted.

    `executor` runs the PIN check; the program passes a thread pool. The default runs it at
    once, on the calling thread (scripts and tests that need no threads).
    """

    def __init__(
        self,
        auth: SignInSource,
        shop_name: str,
        parent: QWidget | None = None,
        *,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._executor: Executor = executor or ImmediateExecutor()
        self._checking = False
        self._closed = False
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(f"Sign in — {shop_name}")
        self.setMinimumSize(380, 460)

        title = QLabel("Who is at the desk?")
        title.setStyleSheet(style.TITLE)
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        for choice in auth.staff_for_sign_in():
            item = QListWidgetItem(f"{choice.name}  ·  {choice.role.label}")
            item.setData(STAFF_ID_ROLE, choice.id)
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
        self.status_label = QLabel()
        self.status_label.setObjectName("signInStatus")
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
        layout.addWidget(self.status_label)
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

    @property
    def checking(self) -> bool:
        """True while a PIN is being checked."""
        return self._checking

    def select_staff(self, staff_id: int) -> None:
        for row in range(self.staff_list.count()):
            if self.staff_list.item(row).data(STAFF_ID_ROLE) == staff_id:
                self.staff_list.setCurrentRow(row)
                return

    def done(self, result: int) -> None:
        self._closed = True  # a check still running finds nobody to tell
        super().done(result)

    def _try_sign_in(self) -> None:
        if self._checking:
            return
        item = self.staff_list.currentItem()
        if item is None:
            self.error_label.setText("Pick your name first.")
            return
        from frontdesk.domain.pins import validate_pin

        pin = self.pin_edit.text()
        try:
            validate_pin(pin)
        except ValidationError as exc:
            self._refused(exc.message)
            return
        staff_id = int(item.data(STAFF_ID_ROLE))
        self._set_checking(True)
        self._executor.submit(
            lambda: self._auth.sign_in(staff_id, pin), self._on_signed_in, self._on_failed
        )

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.error_label.clear()
        self.status_label.setText(CHECKING if checking else "")
        for widget in (self.staff_list, self.pin_edit, self.sign_in_button):
            widget.setEnabled(not checking)

    def _on_signed_in(self, who: SignedIn) -> None:
        if self._closed:
            return
        self._set_checking(False)
        self.signed_in = who
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_checking(False)
        if isinstance(error, DomainError | DatabaseProblem):
            self._refused(error.message)
        else:
            self.pin_edit.setFocus()
            from frontdesk.ui.errors import show_error  # a bug: rare, and not on the way in

            show_error(self, error, "checking the PIN")

    def _refused(self, message: str) -> None:
        self.error_label.setText(message)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
