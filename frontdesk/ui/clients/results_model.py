"""Search results as a Qt list model (tested with qtmodeltester)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientSummary

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


class ClientResultsModel(QAbstractListModel):
    """One row per client: the name (⚠ when allergic), then what tells apart clients with the
    same name (four 王丹): phone, card, last visit. Texts are made once per search, not per
    paint."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ClientSummary] = []
        self._details: list[str] = []

    def set_results(self, rows: list[ClientSummary], formats: Formats) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._details = [self.details(row, formats) for row in self._rows]
        self.endResetModel()

    def details(self, row: ClientSummary, formats: Formats) -> str:
        last_visit = (
            self.tr("last visit {date}").format(
                date=formats.short_date(formats.local(row.last_visit).date())
            )
            if row.last_visit is not None
            else self.tr("no visits yet")
        )
        return " · ".join(
            (row.phone or self.tr("no phone"), row.card_number or self.tr("no card"), last_visit)
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        details = self._details[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            flag = "⚠ " if row.has_allergies else ""
            return f"{flag}{row.name}\n{details}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.name}\n{details}"
            return tip + "\n" + self.tr("Has allergies: see the card") if row.has_allergies else tip
        if role == CLIENT_ID_ROLE:
            return row.id
        return None

    def client_at(self, row: int) -> ClientSummary:
        return self._rows[row]

    def row_of(self, customer_id: int) -> int | None:
        for row, client in enumerate(self._rows):
            if client.id == customer_id:
                return row
        return None
