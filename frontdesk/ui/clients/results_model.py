"""Search results as a Qt list model (tested with qtmodeltester)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.services.clients import ClientSummary

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


def details(row: ClientSummary) -> str:
    """What tells apart clients with the same name (four 王丹): phone, card, last visit."""
    return " · ".join(
        (
            row.phone or "no phone",
            row.card_number or "no card",
            f"last visit {row.last_visit}" if row.last_visit else "no visits yet",
        )
    )


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
            flag = "⚠ " if row.has_allergies else ""
            return f"{flag}{row.name}\n{details(row)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.name}\n{details(row)}"
            return tip + "\nHas allergies: see the card" if row.has_allergies else tip
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
