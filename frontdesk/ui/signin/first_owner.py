"""First run: a new shop has nobody to sign in, so its owner is created here.

Creating the owner hashes the PIN (argon2) and, at start-up, waits for the new database to be
ready: it runs through an executor, off the GUI thread in the program.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.ui import style
from frontdesk.ui.signin.painted import FirstPaintDialog
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.workers import Executor, ImmediateExecutor

if TYPE_CHECKING:  # types only: the first window shows before the services are loaded
    from typing import Protocol

    from frontdesk.services.auth import SignedIn

    class OwnerCreator(Protocol):
        """AuthService, or a stand-in that waits for the start to finish first."""

        def create_first_owner(self, name: str, pin: str, pin_again: str) -> SignedIn: ...


CREATING = "Creating the owner's account…"


class FirstOwnerDialog(FirstPaintDialog):
    """Name and PIN (twice) of the shop's owner; `signed_in` once accepted."""

    def __init__(
        self,
        auth: OwnerCreator,
        parent: QWidget | None = None,
        *,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._executor: Executor = executor or ImmediateExecutor()
        self._working = False
        self._closed = False
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
        self.status_label = QLabel()
        self.status_label.setObjectName("firstOwnerStatus")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create owner and sign in")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

    def done(self, result: int) -> None:
        self._closed = True  # work still running finds nobody to tell
        super().done(result)

    def submit(self) -> None:
        if self._working:
            return
        self._fields.clear_errors()
        self.general_error.clear()
        name, pin = self.edits["name"].text(), self.edits["pin"].text()
        pin_again = self.edits["pin_again"].text()
        self._set_working(True)
        self._executor.submit(
            lambda: self._auth.create_first_owner(name, pin, pin_again),
            self._on_created,
            self._on_failed,
        )

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.status_label.setText(CREATING if working else "")
        self.create_button.setEnabled(not working)

    def _on_created(self, who: SignedIn) -> None:
        if self._closed:
            return
        self._set_working(False)
        self.signed_in = who
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        self._set_working(False)
        if isinstance(error, FormErrors | DomainError | DatabaseProblem):
            from frontdesk.ui.error_text import error_text, field_texts  # only when refused

            if isinstance(error, FormErrors):
                shown = self._fields.show_errors(field_texts(error))
                self.general_error.setText(" ".join(shown))
            else:
                self.general_error.setText(error_text(error))
        else:
            from frontdesk.ui.errors import show_error  # a bug: rare, and not on the way in

            show_error(self, error, "creating the owner")
