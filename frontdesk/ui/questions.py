"""Yes/no questions to the person at the desk, injectable so tests can answer them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

#: Asks a yes/no question: (parent, title, question) -> True for yes.
Asker = Callable[[QWidget | None, str, str], bool]


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    """A modal question with No as the default answer."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
