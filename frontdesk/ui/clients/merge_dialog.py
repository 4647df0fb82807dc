"""Merge two records of one client: find the other record, then move everything of it (visits,
sales, points, notes, health entries, tags, waitlist entries) to the client whose card is open.
The other record is kept only as a pointer; the merge is in the audit log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.clients import ClientSummary
from frontdesk.ui import style
from frontdesk.ui.clients.summary_text import summary_line
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import known_message


class MergeDialog(QDialog):
    """Merge another record into `keep_id` (the open card). `merged_id` once done."""

    def __init__(
        self, desk: Desk, keep_id: int, keep_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.keep_id = keep_id
        self.merged_id: int | None = None
        self.found: list[ClientSummary] = []
        self.setWindowTitle(self.tr("Merge two records of one client"))
        self.setMinimumWidth(480)
        self.explain = QLabel(
            self.tr(
                "Find the other record of {name}. Its visits, sales, points, notes, health "
                "entries and tags move to {name}; the other record is closed. This cannot be "
                "undone."
            ).format(name=keep_name)
        )
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet(style.NOTICE)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("mergeSearch")
        self.search_edit.setPlaceholderText(self.tr("Name, phone or card number"))
        self.results = QListWidget()
        self.results.setObjectName("mergeResults")
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_TEXT)
        self.error.setWordWrap(True)
        self.merge_button = QPushButton(self.tr("&Merge"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(
            self.tr("Move the highlighted record into this client (Alt+M)")
        )
        self.merge_button.setEnabled(False)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.setToolTip(self.tr("Close without merging (Esc)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.search_edit.returnPressed.connect(self.search)
        self.search_edit.textChanged.connect(lambda _t: self.search())
        self.results.currentRowChanged.connect(
            lambda row: self.merge_button.setEnabled(0 <= row < len(self.found))
        )
        self.merge_button.clicked.connect(self.merge)
        cancel.clicked.connect(self.reject)

    def search(self) -> None:
        text = self.search_edit.text()
        clients = self.desk.services.clients

        def show(found: list[ClientSummary]) -> None:
            if text != self.search_edit.text():
                return
            self.found = [c for c in found if c.id != self.keep_id]
            self.results.clear()
            formats = self.desk.formats()
            for client in self.found:
                item = QListWidgetItem(summary_line(client, formats))
                item.setData(Qt.ItemDataRole.UserRole, client.id)
                self.results.addItem(item)
            if self.found:
                self.results.setCurrentRow(0)

        self.desk.runner.run(
            lambda: clients.search(text),
            doing=self.tr("looking for the other record"),
            on_done=show,
            parent=self,
        )

    def merge(self) -> None:
        row = self.results.currentRow()
        if not 0 <= row < len(self.found):
            return
        other = self.found[row].id
        services, user, keep = self.desk.services, self.desk.user, self.keep_id
        self.merge_button.setEnabled(False)

        def done(_result: object) -> None:
            self.merged_id = other
            self.accept()

        def refused(error: BaseException) -> bool:
            self.error.setText(known_message(error) or "")
            return True

        self.desk.runner.run(
            lambda: services.client_merge.merge(keep, other, user),
            doing=self.tr("merging two records"),
            on_done=done,
            on_known_error=refused,
            on_finished=lambda: self.merge_button.setEnabled(bool(self.found)),
            parent=self,
        )
