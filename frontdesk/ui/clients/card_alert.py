"""The red alert band at the top of a card: allergies and contraindications in large words,
impossible to miss, with "Acknowledge" for this visit."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.domain.formats import Formats
from frontdesk.services.client_health import HealthEntry
from frontdesk.ui.clients.card_health import entry_what
from frontdesk.ui.clients.card_words import word
from frontdesk.ui.labels import health_kind_label

BAND = (
    "QWidget#alertBand { background: #fde2e1; border: 3px solid #b3261e; border-radius: 6px; }"
    " QLabel { color: #8a1c13; background: transparent; }"
)
HEADLINE = "font-size: 17px; font-weight: 700;"
ENTRIES = "font-size: 15px; font-weight: 600;"


class AlertBand(QWidget):
    """Shown only when the client has an allergy or contraindication and the role may see it.
    Words carry the meaning (a heading that says what it is); the colour draws the eye."""

    acknowledge_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("alertBand")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # paint the red background
        self.setStyleSheet(BAND)
        self.headline = QLabel()
        self.headline.setObjectName("alertHeadline")
        self.headline.setStyleSheet(HEADLINE)
        self.headline.setWordWrap(True)
        self.entries_label = QLabel()
        self.entries_label.setObjectName("allergyBanner")
        self.entries_label.setStyleSheet(ENTRIES)
        self.entries_label.setWordWrap(True)
        self.acknowledged = QLabel()
        self.acknowledged.setObjectName("alertAcknowledged")
        self.acknowledged.setWordWrap(True)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge (Ctrl+K)"))
        self.acknowledge_button.setObjectName("acknowledgeAlert")
        self.acknowledge_button.setToolTip(
            self.tr("I have read the allergies and contraindications for this visit (Ctrl+K)")
        )
        self.acknowledge_button.clicked.connect(self.acknowledge_requested)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.entries_label)
        text.addWidget(self.acknowledged)
        layout = QHBoxLayout(self)
        layout.addLayout(text, 1)
        layout.addWidget(self.acknowledge_button)

    def show_alerts(
        self,
        entries: tuple[HealthEntry, ...],
        acknowledged_at: datetime | None,
        acknowledged_by: str,
        formats: Formats,
    ) -> None:
        allergies = [e for e in entries if e.kind == "allergy"]
        others = [e for e in entries if e.kind != "allergy"]
        if allergies and others:
            headline = self.tr("⚠ ALLERGIES AND CONTRAINDICATIONS")
        elif allergies:
            headline = self.tr("⚠ ALLERGIES")
        else:
            headline = self.tr("⚠ CONTRAINDICATIONS")
        self.headline.setText(headline)
        self.entries_label.setText(self.entry_lines(entries))
        if acknowledged_at is not None:
            self.acknowledged.setText(
                self.tr("Acknowledged at {time} by {name}.").format(
                    time=formats.time(acknowledged_at), name=acknowledged_by or "—"
                )
            )
            self.acknowledged.show()
            self.acknowledge_button.hide()
        else:
            self.acknowledged.hide()
            self.acknowledge_button.show()

    def show_locked(self, headline: str, text: str) -> None:
        """Health data that cannot be opened here: loud, never read as "no allergies"."""
        self.headline.setText(headline)
        self.entries_label.setText(text)
        self.acknowledged.hide()
        self.acknowledge_button.hide()

    def entry_lines(self, entries: tuple[HealthEntry, ...]) -> str:
        lines = []
        for e in entries:
            line = self.tr("{substance} — {severity}").format(
                substance=entry_what(e), severity=word(e.severity)
            )
            if e.kind != "allergy":
                line = self.tr("{kind}: {entry}").format(kind=health_kind_label(e.kind), entry=line)
            if e.notes:
                line = self.tr("{entry}: {notes}").format(entry=line, notes=e.notes)
            lines.append(line)
        return "\n".join(lines)
