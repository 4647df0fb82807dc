"""The back office's price list page: open a CSV file, see how each column will be read and
every row's problems, then import it all at once; or export the menu to a file.

Nothing is written until Import, and Import writes everything or nothing (the service refuses
while any row has an error). Reading and writing run on the database worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from frontdesk.domain.errors import DomainError
from frontdesk.domain.price_list import (
    EXPORT_COLUMNS,
    FILE_UNREADABLE,
    FILE_UNWRITABLE,
    PriceColumn,
    RowError,
    encoding_name,
)
from frontdesk.services.price_list import ImportRefused, ImportSummary, Preview
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.labels import label
from frontdesk.ui.widgets.plural import plural_s

ENCODINGS = ("auto", "utf-8", "gb18030", "cp1251")
IMPORT_KEY = QKeySequence("Ctrl+I")
EXPORT_KEY = QKeySequence("Ctrl+E")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise DomainError(FILE_UNREADABLE, file=path.name) from None


class PriceListPage(QWidget):
    """Import (with a column mapping preview and per-row errors) and export of the price list."""

    #: Emitted after an import was saved, with what it did.
    imported = Signal(object)
    #: Emitted after an export was written, with the file.
    exported = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.path: Path | None = None
        self.preview: Preview | None = None
        #: Asked for the file to open / the file to write (tests put their own in).
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[], Path | None] = self._ask_save_path
        self._data: bytes = b""
        self._build()
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(IMPORT_KEY, self, self.import_file)
        QShortcut(EXPORT_KEY, self, self.export_file)
        self._show_preview(None)

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        open_key = QKeySequence(QKeySequence.StandardKey.Open).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.open_button = QPushButton(self.tr("Open a price list…"))
        self.open_button.setObjectName("openPriceList")
        self.open_button.setToolTip(
            self.tr("Choose a CSV file of services and products ({key})").format(key=open_key)
        )
        self.file_label = QLabel()
        self.file_label.setObjectName("priceListFile")
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("priceListEncoding")
        for code in ENCODINGS:
            text = self.tr("Detect automatically") if code == "auto" else encoding_name(code)
            self.encoding_combo.addItem(text, code)
        self.encoding_combo.setToolTip(self.tr("The file's text encoding"))
        encoding_label = QLabel(self.tr("&Encoding:"))
        encoding_label.setBuddy(self.encoding_combo)
        self.export_button = QPushButton(self.tr("Export the price list…"))
        self.export_button.setObjectName("exportPriceList")
        self.export_button.setToolTip(
            self.tr("Write every service and product to a CSV file ({key})").format(
                key=EXPORT_KEY.toString(QKeySequence.SequenceFormat.NativeText)
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
                "reads: type (service or product), category, name, price, duration, buffer, tax, "
                "room kind, capacity, SKU, barcode, stock, low stock, ingredients and "
                "contraindications. Services need a name, price and duration; products a name, "
                "price and SKU. Nothing is saved until you import, and importing the same file "
                "again updates instead of adding twice."
            )
        )
        self.hint.setObjectName("priceListHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(style.NOTICE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("priceListSummary")
        self.summary_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("priceListProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(style.ERROR_TEXT)
        self.result_label = QLabel()
        self.result_label.setObjectName("priceListResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(style.SUCCESS_BANNER)
        self.result_label.hide()

        self.mapping_table = QTableWidget()
        self.mapping_table.setObjectName("priceListMapping")
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setToolTip(
            self.tr("Each column of the file and what it is read as; the first rows as read.")
        )
        self.errors_table = QTableWidget(0, 3)
        self.errors_table.setObjectName("priceListErrors")
        self.errors_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.errors_table.setHorizontalHeaderLabels(
            [self.tr("Line"), self.tr("Column"), self.tr("Problem")]
        )
        self.errors_table.verticalHeader().setVisible(False)
        header = self.errors_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.errors_table.setWordWrap(True)

        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importPriceList")
        self.import_button.setToolTip(
            self.tr("Add and update every row of the file, all or nothing ({key})").format(
                key=IMPORT_KEY.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem_label, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.import_button)

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

        self.open_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.export_file)
        self.import_button.clicked.connect(self.import_file)
        self.encoding_combo.activated.connect(lambda _i: self.read_again(keep_mapping=False))
        self.setTabOrder(self.open_button, self.encoding_combo)
        self.setTabOrder(self.encoding_combo, self.export_button)
        self.setTabOrder(self.export_button, self.mapping_table)
        self.setTabOrder(self.mapping_table, self.errors_table)
        self.setTabOrder(self.errors_table, self.import_button)

    # -- choosing and reading a file ------------------------------------------------------------

    def _ask_open_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a price list"),
            "",
            self.tr("CSV files (*.csv *.txt);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    def _ask_save_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the price list"),
            self.tr("price-list.csv"),
            self.tr("CSV files (*.csv)"),
        )
        return Path(chosen) if chosen else None

    def choose_file(self) -> None:
        path = self.ask_open_path()
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Read `path` and show how it will be imported (the encoding detected again)."""
        self.path = path
        self.file_label.setText(path.name)
        self.encoding_combo.setCurrentIndex(0)
        self.result_label.hide()
        self._data = b""
        self.read_again(keep_mapping=False)

    def encoding(self) -> str:
        return str(self.encoding_combo.currentData())

    def mapping(self) -> tuple[PriceColumn | None, ...]:
        """What each file column is read as, as the combos say now."""
        chosen: list[PriceColumn | None] = []
        for column in range(self.mapping_table.columnCount()):
            combo = self.mapping_table.cellWidget(0, column)
            value = combo.currentData() if isinstance(combo, QComboBox) else None
            chosen.append(PriceColumn(value) if value else None)
        return tuple(chosen)

    def read_again(self, *, keep_mapping: bool = True) -> None:
        """Preview the file with the chosen encoding (and mapping, when kept)."""
        path = self.path
        if path is None:
            return
        services, user = self.desk.services, self.desk.user
        encoding = self.encoding()
        mapping = self.mapping() if keep_mapping and self.preview is not None else None
        category = self.default_category()
        data = self._data

        def work() -> tuple[bytes, Preview]:
            raw = data or _read(path)
            found = services.price_list.preview(
                raw, user, encoding=encoding, mapping=mapping, default_category=category
            )
            return raw, found

        def done(result: tuple[bytes, Preview]) -> None:
            self._data = result[0]
            self._show_preview(result[1])

        self.desk.runner.run(
            work,
            doing=self.tr("reading a price list"),
            on_done=done,
            on_known_error=self._unreadable,
            progress=self.tr("Reading the price list…"),
        )

    def default_category(self) -> str:
        """The category of services whose row names none."""
        return self.tr("Services")

    def _unreadable(self, error: BaseException) -> bool:
        if not isinstance(error, DomainError):
            return False
        self._show_preview(None, keep_hint=False)
        self.problem_label.setText(error_text(error, self.desk.formats()))
        self.problem_label.show()
        return True

    # -- showing what the file says -----------------------------------------------------------

    def _show_preview(self, preview: Preview | None, *, keep_hint: bool = True) -> None:
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
        self.summary_label.setText(self._summary(preview))
        if preview.errors:
            self.problem_label.setText(self._refusal(len(preview.errors)))
            self.problem_label.show()

    def _summary(self, preview: Preview) -> str:
        read_as = self.tr("Read as {encoding}.").format(encoding=encoding_name(preview.encoding))
        rows = plural_s(self.tr("%n row(s)", "", preview.rows), preview.rows)
        parts = self._counts(
            (
                (self.tr("%n service(s) to add", "", preview.services_new), preview.services_new),
                (
                    self.tr("%n service(s) to update", "", preview.services_updated),
                    preview.services_updated,
                ),
                (self.tr("%n product(s) to add", "", preview.products_new), preview.products_new),
                (
                    self.tr("%n product(s) to update", "", preview.products_updated),
                    preview.products_updated,
                ),
                (self.tr("%n unchanged", "", preview.unchanged), preview.unchanged),
            )
        )
        return self.tr("{read_as} {rows}: {parts}.").format(
            read_as=read_as, rows=rows, parts=parts or self.tr("nothing to import")
        )

    def _counts(self, counts: Sequence[tuple[str, int]]) -> str:
        return self.tr(", ").join(plural_s(text, n) for text, n in counts if n)

    def _refusal(self, count: int) -> str:
        text = self.tr(
            "%n problem(s) to correct in the file; nothing is imported until they are gone.",
            "",
            count,
        )
        return plural_s(text, count)

    def _fill_mapping(self, preview: Preview) -> None:
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
            for field in EXPORT_COLUMNS:
                combo.addItem(label(field), field.value)
            combo.setCurrentIndex(max(0, combo.findData(chosen.value if chosen else "")))
            combo.setToolTip(
                self.tr("What the column “{header}” is read as").format(
                    header=preview.headers[column]
                )
            )
            combo.activated.connect(lambda _i: self.read_again(keep_mapping=True))
            table.setCellWidget(0, column, combo)
        for row, (_line, cells) in enumerate(preview.sample, start=1):
            for column in range(len(preview.headers)):
                text = cells[column] if column < len(cells) else ""
                item = QTableWidgetItem(text)
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
        """The errors as shown: line, column, problem."""
        table = self.errors_table
        return [
            tuple(getattr(table.item(r, c), "text", str)() for c in range(3))
            for r in range(table.rowCount())
        ]

    # -- importing and exporting --------------------------------------------------------------

    def import_file(self) -> None:
        preview = self.preview
        if preview is None or not self.import_button.isEnabled():
            return
        if preview.errors:
            self.problem_label.setText(self._refusal(len(preview.errors)))
            self.problem_label.show()
            return
        services, user, data = self.desk.services, self.desk.user, self._data
        encoding, mapping, category = self.encoding(), self.mapping(), self.default_category()
        self.import_button.setEnabled(False)

        def work() -> ImportSummary:
            return services.price_list.import_rows(
                data, user, encoding=encoding, mapping=mapping, default_category=category
            )

        self.desk.runner.run(
            work,
            doing=self.tr("importing a price list"),
            on_done=self._imported,
            on_known_error=self._import_refused,
            on_finished=lambda: self.import_button.setEnabled(self.preview is not None),
            progress=self.tr("Importing the price list…"),
        )

    def _imported(self, summary: ImportSummary) -> None:
        parts = self._counts(
            (
                (
                    self.tr("%n service(s) added", "", summary.services_added),
                    summary.services_added,
                ),
                (
                    self.tr("%n service(s) updated", "", summary.services_updated),
                    summary.services_updated,
                ),
                (
                    self.tr("%n product(s) added", "", summary.products_added),
                    summary.products_added,
                ),
                (
                    self.tr("%n product(s) updated", "", summary.products_updated),
                    summary.products_updated,
                ),
                (self.tr("%n unchanged", "", summary.unchanged), summary.unchanged),
            )
        )
        self.result_label.setText(
            self.tr("Imported: {parts}.").format(parts=parts or self.tr("nothing to change"))
        )
        self.result_label.show()
        self.imported.emit(summary)
        self.read_again(keep_mapping=True)  # the same file now reads as unchanged

    def _import_refused(self, error: BaseException) -> bool:
        if isinstance(error, ImportRefused):
            self._fill_errors(error.errors)
            self.errors_table.show()
            self.problem_label.setText(error_text(error, self.desk.formats()))
            self.problem_label.show()
            return True
        if isinstance(error, DomainError):
            self.problem_label.setText(error_text(error, self.desk.formats()))
            self.problem_label.show()
            return True
        return False

    def export_file(self) -> None:
        path = self.ask_save_path()
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".csv")
        services, user = self.desk.services, self.desk.user
        language = self.desk.language or None

        def work() -> Path:
            data = services.price_list.export(user, language=language)
            try:
                path.write_bytes(data)
            except OSError:
                raise DomainError(FILE_UNWRITABLE, file=path.name) from None
            return path

        def done(written: Path) -> None:
            self.result_label.setText(
                self.tr("The price list was written to {file}.").format(file=str(written))
            )
            self.result_label.show()
            self.exported.emit(written)

        self.desk.runner.run(
            work,
            doing=self.tr("exporting the price list"),
            on_done=done,
            on_known_error=self._import_refused,
            progress=self.tr("Writing the price list…"),
        )
