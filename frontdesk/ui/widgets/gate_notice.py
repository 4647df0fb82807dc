"""The plain amber notice that the safety gate could not read a client's allergies (the health
data key is missing on this computer). The booking and repeat dialogs and checkout show it; it
stops nothing."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.ui import style


def unchecked_notice(parent: QWidget | None = None) -> QLabel:
    """The notice, hidden until shown."""
    notice = QLabel(
        QCoreApplication.translate(
            "GateNotice",
            "Allergies could not be checked: the health data key is missing on this computer "
            "(Back office, Health data key).",
        ),
        parent,
    )
    notice.setObjectName("gateUnchecked")
    notice.setStyleSheet(style.WARNING_BANNER)
    notice.setWordWrap(True)
    notice.hide()
    return notice
