"""The small dialog in which an owner or manager sets someone's PIN: typed twice."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.widgets.field_form import FieldForm


class PinDialog(QDialog):
    """New PIN and its repeat; saved through the staff service, refusals beside the fields."""

    def __init__(self, desk: Desk, staff_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.desk = desk
        self.staff_id = staff_id
        self.setWindowTitle(self.tr("PIN for {name}").format(name=name))
        intro = QLabel(
            self.tr(
                "Let {name} type a new PIN of 4 to 8 digits, twice. They sign in with it."
            ).format(name=name)
        )
        intro.setWordWrap(True)
        self.fields = FieldForm()
        self.pin_edit = self.fields.add_field("pin", self.tr("New PIN"), secret=True)
        self.again_edit = self.fields.add_field("pin_again", self.tr("Repeat the PIN"), secret=True)
        self.problem = QLabel()
        self.problem.setObjectName("pinProblem")
        self.problem.setStyleSheet(style.ERROR_TEXT)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Set PIN"))
        self.ok_button.setObjectName("setPin")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.fields)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.pin_edit.setFocus()

    def submit(self) -> None:
        self.fields.clear_errors()
        self.problem.hide()
        pin, again = self.pin_edit.text(), self.again_edit.text()
        staff_id, user = self.staff_id, self.desk.user
        service = self.desk.services.staff_admin
        self.ok_button.setEnabled(False)
        self.desk.runner.run(
            lambda: service.set_pin(staff_id, pin, again, user),
            doing=self.tr("setting a PIN"),
            on_done=lambda _none: self.accept(),
            on_known_error=self._refused,
            on_finished=lambda: self.ok_button.setEnabled(True),
            parent=self,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, FormErrors):
            rest = self.fields.show_errors(field_texts(error, self.desk.formats()))
            self._say(" ".join(rest))
            return True
        if isinstance(error, DomainError):
            self._say(error_text(error, self.desk.formats()))
            return True
        return False

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
