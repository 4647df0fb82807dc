"""Search results as a Qt list model (tested with qtmodeltester)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.services.clients import ClientSummary

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


class ClientResultsModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ClientSummary] = []

    def set_results(self, rows: list[ClientSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            extra = " · ".join(part for part in (row.phone, row.card_number) if part)
            flag = "⚠ " if row.has_allergies else ""
            return f"{flag}{row.name}\n{extra}" if extra else f"{flag}{row.name}"
        if role == Qt.ItemDataRole.ToolTipRole and row.has_allergies:
            return "Has allergies: see the card"
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
