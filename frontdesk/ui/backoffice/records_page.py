"""The back office's one page shape: a searchable list of records beside the chosen one's form.

A page for staff, services, rooms or products subclasses `RecordsPage` and says only what is
its own: how to list the records, build and fill the form, and save or archive one. The page
does the rest the same way everywhere: search as you type, archived records hidden until asked
for, New (Ctrl+N), Save (Ctrl+S), Archive / Restore, every error beside its field or above the
form, an empty state that says what to do, and a refresh whenever the bus says the records
changed (here or at another terminal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
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

from frontdesk.domain.errors import DomainError, FormErrors
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text, field_texts
from frontdesk.ui.widgets.field_form import FieldForm
from frontdesk.ui.widgets.lines_delegate import LinesDelegate

ID_ROLE = Qt.ItemDataRole.UserRole
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGGED_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class RecordRow:
    """One line of the list: what it says, what search finds it by, whether it is archived."""

    id: int
    title: str
    detail: str = ""
    archived: bool = False
    search_text: str = ""
    #: Needs attention (a product running low): shown in bold; `show_flagged_only` lists only
    #: these. Say why in `detail` too: bold alone tells a screen reader nothing.
    flagged: bool = False


class _Filter(QSortFilterProxyModel):
    """Every word typed must be in the row's text; archived rows only when asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.show_archived = False
        self.flagged_only = False

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if index.data(ARCHIVED_ROLE) and not self.show_archived:
            return False
        if self.flagged_only and not index.data(FLAGGED_ROLE):
            return False
        text = str(index.data(Qt.ItemDataRole.AccessibleDescriptionRole) or "").casefold()
        return all(word in text for word in self.words)


