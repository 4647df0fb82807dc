"""Two kinds of error: known ones in plain words, anything else logged and shown honestly."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError

log = logging.getLogger(__name__)


def known_message(error: BaseException) -> str | None:
    """The plain-words message of a known error, or None for a bug."""
    if isinstance(error, DomainError | DatabaseProblem):
        return error.message
    return None


def show_error(parent: QWidget | None, error: BaseException, doing: str) -> None:
    """Tell the user what went wrong while `doing` something."""
    message = known_message(error)
    if message is not None:
        QMessageBox.warning(parent, "FrontDesk", message)
        return
    log.error("Unexpected error while %s", doing, exc_info=error)
    QMessageBox.critical(
        parent,
        "FrontDesk: unexpected error",
        f"Something went wrong while {doing}. Nothing was half-saved; the details are in the "
        f"log.\n\n{type(error).__name__}: {error}",
    )
