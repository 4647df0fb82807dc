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

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientCard
from frontdesk.ui import style
from frontdesk.ui.calendar.words import status_name
from frontdesk.ui.widgets.plural import plural_s


class ClientCardView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name_label = QLabel()
        self.name_label.setObjectName("clientName")
        self.name_label.setStyleSheet(style.TITLE)
        # Missed visits and late cancellations, under the name (the desk asks for a deposit).
        self.attendance_label = QLabel()
        self.attendance_label.setObjectName("clientAttendance")
        self.allergy_label = QLabel()
        self.allergy_label.setObjectName("allergyBanner")
        self.allergy_label.setWordWrap(True)
        self.details = QFormLayout()
        self._values: dict[str, QLabel] = {}
        for key, label in (
            ("phone", self.tr("Phone")),
            ("email", self.tr("E-mail")),
            ("birthday", self.tr("Birthday")),
            ("card", self.tr("Loyalty card")),
            ("consent", self.tr("Marketing")),
            ("since", self.tr("Client since")),
            ("visits", self.tr("Paid visits")),
            ("spent", self.tr("Spent in total")),
        ):
            value = QLabel()
            value.setObjectName(f"client_{key}")
            self._values[key] = value
            self.details.addRow(label, value)
        details_box = QGroupBox(self.tr("Contact and loyalty"))
        details_box.setLayout(self.details)
        self.preferences = QListWidget()
        self.preferences.setObjectName("preferences")
        self.preferences.setMaximumHeight(110)
        prefs_box = QGroupBox(self.tr("Preferences"))
        QVBoxLayout(prefs_box).addWidget(self.preferences)
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("visitHistory")
        self.history.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Service"),
                self.tr("Therapist"),
                self.tr("Status"),
                self.tr("Price"),
            ]
        )
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        history_box = QGroupBox(self.tr("Visit history"))
        QVBoxLayout(history_box).addWidget(self.history)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.attendance_label)
        layout.addWidget(self.allergy_label)
        layout.addWidget(details_box)
        layout.addWidget(prefs_box)
        layout.addWidget(history_box, 1)

    def severity_name(self, severity: str) -> str:
        names = {
            "mild": self.tr("mild"),
            "moderate": self.tr("moderate"),
            "severe": self.tr("severe"),
        }
        return names.get(severity, severity)

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        self.name_label.setText(card.name)
        self._show_attendance(card)
        if card.health_hidden:
            self.allergy_label.setText(self.tr("Health information is not shown to your role."))
            self.allergy_label.setStyleSheet(style.NOTICE.replace("padding: 24px", "padding: 4px"))
        elif card.allergies:
            allergies = [
                (
                    self.tr("{substance} ({severity}): {notes}")
                    if a.notes
                    else self.tr("{substance} ({severity})")
                ).format(
                    substance=a.substance, severity=self.severity_name(a.severity), notes=a.notes
                )
                for a in card.allergies
            ]
            self.allergy_label.setText(
                self.tr("⚠ Allergies: {allergies}").format(allergies=self.tr("; ").join(allergies))
            )
            self.allergy_label.setStyleSheet(style.ALLERGY_BANNER)
        else:
            self.allergy_label.setText(self.tr("No known allergies."))
            self.allergy_label.setStyleSheet("")
        form = card.form
        values = {
            "phone": form.phone or "—",
            "email": form.email or "—",
            "birthday": formats.short_date(card.birthday) if card.birthday else "—",
            "card": form.card_number or self.tr("No card"),
            "consent": self.tr("Agreed") if form.marketing_consent else self.tr("Not agreed"),
            "since": formats.short_date(card.member_since),
            "visits": str(card.visit_count),
            "spent": formats.money(card.total_spent),
        }
        for key, value in values.items():
            self._values[key].setText(value)
        self.preferences.clear()
        if card.preferences:
            self.preferences.addItems(
                [
                    self.tr("{topic}: {value}").format(topic=p.topic, value=p.value)
                    for p in card.preferences
                ]
            )
        else:
            self.preferences.addItem(self.tr("No preferences recorded yet."))
        self.history.setRowCount(len(card.visits))
        for row, visit in enumerate(card.visits):
            texts = (
                formats.date_time(visit.starts_at),
                visit.service,
                visit.therapist,
                status_name(visit.status, visit.paid),
                formats.money(visit.price),
            )
            for column, text in enumerate(texts):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def _show_attendance(self, card: ClientCard) -> None:
        no_shows = plural_s(self.tr("%n no-show(s)", "", card.no_shows), card.no_shows)
        late = plural_s(
            self.tr("%n late cancellation(s)", "", card.late_cancellations),
            card.late_cancellations,
        )
        self.attendance_label.setText(
            self.tr("{no_shows} · {late}").format(no_shows=no_shows, late=late)
        )
        # Words carry the meaning; the colour only draws the eye when there is something.
        warn = card.no_shows > 0 or card.late_cancellations > 0
        self.attendance_label.setStyleSheet(style.ERROR_TEXT if warn else "")
