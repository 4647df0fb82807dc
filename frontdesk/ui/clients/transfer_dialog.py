"""Import and export of clients: open a CSV file, see how each column will be read and every
row's problems, then import it all at once; or export every client to a file.

Nothing is written until Import, and Import writes everything or nothing. Reading and writing
run on the database worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.client_file import ClientColumn, RowError, encoding_name
from frontdesk.domain.errors import DomainError
from frontdesk.domain.price_list import FILE_UNREADABLE, FILE_UNWRITABLE
from frontdesk.domain.roles import Permission
from frontdesk.services.client_transfer import ImportPreview, ImportRefused, ImportResult
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.widgets.plural import plural_s

ENCODINGS = ("auto", "utf-8", "gb18030", "cp1251")
IMPORT_KEY = QKeySequence("Ctrl+I")
EXPORT_KEY = QKeySequence("Ctrl+E")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise DomainError(FILE_UNREADABLE, file=path.name) from None


class ClientTransferDialog(QDialog):
    """Import (with a column mapping preview and per-row errors) and export of clients."""

    imported = Signal(object)
    exported = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[], Path | None] = self._ask_save_path
        self._data = b""
        self.setWindowTitle(self.tr("Import and export clients"))
        self.resize(860, 560)
        self._build()
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(IMPORT_KEY, self, self.import_file)
        QShortcut(EXPORT_KEY, self, self.export_file)
        self._show_preview(None)

    def column_label(self, column: ClientColumn) -> str:
        return {
            ClientColumn.NAME: self.tr("Full name"),
            ClientColumn.FIRST_NAME: self.tr("First name"),
            ClientColumn.LAST_NAME: self.tr("Last name"),
            ClientColumn.PHONE: self.tr("Phone"),
            ClientColumn.EMAIL: self.tr("E-mail"),
            ClientColumn.BIRTHDAY: self.tr("Birthday"),
            ClientColumn.CARD: self.tr("Card number"),
            ClientColumn.VISITS: self.tr("Past visits"),
            ClientColumn.MARKETING_CONSENT: self.tr("Marketing consent"),
            ClientColumn.HEALTH_CONSENT: self.tr("Health data consent"),
            ClientColumn.ALLERGIES: self.tr("Allergies"),
            ClientColumn.PREFERENCES: self.tr("Preferences"),
            ClientColumn.NOTES: self.tr("Notes"),
        }[column]

    def _build(self) -> None:
        native = QKeySequence.SequenceFormat.NativeText
        open_key = QKeySequence(QKeySequence.StandardKey.Open).toString(native)
        self.open_button = QPushButton(self.tr("Open a client list…"))
        self.open_button.setObjectName("openClientList")
        self.open_button.setToolTip(
            self.tr("Choose a CSV file of clients ({key})").format(key=open_key)
        )
        self.file_label = QLabel()
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("clientListEncoding")
        for code in ENCODINGS:
            text = self.tr("Detect automatically") if code == "auto" else encoding_name(code)
            self.encoding_combo.addItem(text, code)
        self.encoding_combo.setToolTip(self.tr("The file's text encoding"))
        encoding_label = QLabel(self.tr("&Encoding:"))
        encoding_label.setBuddy(self.encoding_combo)
        self.export_button = QPushButton(self.tr("Export all clients…"))
        self.export_button.setObjectName("exportClients")
        self.export_button.setToolTip(
            self.tr("Write every client to a CSV file ({key})").format(
                key=EXPORT_KEY.toString(native)
            )
        )
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(encoding_label)
        top.addWidget(self.encoding_combo)
        top.addWidget(self.export_button)

        self.hint = QLabel(
            self.tr(
                "Open a CSV file (UTF-8, GB18030 or Windows-1251) with a header row. Columns it "
                "reads: name (or first and last name), phone, e-mail, birthday, card number, "
                "past visits, marketing consent, health data consent, allergies, preferences "
                "(topic: value) and notes. Nothing is saved until you import; a client already "
                "here (same card, phone or e-mail) is updated, not added twice. Allergies are "
                "kept only for clients whose health data consent says yes."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(style.NOTICE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("clientListSummary")
        self.summary_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("clientListProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(style.ERROR_TEXT)
        self.result_label = QLabel()
        self.result_label.setObjectName("clientListResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(style.SUCCESS_BANNER)
        self.result_label.hide()

        self.mapping_table = QTableWidget()
        self.mapping_table.setObjectName("clientListMapping")
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setToolTip(
            self.tr("Each column of the file and what it is read as; the first rows as read.")
        )
        self.errors_table = QTableWidget(0, 3)
        self.errors_table.setObjectName("clientListErrors")
        self.errors_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_table.setHorizontalHeaderLabels(
            [self.tr("Line"), self.tr("Column"), self.tr("Problem")]
        )
        self.errors_table.verticalHeader().setVisible(False)
        header = self.errors_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importClients")
        self.import_button.setToolTip(
            self.tr("Add and update every client of the file, all or nothing ({key})").format(
                key=IMPORT_KEY.toString(native)
            )
        )
        self.close_button = QPushButton(self.tr("Close"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem_label, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.close_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.mapping_table)
        self.splitter.addWidget(self.errors_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        can_import = self.desk.user.can(Permission.TRANSFER_CLIENTS)
        self.open_button.setEnabled(can_import)
        self.export_button.setEnabled(can_import)
        self.open_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.export_file)
        self.import_button.clicked.connect(self.import_file)
        self.close_button.clicked.connect(self.reject)
        self.encoding_combo.activated.connect(lambda _i: self.read_again(keep_mapping=False))

    # -- reading a file ------------------------------------------------------------------------

    def _ask_open_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a client list"),
            "",
            self.tr("CSV files (*.csv *.txt);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    def _ask_save_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export all clients"),
            self.tr("clients.csv"),
            self.tr("CSV files (*.csv)"),
        )
        return Path(chosen) if chosen else None

    def choose_file(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(path.name)
        self.encoding_combo.setCurrentIndex(0)
        self.result_label.hide()
        self._data = b""
        self.read_again(keep_mapping=False)

    def encoding(self) -> str | None:
        code = str(self.encoding_combo.currentData())
        return None if code == "auto" else code

    def mapping(self) -> tuple[ClientColumn | None, ...]:
        chosen: list[ClientColumn | None] = []
        for column in range(self.mapping_table.columnCount()):
            combo = self.mapping_table.cellWidget(0, column)
            value = combo.currentData() if isinstance(combo, QComboBox) else None
            chosen.append(ClientColumn(value) if value else None)
        return tuple(chosen)

    def read_again(self, *, keep_mapping: bool = True) -> None:
        path = self.path
        if path is None:
            return
        services, user = self.desk.services, self.desk.user
        encoding = self.encoding()
        mapping = self.mapping() if keep_mapping and self.preview is not None else None
        data = self._data

        def work() -> tuple[bytes, ImportPreview]:
            raw = data or _read(path)
            return raw, services.client_transfer.preview_import(
                raw, user, encoding=encoding, mapping=mapping
            )

        def done(result: tuple[bytes, ImportPreview]) -> None:
            self._data = result[0]
            self._show_preview(result[1])

        self.desk.runner.run(
            work,
            doing=self.tr("reading a client list"),
            on_done=done,
            on_known_error=self._unreadable,
            progress=self.tr("Reading the client list…"),
        )

    def _unreadable(self, error: BaseException) -> bool:
        if not isinstance(error, DomainError):
            return False
        self._show_preview(None, keep_hint=False)
        self.problem_label.setText(error_text(error, self.desk.formats()))
        self.problem_label.show()
        return True

    def _show_preview(self, preview: ImportPreview | None, *, keep_hint: bool = True) -> None:
        self.preview = preview
        has_file = preview is not None
        self.hint.setVisible(not has_file and keep_hint)
        self.splitter.setVisible(has_file)
        self.summary_label.setVisible(has_file)
        self.problem_label.setVisible(False)
        self.import_button.setEnabled(has_file)
        if preview is None:
            self.mapping_table.clear()
            self.mapping_table.setColumnCount(0)
            self.mapping_table.setRowCount(0)
            self.errors_table.setRowCount(0)
            return
        self._fill_mapping(preview)
        self._fill_errors(preview.errors)
        read_as = self.tr("Read as {encoding}.").format(encoding=encoding_name(preview.encoding))
        counts = (
            (self.tr("%n client(s) to add", "", preview.new), preview.new),
            (self.tr("%n client(s) to update", "", preview.updated), preview.updated),
        )
        parts = ", ".join(plural_s(text, n) for text, n in counts if n)
        self.summary_label.setText(
            self.tr("{read_as} {parts}.").format(
                read_as=read_as, parts=parts or self.tr("nothing to import")
            )
        )
        if preview.errors:
            self.problem_label.setText(self._refusal(len(preview.errors)))
            self.problem_label.show()

    def _refusal(self, count: int) -> str:
        text = self.tr(
            "%n problem(s) to correct in the file; nothing is imported until they are gone.",
            "",
            count,
        )
        return plural_s(text, count)

    def _fill_mapping(self, preview: ImportPreview) -> None:
        table = self.mapping_table
        table.clear()
        table.setColumnCount(len(preview.headers))
        table.setRowCount(1 + len(preview.sample))
        table.setHorizontalHeaderLabels(list(preview.headers))
        table.setVerticalHeaderLabels(
            [self.tr("Read as")] + [str(line) for line, _cells in preview.sample]
        )
        for column, chosen in enumerate(preview.mapping):
            combo = QComboBox()
            combo.setObjectName(f"mapColumn{column}")
            combo.addItem(self.tr("(not imported)"), "")
            for field in ClientColumn:
                combo.addItem(self.column_label(field), field.value)
            combo.setCurrentIndex(max(0, combo.findData(chosen.value if chosen else "")))
            combo.activated.connect(lambda _i: self.read_again(keep_mapping=True))
            table.setCellWidget(0, column, combo)
        for row, (_line, cells) in enumerate(preview.sample, start=1):
            for column in range(len(preview.headers)):
                item = QTableWidgetItem(cells[column] if column < len(cells) else "")
                if preview.mapping[column] is None:
                    item.setForeground(Qt.GlobalColor.gray)
                table.setItem(row, column, item)
        table.resizeColumnsToContents()

    def _fill_errors(self, errors: Sequence[RowError]) -> None:
        formats = self.desk.formats()
        table = self.errors_table
        table.setRowCount(len(errors))
        for row, problem in enumerate(errors):
            line = str(problem.line) if problem.line else self.tr("file")
            for column, text in enumerate(
                (line, problem.column, error_text(problem.error, formats))
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeRowsToContents()
        table.setVisible(bool(errors))

    def error_rows(self) -> list[tuple[str, ...]]:
        table = self.errors_table
        return [
            tuple(getattr(table.item(r, c), "text", str)() for c in range(3))
            for r in range(table.rowCount())
        ]

    # -- importing and exporting ---------------------------------------------------------------

    def import_file(self) -> None:
        preview = self.preview
        if preview is None or not self.import_button.isEnabled():
            return
        if preview.errors:
            self.problem_label.setText(self._refusal(len(preview.errors)))
            self.problem_label.show()
            return
        services, user, data = self.desk.services, self.desk.user, self._data
        encoding, mapping = self.encoding(), self.mapping()
        self.import_button.setEnabled(False)

        def work() -> ImportResult:
            return services.client_transfer.import_clients(data, mapping, user, encoding=encoding)

        self.desk.runner.run(
            work,
            doing=self.tr("importing clients"),
            on_done=self._imported,
            on_known_error=self._import_refused,
            on_finished=lambda: self.import_button.setEnabled(self.preview is not None),
            progress=self.tr("Importing clients…"),
        )

    def _imported(self, result: ImportResult) -> None:
        counts = (
            (self.tr("%n client(s) added", "", result.added), result.added),
            (self.tr("%n client(s) updated", "", result.updated), result.updated),
        )
        parts = ", ".join(plural_s(text, n) for text, n in counts if n)
        self.result_label.setText(self.tr("Imported: {parts}.").format(parts=parts))
        self.result_label.show()
        self.imported.emit(result)
        self.read_again(keep_mapping=True)

    def _import_refused(self, error: BaseException) -> bool:
        if isinstance(error, ImportRefused):
            self._fill_errors(error.errors)
            self.errors_table.show()
        if isinstance(error, DomainError):
            self.problem_label.setText(error_text(error, self.desk.formats()))
            self.problem_label.show()
            return True
        return False

    def export_file(self) -> None:
        if not self.export_button.isEnabled():
            return
        path = self.ask_save_path()
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".csv")
        services, user = self.desk.services, self.desk.user

        def work() -> Path:
            data = services.client_transfer.export_csv(user)
            try:
                path.write_bytes(data)
            except OSError:
                raise DomainError(FILE_UNWRITABLE, file=path.name) from None
            return path

        def done(written: Path) -> None:
            self.result_label.setText(
                self.tr("Clients written to {file}.").format(file=written.name)
            )
            self.result_label.show()
            self.exported.emit(written)

        self.desk.runner.run(
            work,
            doing=self.tr("exporting clients"),
            on_done=done,
            on_known_error=self._import_refused,
            progress=self.tr("Exporting clients…"),
        )
