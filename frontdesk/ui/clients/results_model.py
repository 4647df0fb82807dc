"""Search results as a Qt list model (tested with qtmodeltester)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from frontdesk.domain.formats import Formats
from frontdesk.services.clients import ClientSummary

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole
#: Rows handed to the view at a time: a screenful and more. The view asks for the rest
#: (fetchMore) as the list is scrolled, so a keystroke lays out and measures only these.
PAGE = 24

Index = QModelIndex | QPersistentModelIndex


class ClientResultsModel(QAbstractListModel):
    """One row per client: the name (⚠ when allergic), then what tells apart clients with the
    same name (four 王丹): phone, card, last visit. A row's texts are made once, when the
    view first takes it (a page at a time: see PAGE), not per paint."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ClientSummary] = []
        self._details: list[str] = []  # of the rows handed to the view so far
        self._formats: Formats | None = None

    def set_results(self, rows: list[ClientSummary], formats: Formats) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._formats = formats
        self._details = [self.details(row, formats) for row in self._rows[:PAGE]]
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._details) < len(self._rows)

    def fetchMore(self, parent: Index = QModelIndex(), upto: int = 0) -> None:  # noqa: B008
        """Hand the view the next page (or every row up to `upto`)."""
        if parent.isValid() or self._formats is None:
            return
        start = len(self._details)
        end = min(len(self._rows), max(start + PAGE, upto + 1))
        if end <= start:
            return
        self.beginInsertRows(QModelIndex(), start, end - 1)
        self._details.extend(self.details(row, self._formats) for row in self._rows[start:end])
        self.endInsertRows()

    @property
    def found(self) -> int:
        """How many clients the search found (the view may not hold them all yet)."""
        return len(self._rows)

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
        return 0 if parent.isValid() else len(self._details)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._details):
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
        """The client's row, handing the view the rows up to it if need be; None if absent."""
        for row, client in enumerate(self._rows):
            if client.id == customer_id:
                if row >= len(self._details):
                    self.fetchMore(QModelIndex(), upto=row)
                return row
        return None
