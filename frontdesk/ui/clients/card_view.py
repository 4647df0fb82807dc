"""One client's card: allergies first and loud, then contact, preferences and history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.calendar.grid import status_label


class ClientCardView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name_label = QLabel()
        self.name_label.setObjectName("clientName")
        self.name_label.setStyleSheet(style.TITLE)
        self.allergy_label = QLabel()
        self.allergy_label.setObjectName("allergyBanner")
        self.allergy_label.setWordWrap(True)
        self.details = QFormLayout()
        self._values: dict[str, QLabel] = {}
        for key, label in (
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("birthday", "Birthday"),
            ("card", "Loyalty card"),
            ("consent", "Marketing"),
            ("since", "Client since"),
            ("visits", "Paid visits"),
            ("spent", "Spent in total"),
        ):
            value = QLabel()
            value.setObjectName(f"client_{key}")
            self._values[key] = value
            self.details.addRow(label, value)
        details_box = QGroupBox("Contact and loyalty")
        details_box.setLayout(self.details)
        self.preferences = QListWidget()
        self.preferences.setObjectName("preferences")
        self.preferences.setMaximumHeight(110)
        prefs_box = QGroupBox("Preferences")
        QVBoxLayout(prefs_box).addWidget(self.preferences)
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("visitHistory")
        self.history.setHorizontalHeaderLabels(["When", "Service", "Therapist", "Status", "Price"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        history_box = QGroupBox("Visit history")
        QVBoxLayout(history_box).addWidget(self.history)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.allergy_label)
        layout.addWidget(details_box)
        layout.addWidget(prefs_box)
        layout.addWidget(history_box, 1)

    def show_card(self, card: ClientCard) -> None:
        self.name_label.setText(card.name)
        if card.health_hidden:
            self.allergy_label.setText("Health information is not shown to your role.")
            self.allergy_label.setStyleSheet(style.NOTICE.replace("padding: 24px", "padding: 4px"))
        elif card.allergies:
            text = "; ".join(
                f"{a.substance} ({a.severity})" + (f": {a.notes}" if a.notes else "")
                for a in card.allergies
            )
            self.allergy_label.setText(f"⚠ Allergies: {text}")
            self.allergy_label.setStyleSheet(style.ALLERGY_BANNER)
        else:
            self.allergy_label.setText("No known allergies.")
            self.allergy_label.setStyleSheet("")
        form = card.form
        values = {
            "phone": form.phone or "—",
            "email": form.email or "—",
            "birthday": card.birthday or "—",
            "card": form.card_number or "No card",
            "consent": "Agreed" if form.marketing_consent else "Not agreed",
            "since": card.member_since,
            "visits": str(card.visit_count),
            "spent": card.total_spent,
        }
        for key, value in values.items():
            self._values[key].setText(value)
        self.preferences.clear()
        if card.preferences:
            self.preferences.addItems([f"{p.topic}: {p.value}" for p in card.preferences])
        else:
            self.preferences.addItem("No preferences recorded yet.")
        self.history.setRowCount(len(card.visits))
        for row, visit in enumerate(card.visits):
            status = status_label(visit.status)
            for column, text in enumerate(
                (visit.when, visit.service, visit.therapist, status, visit.price)
            ):
                self.history.setItem(row, column, QTableWidgetItem(text))