class RecordsPage(QWidget):
    """A list of records (left) and the chosen one's form (right). See the module doc.

    Subclasses implement the `list_work`, `build_form`, `load_work`, `show_record`,
    `save_work` and `archive_work` hooks and set the texts in `texts()`.
    """

    #: Emitted with the record's id after it was saved (tests and the guided start wait on it).
    saved = Signal(int)

    #: Kinds of change that may alter this page's records.
    kinds: tuple[ChangeKind, ...] = ()
    #: Whether records of this kind can be archived (and so restored).
    archivable = True

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.current_id: int | None = None
        self.current_archived = False
        self._editable = self.may_edit()
        self._record_editable = True
        self._rows: list[RecordRow] = []
        self._select_after_load: int | None = None
        self._init_list()
        self._init_editor()
        splitter = QSplitter()
        splitter.addWidget(self._list_side)
        splitter.addWidget(self._editor_side)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_record)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._follow = FollowChanges(self, desk.bus, self.kinds, self._on_changes)
        self.refresh()

    # -- what a page says and does: the hooks -------------------------------------------------

    def texts(self) -> dict[str, str]:
        """Translated texts: 'search' (placeholder), 'new' (button), 'empty' (no records yet),
        'none_chosen' (nothing selected), 'archived' (banner on an archived record)."""
        raise NotImplementedError

    def may_edit(self) -> bool:
        """Whether the signed-in person may change these records (else the form is read-only)."""
        return True

    def build_side(self) -> QWidget | None:
        """An optional panel under the list (e.g. the categories the records are sorted into)."""
        return None

    def list_work(self) -> Callable[[], Sequence[RecordRow]]:
        """Work (run on the database worker) returning every record, archived ones included."""
        raise NotImplementedError

    def build_form(self) -> QWidget:
        """The form widget; its fields live in `self.fields`, a FieldForm it lays out."""
        raise NotImplementedError

    def load_work(self, record_id: int) -> Callable[[], object]:
        """Work returning the full record `record_id` for `show_record`."""
        raise NotImplementedError

    def show_record(self, record: object | None) -> None:
        """Fill the form with `record`, or clear it for a new one (None)."""
        raise NotImplementedError

    def save_work(self) -> Callable[[], int]:
        """Read the form now (on the GUI thread) and return work that saves it and returns the
        record's id. Raise FormErrors here for what the form itself can see is wrong."""
        raise NotImplementedError

    def archive_work(self, record_id: int, archived: bool) -> Callable[[], object]:
        """Work that archives (True) or restores (False) the record."""
        raise NotImplementedError

    def may_edit_record(self, record: object) -> bool:
        """Whether the signed-in person may change this loaded record (a manager may see an
        owner's account but not change it); `may_edit` already allows the page."""
        return True

    def on_listed(self, rows: Sequence[RecordRow]) -> None:
        """The list was read again (`rows` is what `list_work` returned): a page whose form
        offers related choices (categories, services) refreshes them here."""

    # -- the shared machinery ----------------------------------------------------------------

    def _init_list(self) -> None:
        texts = self.texts()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("recordSearch")
        self.search_edit.setPlaceholderText(texts["search"])
        self.search_edit.setClearButtonEnabled(True)
        self.show_archived_box = QCheckBox(
            QCoreApplication.translate("RecordsPage", "Show archived")
        )
        self.show_archived_box.setObjectName("showArchived")
        self.show_archived_box.setVisible(self.archivable)
        self.model = QStandardItemModel(self)
        self.proxy = _Filter()
        self.proxy.setSourceModel(self.model)
        self.list_view = QListView()
        self.list_view.setObjectName("recordList")
        self.list_view.setModel(self.proxy)
        self.list_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # Rows as tall as their lines really are: Qt's own delegate sizes a Chinese title like
        # a Latin one and showed "热石套装…" without its second line.
        self.list_view.setItemDelegate(LinesDelegate(parent=self.list_view))
        self.new_button = QPushButton(texts["new"])
        self.new_button.setObjectName("newRecord")
        self.new_button.setToolTip(QKeySequence(QKeySequence.StandardKey.New).toString())
        self.new_button.setEnabled(self._editable)
        self.empty_label = QLabel(texts["empty"])
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(style.NOTICE)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        # A long empty-state text wraps rather than widening the list and squeezing the form.
        self.empty_label.setMinimumWidth(160)
        self._list_stack = QStackedWidget()
        self._list_stack.addWidget(self.list_view)
        self._list_stack.addWidget(self.empty_label)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.search_edit)
        side.addWidget(self._list_stack, 1)
        side.addWidget(self.show_archived_box)
        side.addWidget(self.new_button)
        extra = self.build_side()
        if extra is not None:
            side.addWidget(extra)
        self._list_side = QWidget()
        self._list_side.setLayout(side)
        self.search_edit.textChanged.connect(self._filter)
        self.search_edit.returnPressed.connect(self._open_first)
        self.show_archived_box.toggled.connect(self._filter)
        self.list_view.selectionModel().currentChanged.connect(self._on_current)
        self.new_button.clicked.connect(self.new_record)

    def _init_editor(self) -> None:
        texts = self.texts()
        self.fields = FieldForm()
        self.banner = QLabel()
        self.banner.setObjectName("formProblem")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(style.ERROR_TEXT)
        self.banner.hide()
        self.archived_label = QLabel(texts["archived"])
        self.archived_label.setObjectName("archivedBanner")
        self.archived_label.setWordWrap(True)
        self.archived_label.setStyleSheet(style.NOTICE)
        self.archived_label.hide()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedMessage")
        self.saved_label.setStyleSheet(style.SUCCESS_BANNER)
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        self.form_widget = self.build_form()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_widget)
        self.save_button = QPushButton(QCoreApplication.translate("RecordsPage", "Save"))
        self.save_button.setObjectName("saveRecord")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(QKeySequence(QKeySequence.StandardKey.Save).toString())
        self.archive_button = QPushButton(QCoreApplication.translate("RecordsPage", "Archive"))
        self.archive_button.setObjectName("archiveRecord")
        self.archive_button.setVisible(self.archivable)
        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.none_chosen = QLabel(texts["none_chosen"])
        self.none_chosen.setObjectName("noneChosen")
        self.none_chosen.setWordWrap(True)
        self.none_chosen.setStyleSheet(style.NOTICE)
        self.none_chosen.setAlignment(Qt.AlignmentFlag.AlignTop)
        editing = QWidget()
        column = QVBoxLayout(editing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.archived_label)
        column.addWidget(self.saved_label)
        column.addWidget(self.banner)
        column.addWidget(scroll, 1)
        column.addLayout(buttons)
        self._editor_side = QStackedWidget()
        self._editor_side.addWidget(self.none_chosen)
        self._editor_side.addWidget(editing)
        self.save_button.clicked.connect(self.save)
        self.archive_button.clicked.connect(self._toggle_archived)
        self._set_editing(False)

    @property
    def editing(self) -> bool:
        """Whether the form (a record or a new one) is shown."""
        return self._editor_side.currentIndex() == 1

    def _set_editing(self, editing: bool) -> None:
        editable = self._editable and self._record_editable
        self._editor_side.setCurrentIndex(1 if editing else 0)
        self.save_button.setEnabled(editing and editable)
        self.form_widget.setEnabled(editable)
        self.archive_button.setEnabled(editing and editable and self.current_id is not None)
        self.archive_button.setText(
            QCoreApplication.translate("RecordsPage", "Restore")
            if self.current_archived
            else QCoreApplication.translate("RecordsPage", "Archive")
        )
        self.archived_label.setVisible(editing and self.current_archived)

    def refresh(self, changes: Changes | None = None) -> None:
        """Read the list again (keeps the selection and what is being typed in the form)."""
        self.desk.runner.run(
            self.list_work(),
            doing=QCoreApplication.translate("RecordsPage", "reading the list"),
            on_done=self._listed,
        )

    def _on_changes(self, changes: Changes | None) -> None:
        self.refresh(changes)

    def _listed(self, rows: Sequence[RecordRow]) -> None:
        self.on_listed(rows)
        self._rows = list(rows)
        self.model.clear()
        for row in rows:
            item = QStandardItem(row.title if not row.detail else f"{row.title}\n{row.detail}")
            item.setData(row.id, ID_ROLE)
            item.setData(row.archived, ARCHIVED_ROLE)
            item.setData(
                " ".join((row.title, row.detail, row.search_text)),
                Qt.ItemDataRole.AccessibleDescriptionRole,
            )
            item.setData(row.flagged, FLAGGED_ROLE)
            if row.archived:
                item.setForeground(Qt.GlobalColor.gray)
            elif row.flagged:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            item.setEditable(False)
            self.model.appendRow(item)
        self._list_stack.setCurrentIndex(0 if rows else 1)
        wanted = self._select_after_load or self.current_id
        self._select_after_load = None
        if wanted is not None:
            self.select(wanted, load=False)

    def rows(self) -> list[RecordRow]:
        return list(self._rows)

    def visible_titles(self) -> list[str]:
        """The titles the list shows now (after search and the archived switch)."""
        return [
            str(self.proxy.index(r, 0).data()).split("\n", maxsplit=1)[0]
            for r in range(self.proxy.rowCount())
        ]

    def _filter(self) -> None:
        def change() -> None:
            self.proxy.words = self.search_edit.text().casefold().split()
            self.proxy.show_archived = self.show_archived_box.isChecked()

        self._refilter(change)

    def _refilter(self, change: Callable[[], None]) -> None:
        """Filter the list again without opening another record: when the open one leaves the
        list, Qt makes a neighbour current, which opened it and lost what was typed."""
        selection = self.list_view.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            # begin/endFilterChange: Qt 6.10 deprecates invalidateFilter (warnings are errors)
            self.proxy.beginFilterChange()
            change()
            self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            selection.clear()  # no stale current row: choosing any row opens it
            if self.current_id is not None:
                for row in range(self.proxy.rowCount()):
                    index = self.proxy.index(row, 0)
                    if index.data(ID_ROLE) == self.current_id:
                        self.list_view.setCurrentIndex(index)
                        break
        finally:
            selection.blockSignals(blocked)
        self.list_view.viewport().update()

    def add_list_filter(self, widget: QWidget) -> None:
        """Put a page's own filter (a "running low" switch) under the archived switch."""
        side = self._list_side.layout()
        assert isinstance(side, QVBoxLayout)
        side.insertWidget(side.indexOf(self.show_archived_box) + 1, widget)

    def show_flagged_only(self, flagged_only: bool) -> None:
        """List only the rows that need attention (RecordRow.flagged), or all of them."""

        def change() -> None:
            self.proxy.flagged_only = flagged_only

        self._refilter(change)

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            self.list_view.setCurrentIndex(self.proxy.index(0, 0))

    def select(self, record_id: int, *, load: bool = True) -> None:
        """Show `record_id` in the list and (when `load`) its form."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(ID_ROLE) == record_id:
                if item.data(ARCHIVED_ROLE) and not self.show_archived_box.isChecked():
                    self.show_archived_box.setChecked(True)
                index = self.proxy.mapFromSource(item.index())
                blocked = self.list_view.selectionModel().blockSignals(not load)
                self.list_view.setCurrentIndex(index)
                self.list_view.selectionModel().blockSignals(blocked)
                return

    def _on_current(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            return
        record_id = int(current.data(ID_ROLE))
        self.open_record(record_id, archived=bool(current.data(ARCHIVED_ROLE)))

    def open_record(self, record_id: int, *, archived: bool = False) -> None:
        self.current_id = record_id
        self.current_archived = archived
        self._clear_messages()
        self.desk.runner.run(
            self.load_work(record_id),
            doing=QCoreApplication.translate("RecordsPage", "opening a record"),
            on_done=self._loaded,
        )

    def _loaded(self, record: object) -> None:
        self._record_editable = self.may_edit_record(record)
        self.show_record(record)
        self._set_editing(True)

    def new_record(self) -> None:
        if not self._editable:
            return
        # Not only the selection: with the old row still current, choosing it again would not
        # open it (Qt reports no change of the current row).
        self.list_view.selectionModel().clear()
        self.current_id = None
        self.current_archived = False
        self._record_editable = True
        self._clear_messages()
        self.show_record(None)
        self._set_editing(True)
        first = next(iter(self.fields.widgets.values()), None)
        if first is not None:
            first.setFocus()

    def _clear_messages(self) -> None:
        self.fields.clear_errors()
        self.banner.hide()
        self.saved_label.hide()

    def save(self) -> None:
        if not (self.editing and self._editable and self.save_button.isEnabled()):
            return
        self._clear_messages()
        try:
            work = self.save_work()
        except (FormErrors, DomainError) as error:
            self.show_problem(error)
            return
        self.save_button.setEnabled(False)  # a second Ctrl+S while saving saves nothing twice
        self.desk.runner.run(
            work,
            doing=QCoreApplication.translate("RecordsPage", "saving"),
            on_done=self._saved,
            on_known_error=self._refused,
            on_finished=lambda: self.save_button.setEnabled(
                self.editing and self._editable and self._record_editable
            ),
        )

    def _saved(self, record_id: int) -> None:
        self.current_id = record_id
        self._select_after_load = record_id
        self._set_editing(True)  # a new record may now be archived
        self.saved_label.setText(QCoreApplication.translate("RecordsPage", "Saved."))
        self.saved_label.show()
        self.saved.emit(record_id)
        self.refresh()
        # Show it as stored (names tidied, what a new record now links to), keeping the message.
        self.desk.runner.run(
            self.load_work(record_id),
            doing=QCoreApplication.translate("RecordsPage", "opening a record"),
            on_done=self._reloaded,
        )

    def _reloaded(self, record: object) -> None:
        if self.editing and self.current_id is not None:
            self.show_record(record)

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, FormErrors | DomainError):
            self.show_problem(error)
            return True
        return False

    def show_problem(self, error: DomainError) -> None:
        """A refusal: each field's message beside it, the rest above the form."""
        formats = self.desk.formats()
        if isinstance(error, FormErrors):
            unplaced = self.fields.show_errors(field_texts(error, formats))
            text = " ".join(unplaced)
        else:
            text = error_text(error, formats)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _toggle_archived(self) -> None:
        if self.current_id is None or not self._editable:
            return
        record_id, archive = self.current_id, not self.current_archived
        self._clear_messages()

        def done(_result: object) -> None:
            self.current_archived = archive
            self._set_editing(True)
            self.refresh()

        self.desk.runner.run(
            self.archive_work(record_id, archive),
            doing=QCoreApplication.translate("RecordsPage", "archiving")
            if archive
            else QCoreApplication.translate("RecordsPage", "restoring"),
            on_done=done,
            on_known_error=self._refused,
        )
