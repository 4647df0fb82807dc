"""Clients: find a client in a keystroke or by card, and read their card.

A keystroke searches at once when no search is running; keystrokes that arrive while one runs
are coalesced into one search for the text as it then is (a result for text that has since
changed is never shown), so fast typing never queues stale searches. The list and the card
refresh themselves from the change bus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
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

from frontdesk.domain.clients import CardEdit
from frontdesk.domain.errors import FormErrors
from frontdesk.domain.formats import Formats
from frontdesk.domain.roles import Permission
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.clients import ClientCard, ClientSummary
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.clients.card_view import ClientCardView
from frontdesk.ui.clients.health_actions import HealthActions
from frontdesk.ui.clients.merge_dialog import MergeDialog
from frontdesk.ui.clients.points_dialog import PointsDialog
from frontdesk.ui.clients.quick_add import QuickAddDialog
from frontdesk.ui.clients.results_model import ClientResultsModel
from frontdesk.ui.clients.row_delegate import ClientRowDelegate
from frontdesk.ui.clients.transfer_dialog import ClientTransferDialog
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import field_texts
from frontdesk.ui.errors import known_message
from frontdesk.ui.widgets.plural import plural_s

SEARCH_LIMIT = 50


class ClientsArea(QWidget):
    #: The list now answers this text (emitted once its rows are in the model).
    results_shown = Signal(str)

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._clients = desk.services.clients
        self._user = desk.user
        self.current_id: int | None = None
        self._card: ClientCard | None = None
        self._card_wanted: int | None = None  # the client whose card is loading
        self._card_loads = 0  # numbers card loads: only the latest one is shown
        self._searching = False
        self._shown_query: str | None = None  # the text the list answers
        self._following_list = True  # False while the list is moved without moving the card
        self._init_search()
        self._init_card()
        self._init_layout()
        self._connect_signals()

    def _init_search(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("clientSearch")
        self.search_edit.setPlaceholderText(self.tr("Name, phone, e-mail or card number  (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.results = ClientResultsModel()
        self.results_view = QListView()
        self.results_view.setObjectName("clientResults")
        self.results_view.setModel(self.results)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setItemDelegate(
            ClientRowDelegate(bold_first=True, parent=self.results_view)
        )
        self.results_hint = QLabel(self._start_hint())
        self.results_hint.setObjectName("resultsHint")
        self.results_hint.setWordWrap(True)
        self.new_button = QPushButton(self.tr("New client (Ctrl+N)"))
        self.new_button.setEnabled(self._user.can(Permission.EDIT_CLIENTS))

    def _init_card(self) -> None:
        self.card_view = ClientCardView(self._user.can)
        self.health_actions = HealthActions(self._desk, self.card_view.health, self)
        self.placeholder = QLabel(self.tr("Search for a client, or scan their loyalty card."))
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
        # -- io: import/export of clients (TRANSFER_CLIENTS) and merging records (MERGE_CLIENTS)
        self.transfer_button = QPushButton(self.tr("Import / export clients…"))
        self.transfer_button.setObjectName("clientTransfer")
        self.transfer_button.setVisible(self._user.can(Permission.TRANSFER_CLIENTS))
        self.transfer_button.clicked.connect(self.open_transfer)
        left_layout.addWidget(self.transfer_button)
        self.merge_button = QPushButton(self.tr("Merge with…"))
        self.merge_button.setObjectName("clientMerge")
        self.merge_button.setToolTip(self.tr("Merge another record of this client into this one"))
        self.merge_button.setVisible(self._user.can(Permission.MERGE_CLIENTS))
        self.merge_button.clicked.connect(self.merge_client)
        self.points_button = QPushButton(self.tr("Loyalty points…"))
        self.points_button.setObjectName("clientPoints")
        self.points_button.setToolTip(
            self.tr("The client's points: balance, history and adjustments (Ctrl+Shift+L)")
        )
        self.points_button.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.points_button.clicked.connect(self.open_points)
        # Points are earned per currency unit: they tell the spend, which not every role sees.
        self.points_button.setVisible(self._user.can(Permission.VIEW_CLIENT_SPEND))
        self.card_page = card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        # A short screen scrolls the card, the window stays on it (its tabs scroll first).
        self.card_scroll = card_scroll = QScrollArea()
        card_scroll.setWidgetResizable(True)
        card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        card_scroll.setWidget(self.card_view)
        card_layout.addWidget(card_scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.points_button)
        buttons.addWidget(self.merge_button)
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
        splitter.setSizes([430, 590])  # room for a Russian row: phone, card and last visit
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self.run_search)
        # The card follows the highlight: whatever moves it (search, arrows, click), the card
        # shows the highlighted client, or nothing when nothing is highlighted.
        self.results_view.selectionModel().currentChanged.connect(self._on_highlight)
        self.new_button.clicked.connect(self.new_client)
        self.card_view.save_requested.connect(self.save_card)
        self.card_view.tag_added.connect(self.add_tag)
        self.card_view.tag_removed.connect(self.remove_tag)
        self.card_view.acknowledge_requested.connect(self.acknowledge_alert)
        # The list follows clients (a new one, a new name or phone) and sales (a visit is
        # completed only by its sale: the rows' last visit); the card follows its own client,
        # and sales and appointments (its history, visits and total).
        self._list_follows = FollowChanges(
            self, self._desk.bus, (ChangeKind.CLIENTS, ChangeKind.SALES), self._refresh_list
        )
        self._card_follows = FollowChanges(
            self,
            self._desk.bus,
            (ChangeKind.CLIENTS, ChangeKind.SALES, ChangeKind.APPOINTMENTS),
            self._refresh_card,
            wanted=self._touches_card,
        )
        # Down in the search field goes to the list; Esc clears the search; Enter in the list
        # opens the highlighted card (focus on it), Esc there goes back to the search. An event
        # filter, not a QShortcut: a shortcut for a plain arrow key also took Down away from
        # the list itself.
        self.search_edit.installEventFilter(self)
        self.results_view.installEventFilter(self)
        self.search_edit.setToolTip(
            self.tr("Type a name, phone, e-mail or card number. Down: the list; Esc: clear")
        )
        self.results_view.setToolTip(
            self.tr("Arrows: move; Enter: open the card; Esc: back to the search")
        )
        QShortcut(
            QKeySequence("Ctrl+N"),
            self,
            self.new_client,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence("Ctrl+Shift+H"),
            self,
            self._go_to_health_form,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers()
            in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        ):
            key = event.key()
            if watched is self.search_edit:
                if key == Qt.Key.Key_Down:
                    self.results_view.setFocus()
                    return True
                if key == Qt.Key.Key_Escape and self.search_edit.text():
                    self.search_edit.clear()  # the list empties, the card goes
                    return True
            elif watched is self.results_view:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.open_highlighted()
                    return True
                if key == Qt.Key.Key_Escape:
                    self.focus_search()
                    return True
        return super().eventFilter(watched, event)

    def open_highlighted(self) -> None:
        """Enter on a row: its card (already following the highlight) takes the keyboard."""
        index = self.results_view.currentIndex()
        if not index.isValid():
            return
        self._show_client(self.results.client_at(index.row()).id)
        self.card_scroll.setFocus()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # -- searching ------------------------------------------------------------------------

    def _on_typed(self, _text: str) -> None:
        if not self._searching:  # else the running search's end starts one for the new text
            self.run_search()

    def run_search(self) -> None:
        """Search for the text as it is now (Enter; each keystroke when nothing is pending)."""
        if self._searching:
            return
        query = self.search_edit.text()
        if not query.strip():
            self._show_results(query, [], self._desk.formats(), keep=None)
            return
        self._searching = True

        def search() -> tuple[list[ClientSummary], Formats]:
            return self._clients.search(query, SEARCH_LIMIT), self._desk.formats()

        self._desk.runner.run(
            search,
            doing=self.tr("searching clients"),
            on_done=lambda found: self._searched(query, *found),
            on_finished=self._search_finished,
            parent=self,
        )

    def _search_finished(self) -> None:
        self._searching = False

    def _searched(self, query: str, found: list[ClientSummary], formats: Formats) -> None:
        if query != self.search_edit.text():  # typed on meanwhile: search for that instead
            self.run_search()
            return
        self._show_results(query, found, formats, keep=None)

    def _show_results(
        self, query: str, found: list[ClientSummary], formats: Formats, *, keep: int | None
    ) -> None:
        """Fill the list for `query` and highlight its first client, or `keep` (a refresh) if
        still listed; the card follows the highlight."""
        self._following_list = False
        try:
            if keep is None:  # a new list starts at its top (and takes only its first page)
                self.results_view.scrollToTop()
            self.results.set_results(found, formats)
            row = 0 if found and keep is None else None
            if keep is not None:
                row = self.results.row_of(keep)
            if row is not None:
                self.results_view.setCurrentIndex(self.results.index(row, 0))
        finally:
            self._following_list = True
        self._shown_query = query
        self._show_hint(query, len(found))
        if keep is None:
            if row is None:
                self.show_empty()
            else:
                self._show_client(self.results.client_at(row).id)
        self.results_shown.emit(query)

    def _start_hint(self) -> str:
        return self.tr("Type at least one letter, three digits, or scan a card.")

    def _show_hint(self, query: str, count: int) -> None:
        if not query.strip():
            text = self._start_hint()
        elif not count:
            text = self.tr("No client matches “{query}”.").format(query=query.strip())
        elif count >= SEARCH_LIMIT:
            text = self.tr("The first %n matches: type more to narrow the list.", "", count)
        else:
            text = plural_s(self.tr("%n client(s)", "", count), count)
        self.results_hint.setText(text)

    def _refresh_list(self, _changes: Changes | None) -> None:
        """Clients changed: the same search again, the highlighted client kept."""
        query = self._shown_query
        if query is None or not query.strip() or self._searching:
            return
        keep = self.current_id

        def search() -> tuple[list[ClientSummary], Formats]:
            return self._clients.search(query, SEARCH_LIMIT), self._desk.formats()

        def searched(result: tuple[list[ClientSummary], Formats]) -> None:
            if query == self.search_edit.text() and query == self._shown_query:
                self._show_results(query, result[0], result[1], keep=keep)

        self._desk.runner.run(search, doing=self.tr("searching clients"), on_done=searched)

    # -- the card -------------------------------------------------------------------------

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
        self._card = None
        self._card_wanted = None
        self._card_loads += 1  # a card still loading is no longer wanted
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
        self._show_client(customer_id, again=True)

    def _show_client(self, customer_id: int, *, again: bool = False) -> None:
        """Load and show a client's card (`again`: even when it is the one shown). Only the
        latest load is shown: a card loaded for an earlier highlight is dropped."""
        if not again and customer_id == (
            self.current_id if self._card_wanted is None else self._card_wanted
        ):
            return
        self._card_wanted = customer_id
        self._card_loads += 1
        ticket = self._card_loads

        def load() -> tuple[ClientCard, Formats]:
            return self._clients.card(customer_id, self._user), self._desk.formats()

        def loaded(result: tuple[ClientCard, Formats]) -> None:
            if ticket == self._card_loads:
                self._card_loaded(*result)

        def failed(_error: BaseException) -> bool:
            if ticket == self._card_loads:
                self.show_empty()
            return False  # the runner says what went wrong

        self._desk.runner.run(
            load,
            doing=self.tr("opening the client card"),
            on_done=loaded,
            on_known_error=failed,
            parent=self,
        )

    def _card_loaded(self, card: ClientCard, formats: Formats) -> None:
        self._card_wanted = None
        self.current_id = card.id
        self._card = card
        self.card_view.show_card(card, formats)
        self.right.setCurrentWidget(self.card_page)
        self.notice.hide()

    def _touches_card(self, changes: Changes) -> bool:
        if self.current_id is None:
            return False
        return changes.touches_id(ChangeKind.CLIENTS, self.current_id) or changes.touches(
            ChangeKind.SALES, ChangeKind.APPOINTMENTS
        )

    def _refresh_card(self, _changes: Changes | None) -> None:
        if self.current_id is not None:
            self._show_client(self.current_id, again=True)

    def show_notice(self, message: str, *, error: bool) -> None:
        """A message above the card (e.g. an unreadable scan); it changes nothing else."""
        self.notice.setText(message)
        self.notice.setStyleSheet(style.ALLERGY_BANNER if error else style.SUCCESS_BANNER)
        self.notice.show()

    # -- editing --------------------------------------------------------------------------

    def new_client(self) -> None:
        """Quick add (io lane): likely duplicates are offered before a new client is saved."""
        if not self._user.can(Permission.EDIT_CLIENTS):
            return
        dialog = QuickAddDialog(self._desk, self)
        if dialog.exec() and dialog.result_id is not None:
            self.open_client(dialog.result_id)

    def _go_to_health_form(self) -> None:
        """Ctrl+Shift+H: record an allergy on the card shown (from the search field too)."""
        if self.right.currentWidget() is self.card_page:
            self.card_view.go_to_health_form()

    def open_transfer(self) -> None:
        if self._user.can(Permission.TRANSFER_CLIENTS):
            ClientTransferDialog(self._desk, self).exec()

    def open_points(self) -> None:
        card = self._card
        if card is not None:
            PointsDialog(self._desk, card.id, self).exec()

    def merge_client(self) -> None:
        card = self._card
        if card is None or not self._user.can(Permission.MERGE_CLIENTS):
            return
        MergeDialog(self._desk, card.id, card.name, self).exec()

    def save_card(self, edit: CardEdit) -> None:
        """The card's Save: contact, consent and preferences in one unit of work; a bad field
        keeps its message beside it and nothing is saved."""
        card = self._card
        if card is None:
            self.card_view.save_finished()
            return
        user, customer_id, view = self._user, card.id, self.card_view

        def refused(error: BaseException) -> bool:
            if isinstance(error, FormErrors):
                view.show_errors(field_texts(error))
            else:
                view.show_message(known_message(error) or "")
            return True

        self._desk.runner.run(
            lambda: self._clients.save_card(customer_id, edit, user),
            doing=self.tr("saving the client card"),
            on_done=lambda _none: view.saved(),
            on_known_error=refused,
            on_finished=view.save_finished,
            parent=self,
        )  # the bus brings the saved card back

    def add_tag(self, tag: str) -> None:
        card = self._card
        if card is None:
            return
        user, customer_id, header = self._user, card.id, self.card_view.header

        def refused(error: BaseException) -> bool:
            if isinstance(error, FormErrors):
                header.show_tag_error(" ".join(field_texts(error).values()))
                return True
            return False

        self._desk.runner.run(
            lambda: self._clients.add_tag(customer_id, tag, user),
            doing=self.tr("adding a tag"),
            on_done=lambda _none: header.tag_saved(),
            on_known_error=refused,
            parent=self,
        )

    def remove_tag(self, tag: str) -> None:
        card = self._card
        if card is None:
            return
        user, customer_id = self._user, card.id
        self._desk.runner.run(
            lambda: self._clients.remove_tag(customer_id, tag, user),
            doing=self.tr("removing a tag"),
            parent=self,
        )

    def acknowledge_alert(self) -> None:
        """Audited; the audit log is no change kind, so the card is read again here."""
        card = self._card
        if card is None:
            return
        user, customer_id = self._user, card.id

        def done(_at: object) -> None:
            if self.current_id == customer_id:
                self._show_client(customer_id, again=True)

        self._desk.runner.run(
            lambda: self._clients.acknowledge_alert(customer_id, user),
            doing=self.tr("acknowledging the alert"),
            on_done=done,
            parent=self,
        )
