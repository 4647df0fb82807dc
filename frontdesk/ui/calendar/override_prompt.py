"""Booking past a calendar rule: the refusal in plain words and, for a person who may override
(OVERRIDE_BOOKING_RULES), a required reason that goes into the audit log with the booking.

Used by the booking dialog ("Book anyway…") and by the calendar grid for moves and resizes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, RuleBroken
from frontdesk.domain.roles import Permission
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text

#: A reason is a short sentence for the audit log, not an essay.
REASON_MAX_LENGTH = 200


def may_override(desk: Desk, error: BaseException) -> bool:
    """True when `error` is a rule this desk's person may book past with a reason."""
    return (
        isinstance(error, RuleBroken)
        and error.overridable
        and desk.user.can(Permission.OVERRIDE_BOOKING_RULES)
    )


class OverridePrompt(QDialog):
    """The refusal and a reason field; the confirm button works only with a reason."""

    def __init__(self, message: str, confirm: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Book past a rule"))
        self.setMinimumWidth(380)
        self.message = QLabel(message)
        self.message.setObjectName("overrideRefusal")
        self.message.setStyleSheet(style.ERROR_TEXT)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        question = QLabel(
            self.tr("You may go ahead anyway. Why? The reason is kept in the audit log.")
        )
        question.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("overrideReason")
        self.reason.setMaxLength(REASON_MAX_LENGTH)
        self.reason.setPlaceholderText(self.tr("For example: the client agreed to wait"))
        question.setBuddy(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.addButton(
            confirm or self.tr("Book anyway"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setToolTip(self.tr("Go ahead with this reason (Enter)"))
        self.confirm_button.setDefault(True)
        self.confirm_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(question)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(
            lambda text: self.confirm_button.setEnabled(bool(text.strip()))
        )
        self.reason.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter goes ahead only with a reason (never the dialog's first button instead)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._confirm()
            return
        super().keyPressEvent(event)

    def given_reason(self) -> str:
        return " ".join(self.reason.text().split())

    def _confirm(self) -> None:
        if self.given_reason():
            self.accept()


def ask_override(
    parent: QWidget, desk: Desk, error: DomainError, *, confirm: str = ""
) -> str | None:
    """Show the refusal `error`; when its rule may be overridden by this desk's person, ask
    why and return the reason (never empty). None when cancelled, or when the person may not
    override (they have then only been shown the refusal). `confirm` names the button
    ("Move anyway"); "Book anyway" by default."""
    message = error_text(error, desk.formats())
    if not may_override(desk, error):
        QMessageBox.warning(
            parent, QCoreApplication.translate("OverridePrompt", "Not possible"), message
        )
        return None
    prompt = OverridePrompt(message, confirm, parent)
    try:
        if prompt.exec() != QDialog.DialogCode.Accepted:
            return None
        return prompt.given_reason() or None
    finally:
        prompt.deleteLater()


def ask_safety_reason(parent: QWidget, desk: Desk, error: DomainError) -> str | None:
    """The safety gate's stop (issue 9): the match in plain words and a required reason to go
    ahead, which anyone who books may give (it is recorded with the booking)."""
    prompt = OverridePrompt(error_text(error, desk.formats()), "", parent)
    try:
        if prompt.exec() != QDialog.DialogCode.Accepted:
            return None
        return prompt.given_reason() or None
    finally:
        prompt.deleteLater()
