"""Clients: find a client in a keystroke or by card, and read their card."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Permission
from frontdesk.ui import style
from frontdesk.ui.clients.card_view import ClientCardView
from frontdesk.ui.clients.form_dialog import ClientFormDialog
from frontdesk.ui.clients.results_model import ClientResultsModel
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import show_error
from frontdesk.ui.events import CLIENTS, SALES
from frontdesk.ui.widgets.lines_delegate import LinesDelegate

SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 50


class ClientsArea(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._clients = desk.services.clients
        self._user = desk.user
        self._events = desk.requests
        self.current_id: int | None = None
        self._following_list = True  # False while a card is opened from outside the list
        self._init_search()
        self._init_card()
        self._init_layout()
        self._connect_signals()

    def _init_search(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("clientSearch")
        self.search_edit.setPlaceholderText("Name, phone or card number  (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.results = ClientResultsModel()
        self.results_view = QListView()
        self.results_view.setObjectName("clientResults")
        self.results_view.setModel(self.results)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setItemDelegate(LinesDelegate(bold_first=True, parent=self.results_view))
        self.results_hint = QLabel("Type at least one letter, three digits, or scan a card.")
        self.results_hint.setObjectName("resultsHint")
        self.results_hint.setWordWrap(True)
        self.new_button = QPushButton("New client (Ctrl+N)")
        self.new_button.setEnabled(self._user.can(Permission.EDIT_CLIENTS))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

    def _init_card(self) -> None:
        self.card_view = ClientCardView()
        self.edit_button = QPushButton("Edit client…")
        self.edit_button.setEnabled(self._user.can(Permission.EDIT_CLIENTS))
        self.placeholder = QLabel("Search for a client, or scan their loyalty card.")
        self.placeholder.setObjectName("clientPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(style.NOTICE)
        self.notice = QLabel()
        self.notice.setObjectName("clientNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

    def _init_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.results_hint)
        left_layout.addWidget(self.results_view, 1)
        left_layout.addWidget(self.new_button)
        self.card_page = card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_scroll = QScrollArea()  # a short screen scrolls the card, the window stays on it
        card_scroll.setWidgetResizable(True)
        card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        card_scroll.setWidget(self.card_view)
        card_layout.addWidget(card_scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        card_layout.addLayout(buttons)
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.right.addWidget(card_page)
        right_box = QWidget()
        right_layout = QVBoxLayout(right_box)
        right_layout.addWidget(self.notice)
        right_layout.addWidget(self.right, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right_box)
        splitter.setSizes([320, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now_and_open_first)
        self._search_timer.timeout.connect(self.run_search)
        # The card follows the highlight: whatever moves it (search, arrows, click), the card
        # shows the highlighted client, or nothing when nothing is highlighted.
        self.results_view.selectionModel().currentChanged.connect(self._on_highlight)
        self.results.modelReset.connect(lambda: self._on_highlight(QModelIndex(), QModelIndex()))
        self.new_button.clicked.connect(self.new_client)
        self.edit_button.clicked.connect(self.edit_client)
        self._events.changed.connect(self._on_changed)
        # Down in the search field goes to the list. An event filter, not a QShortcut: a
        # shortcut for a plain arrow key also took Down away from the list itself.
        self.search_edit.installEventFilter(self)
        QShortcut(
            QKeySequence("Ctrl+N"),
            self,
            self.new_client,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.results_view.setFocus()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.search_edit.text()
        try:
            found = self._clients.search(query, SEARCH_LIMIT)
        except DomainError as exc:
            show_error(self, exc, "searching clients")
            return
        self.results.set_results(found)  # clears the highlight, and with it the card
        if not query.strip():
            self.results_hint.setText("Type at least one letter, three digits, or scan a card.")
        elif not found:
            self.results_hint.setText(f"No client matches “{query.strip()}”.")
        else:
            self.results_hint.setText(
                f"The first {len(found)} matches: type more to narrow the list."
                if len(found) >= SEARCH_LIMIT
                else f"{len(found)} client{'s' if len(found) != 1 else ''}"
            )
        if found:
            self.results_view.setCurrentIndex(self.results.index(0, 0))

    def _search_now_and_open_first(self) -> None:
        self.run_search()  # highlights the first match, and the card follows

    def _on_highlight(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object
    ) -> None:
        if not self._following_list:
            return
        if current.isValid():
            self._show_client(self.results.client_at(current.row()).id)
        else:
            self.show_empty()

    def show_empty(self) -> None:
        """No client highlighted: no card, so no other client's details or allergies."""
        self.current_id = None
        self.right.setCurrentWidget(self.placeholder)

    def open_client(self, customer_id: int) -> None:
        """Show a client's card; the list highlights them, or nothing when they are not in it."""
        row = self.results.row_of(customer_id)
        self._following_list = False
        try:
            if row is None:
                self.results_view.setCurrentIndex(QModelIndex())
            else:
                self.results_view.setCurrentIndex(self.results.index(row, 0))
        finally:
            self._following_list = True
        self._show_client(customer_id)

    def _show_client(self, customer_id: int) -> None:
        try:
            card = self._clients.card(customer_id, self._user)
        except DomainError as exc:
            self.show_empty()
            show_error(self, exc, "opening the client card")
            return
        self.current_id = customer_id
        self.card_view.show_card(card)
        self.right.setCurrentWidget(self.card_page)
        self.notice.hide()

    def show_notice(self, message: str, *, error: bool) -> None:
        """A message above the card (e.g. an unreadable scan); it changes nothing else."""
        self.notice.setText(message)
        self.notice.setStyleSheet(style.ALLERGY_BANNER if error else style.SUCCESS_BANNER)
        self.notice.show()

    def _on_changed(self, kind: str) -> None:
        if kind in (CLIENTS, SALES) and self.current_id is not None:
            self._show_client(self.current_id)

    def new_client(self) -> None:
        if not self._user.can(Permission.EDIT_CLIENTS):
            return
        dialog = ClientFormDialog(lambda form: self._clients.save(form, self._user), None, self)
        if dialog.exec() and dialog.saved_id is not None:
            self._events.changed.emit(CLIENTS)
            self.open_client(dialog.saved_id)

    def edit_client(self) -> None:
        if self.current_id is None or not self._user.can(Permission.EDIT_CLIENTS):
            return
        customer_id = self.current_id
        card = self._clients.card(customer_id, self._user)
        dialog = ClientFormDialog(
            lambda form: self._clients.save(form, self._user, customer_id), card.form, self
        )
        if dialog.exec():
            self._events.changed.emit(CLIENTS)
