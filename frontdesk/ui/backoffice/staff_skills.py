"""What a person may do and what they earn: the services checklist and the commission table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import parse_rate, percent_label
from frontdesk.domain.staff_rules import commission_field
from frontdesk.services.staff_admin import CategoryChoices

ID_ROLE = Qt.ItemDataRole.UserRole
CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked


class ServiceChecklist(QWidget):
    """Active services grouped by category; a category's box ticks all of it, "All" every one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_box = QCheckBox(self.tr("All services"))
        self.all_box.setObjectName("allServices")
        self.all_box.setTristate(False)
        self.tree = QTreeWidget()
        self.tree.setObjectName("serviceChecklist")
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(140)
        self.tree.setMaximumHeight(220)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.all_box)
        layout.addWidget(self.tree)
        self.empty = QTreeWidgetItem([self.tr("No services yet: add them under Services.")])
        self.all_box.clicked.connect(self._tick_all)
        self.tree.itemChanged.connect(self._sync_all)

    def set_choices(self, categories: Sequence[CategoryChoices]) -> None:
        chosen = set(self.chosen())
        self.tree.blockSignals(True)
        self.tree.clear()
        for category in categories:
            if not category.services:
                continue
            group = QTreeWidgetItem([category.name])
            group.setFlags(
                group.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
            )
            for service in category.services:
                item = QTreeWidgetItem([service.name])
                item.setData(0, ID_ROLE, service.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, CHECKED if service.id in chosen else UNCHECKED)
                group.addChild(item)
            self.tree.addTopLevelItem(group)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        has_any = self.tree.topLevelItemCount() > 0
        self.all_box.setEnabled(has_any)
        if not has_any:
            self.empty = QTreeWidgetItem([self.tr("No services yet: add them under Services.")])
            self.empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(self.empty)
        self._sync_all()

    def _services(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            if group is not None:
                items.extend(group.child(c) for c in range(group.childCount()))
        return items

    def chosen(self) -> tuple[int, ...]:
        return tuple(
            int(item.data(0, ID_ROLE)) for item in self._services() if item.checkState(0) == CHECKED
        )

    def set_chosen(self, service_ids: Iterable[int]) -> None:
        wanted = set(service_ids)
        self.tree.blockSignals(True)
        for item in self._services():
            item.setCheckState(0, CHECKED if int(item.data(0, ID_ROLE)) in wanted else UNCHECKED)
        self.tree.blockSignals(False)
        self._sync_all()

    def _tick_all(self, checked: bool) -> None:
        self.tree.blockSignals(True)
        for item in self._services():
            item.setCheckState(0, CHECKED if checked else UNCHECKED)
        self.tree.blockSignals(False)
        self._sync_all()

    def _sync_all(self, *_args: object) -> None:
        services = self._services()
        self.all_box.setChecked(
            bool(services) and all(i.checkState(0) == CHECKED for i in services)
        )


class CommissionTable(QTableWidget):
    """Category -> commission in per cent; an empty cell is no commission."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("commissionTable")
        self.setHorizontalHeaderLabels([self.tr("Service category"), self.tr("Commission, %")])
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setMinimumHeight(90)
        self.setMaximumHeight(180)
        self.number_locale = "en_GB"

    def set_categories(self, categories: Sequence[CategoryChoices]) -> None:
        typed = {self._category(r): self._cell(r, 1).text() for r in range(self.rowCount())}
        self.setRowCount(0)
        for category in categories:
            row = self.rowCount()
            self.insertRow(row)
            name = QTableWidgetItem(category.name)
            name.setData(ID_ROLE, category.id)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 0, name)
            self.setItem(row, 1, QTableWidgetItem(typed.get(category.id, "")))

    def set_rates(self, rates: Iterable[tuple[int, int]]) -> None:
        by_id = dict(rates)
        for row in range(self.rowCount()):
            category_id = self._category(row)
            rate = by_id.get(category_id)
            self._cell(row, 1).setText("" if rate is None else percent_label(rate).rstrip("%"))

    def rates(self) -> tuple[tuple[int, int], ...]:
        """(category id, basis points) for each filled row; FormErrors naming each bad row."""
        errors: dict[str, DomainError] = {}
        rates: list[tuple[int, int]] = []
        for row in range(self.rowCount()):
            category_id = self._category(row)
            text = self._cell(row, 1).text().strip()
            if not text:
                continue
            field = commission_field(category_id)
            try:
                rates.append((category_id, parse_rate(text, self.number_locale, field=field)))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise FormErrors(errors)
        return tuple(rates)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        return item

    def _category(self, row: int) -> int:
        return int(self._cell(row, 0).data(ID_ROLE))

    def row_of(self, field: str) -> int | None:
        for row in range(self.rowCount()):
            if commission_field(self._category(row)) == field:
                return row
        return None
