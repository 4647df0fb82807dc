"""Two kinds of error: known ones in plain words, anything else logged and shown honestly.

An unknown error's message may carry anything, client data and SQL parameters included: the
dialog shows only its type and a short reference, and the log gets the same reference with the
types and stack frames of the whole exception chain, never a message.
"""

from __future__ import annotations

import logging
import traceback
import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError
from frontdesk.domain.formats import Formats
from frontdesk.ui.error_text import error_text

log = logging.getLogger(__name__)


def known_message(error: BaseException, formats: Formats | None = None) -> str | None:
    """The plain-words message of a known error in the window's language, or None for a bug."""
    if isinstance(error, DomainError | DatabaseProblem):
        return error_text(error, formats)
    return None


def describe_without_messages(error: BaseException) -> str:
    """A traceback of `error` and the errors that caused it: types and frames, no messages."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, "The above was the direct cause of:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "The above happened while handling:"
        else:
            current = None
    parts: list[str] = []
    for exc, following in reversed(chain):
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        kind = type(exc)
        parts.append(
            f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"
        )
        if following:
            parts.append(following)
    return "\n\n".join(parts)


def show_error(parent: QWidget | None, error: BaseException, doing: str) -> None:
    """Tell the user what went wrong while `doing` something."""
    message = known_message(error)
    if message is not None:
        QMessageBox.warning(parent, QCoreApplication.translate("errors", "FrontDesk"), message)
        return
    reference = uuid.uuid4().hex[:8]
    log.error(
        "Unexpected %s while %s (reference %s)\n%s",
        type(error).__name__,
        doing,
        reference,
        describe_without_messages(error),
    )
    QMessageBox.critical(
        parent,
        QCoreApplication.translate("errors", "FrontDesk: unexpected error"),
        QCoreApplication.translate(
            "errors",
            "Something went wrong while {doing}. Nothing was half-saved; the log has the "
            "details under reference {reference}.",
        ).format(doing=doing, reference=reference)
        + f"\n\n({type(error).__name__}, {reference})",
    )
