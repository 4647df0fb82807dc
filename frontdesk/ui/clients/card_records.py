"""The card's read-only sections: the history timeline, upcoming appointments and treatment
notes (health: card_health.py). Prices appear only for roles that may see money figures;
each section says so when it has nothing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientCard
from frontdesk.ui.calendar.words import status_name


def records_table(columns: list[str], name: str) -> QTableWidget:
    """A read-only table of whole rows, its columns sharing the width (the card's sections)."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            table.setItem(row, column, QTableWidgetItem(text))


def empty_label(name: str) -> QLabel:
    """A section's grey 'nothing here' line."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("QLabel { color: #666; padding: 6px; }")
    label.setWordWrap(True)
    return label


class HistorySection(QWidget):
    """Visits and purchases, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.empty = empty_label("noVisits")
        self.empty.setText(self.tr("No visits yet"))
        self.history = records_table(
            [
                self.tr("When"),
                self.tr("Service or product"),
                self.tr("Therapist"),
                self.tr("Status"),
                self.tr("Price"),
            ],
            "visitHistory",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.history, 1)

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        rows = []
        for item in card.history:
            if item.kind == "purchase":
                what = (
                    self.tr("{product} × {quantity}").format(
                        product=item.what, quantity=item.quantity
                    )
                    if item.quantity != 1
                    else item.what
                )
                status = self.tr("Bought")
            else:
                what = item.what
                status = status_name(item.status, item.paid) if item.status else ""
            price = formats.money(item.price) if item.price is not None else ""
            rows.append((formats.date_time(item.at), what, item.therapist, status, price))
        _fill(self.history, rows)
        # A role that may not see money figures has no price column at all.
        self.history.setColumnHidden(4, card.lifetime_spend is None)
        self.empty.setVisible(not rows)
        self.history.setVisible(bool(rows))


class UpcomingSection(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.empty = empty_label("noUpcoming")
        self.empty.setText(self.tr("No upcoming appointments"))
        self.table = records_table(
            [self.tr("When"), self.tr("Service"), self.tr("Therapist"), self.tr("Status")],
            "upcoming",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        rows = [
            (formats.date_time(v.starts_at), v.service, v.therapist, status_name(v.status))
            for v in card.upcoming
        ]
        _fill(self.table, rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))


class NotesSection(QWidget):
    """Treatment notes, read here (written in the therapist's view)."""

    def __init__(self) -> None:
        super().__init__()
        self.empty = empty_label("noNotes")
        self.table = records_table(
            [self.tr("When"), self.tr("By"), self.tr("Visit"), self.tr("Note")], "treatmentNotes"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_card(self, card: ClientCard, formats: Formats) -> None:
        rows = [(formats.date_time(n.written_at), n.author, n.visit, n.text) for n in card.notes]
        _fill(self.table, rows)
        if card.notes_hidden:
            self.empty.setText(self.tr("Treatment notes are not shown to your role."))
        else:
            self.empty.setText(self.tr("No treatment notes yet"))
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
