"""One panel for a CSV import and export: open a file, see how each column will be read and every
row's problems, then import it all at once; or export everything to a file.

The clients' import dialog and the back office's price list page both show it. Each hands it
what differs: its object names and words (`CsvNames`, `CsvTexts`), and itself as a `CsvScreen`
(the fields a column can be read as, the service calls, the counts its sentences report).
Each screen keeps the names its callers and tests know (`CsvPanelHost`).

Nothing is written until Import, and Import writes everything or nothing (the services refuse
while any row has an error). Reading and writing run on the database worker: the screen's
`*_work` methods are called on the GUI thread and hand back the work to run there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, cast

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
from frontdesk.domain.price_list import FILE_UNREADABLE, FILE_UNWRITABLE, RowError, encoding_name
from frontdesk.domain.roles import Permission
from frontdesk.services.price_list import ImportRefused
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.widgets.plural import plural_s

ENCODINGS = ("auto", "utf-8", "gb18030", "cp1251")
IMPORT_KEY = QKeySequence("Ctrl+I")
EXPORT_KEY = QKeySequence("Ctrl+E")


class CsvPreview(Protocol):
    """What a service's preview of a file tells (both previews have these)."""

    @property
    def encoding(self) -> str: ...
    @property
    def headers(self) -> tuple[str, ...]: ...
    @property
    def mapping(self) -> Sequence[StrEnum | None]: ...
    @property
    def sample(self) -> tuple[tuple[int, tuple[str, ...]], ...]: ...
    @property
    def errors(self) -> tuple[RowError, ...]: ...
    @property
    def rows(self) -> int: ...


C = TypeVar("C", bound=StrEnum)
P = TypeVar("P", bound=CsvPreview)
R = TypeVar("R")
T = TypeVar("T")


class CsvScreen(Protocol[C, P, R]):
    """What a screen showing the panel adds: its fields, its service calls, its sentences."""

    def column_choices(self) -> Sequence[tuple[C, str]]:
        """Every field a file column can be read as, with its label, in the combos' order."""

    def preview_work(
        self, encoding: str, mapping: tuple[C | None, ...] | None
    ) -> Callable[[bytes], P]:
        """The work reading a file's bytes (encoding "auto" to detect; mapping None to guess)."""

    def import_work(self, encoding: str, mapping: tuple[C | None, ...]) -> Callable[[bytes], R]:
        """The work importing a file's bytes, all or nothing."""

    def export_work(self) -> Callable[[], bytes]:
        """The work writing everything as a CSV file's bytes."""

    def preview_counts(self, preview: P) -> Sequence[tuple[str, int]]:
        """What importing would do, as (`%n` text, number) pairs: "%n client(s) to add"."""

    def import_counts(self, result: R) -> Sequence[tuple[str, int]]:
        """What an import did, as (`%n` text, number) pairs: "%n client(s) added"."""

    def exported_text(self, path: Path) -> str:
        """The banner after an export to `path`."""


@dataclass(frozen=True)
class CsvNames:
    """Object names (tests and style sheets find the widgets by them)."""

    #: Prefix of the file label, encoding, hint, summary, problem, result, mapping and errors.
    prefix: str
    open: str
    export: str
    import_: str


@dataclass(frozen=True)
class CsvTexts:
    """The screen's own words, translated in its own context; `{key}` is the shortcut. The file
    dialogs are titled like the buttons that open them; `hint` (the columns read, what an
    import updates) follows the panel's own (the encodings, all or nothing)."""

    open_button: str
    open_tip: str
    hint: str
    export_button: str
    export_tip: str
    save_name: str
    import_tip: str


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise DomainError(FILE_UNREADABLE, file=path.name) from None


def _fit_to_choice(combo: QComboBox) -> None:
    """As wide as its chosen label, not its longest one: each column of the mapping is as wide
    as its own header, cells and reading (the open list still shows every label whole)."""
    metrics = combo.fontMetrics()
    wide = metrics.horizontalAdvance(combo.currentText()) / max(1, metrics.horizontalAdvance("x"))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(math.ceil(wide))


def _title(button: str) -> str:
    """A dialog's title from the button that opens it: "Open a price list…" without the dots."""
    return button.replace("&", "").rstrip("…. ")


class CsvImportPanel(QWidget, Generic[C, P, R]):
    """Import (with a column mapping preview and per-row errors) and export of one CSV file."""

    #: Emitted after an import was saved, with what it did.
    imported = Signal(object)
    #: Emitted after an export was written, with the file.
    exported = Signal(object)

    def __init__(
        self,
        desk: Desk,
        parts: CsvScreen[C, P, R],
        names: CsvNames,
        texts: CsvTexts,
        *,
        permission: Permission | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.parts = parts
        self.texts = texts
        self.path: Path | None = None
        self.preview: P | None = None
        #: Asked for the file to open / the file to write (tests put their own in).
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self.ask_save_path: Callable[[], Path | None] = self._ask_save_path
        self._data = b""
        self._fields = {field.value: field for field, _label in parts.column_choices()}
        self._build(names)
        allowed = permission is None or desk.user.can(permission)
        self.open_button.setEnabled(allowed)
        self.export_button.setEnabled(allowed)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(IMPORT_KEY, self, self.import_file)
        QShortcut(EXPORT_KEY, self, self.export_file)
        self._show_preview(None)

    # -- building ----------------------------------------------------------------------------

    def _build(self, names: CsvNames) -> None:
        texts, native = self.texts, QKeySequence.SequenceFormat.NativeText
        open_key = QKeySequence(QKeySequence.StandardKey.Open).toString(native)
        self.open_button = QPushButton(texts.open_button)
        self.open_button.setObjectName(names.open)
        self.open_button.setToolTip(texts.open_tip.format(key=open_key))
        self.file_label = QLabel()
        self.file_label.setObjectName(f"{names.prefix}File")
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName(f"{names.prefix}Encoding")
        for code in ENCODINGS:
            text = self.tr("Detect automatically") if code == "auto" else encoding_name(code)
            self.encoding_combo.addItem(text, code)
        self.encoding_combo.setToolTip(self.tr("The file's text encoding"))
        encoding_label = QLabel(self.tr("&Encoding:"))
        encoding_label.setBuddy(self.encoding_combo)
        self.export_button = QPushButton(texts.export_button)
        self.export_button.setObjectName(names.export)
        self.export_button.setToolTip(texts.export_tip.format(key=EXPORT_KEY.toString(native)))
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(encoding_label)
        top.addWidget(self.encoding_combo)
        top.addWidget(self.export_button)

        self.hint = QLabel(
            self.tr(
                "Open a CSV file (UTF-8, GB18030 or Windows-1251) with a header row. Nothing is "
                "saved until you import, and an import saves every row or none."
            )
            + "\n"
            + texts.hint
        )
        self.hint.setObjectName(f"{names.prefix}Hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(style.NOTICE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.summary_label = QLabel()
        self.summary_label.setObjectName(f"{names.prefix}Summary")
        self.summary_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName(f"{names.prefix}Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(style.ERROR_TEXT)
        self.result_label = QLabel()
        self.result_label.setObjectName(f"{names.prefix}Result")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(style.SUCCESS_BANNER)
        self.result_label.hide()

        self.mapping_table = QTableWidget()
        self.mapping_table.setObjectName(f"{names.prefix}Mapping")
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setToolTip(
            self.tr("Each column of the file and what it is read as; the first rows as read.")
        )
        self.errors_table = QTableWidget(0, 3)
        self.errors_table.setObjectName(f"{names.prefix}Errors")
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
        self.import_button.setObjectName(names.import_)
        self.import_button.setToolTip(texts.import_tip.format(key=IMPORT_KEY.toString(native)))
        self.bottom = QHBoxLayout()
        self.bottom.addWidget(self.problem_label, 1)
        self.bottom.addStretch(0)
        self.bottom.addWidget(self.import_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.mapping_table)
        self.splitter.addWidget(self.errors_table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        layout.addStretch(0)  # takes the room when a file could not be read (both are hidden)
        layout.addLayout(self.bottom)

        self.open_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.export_file)
        self.import_button.clicked.connect(self.import_file)
        self.encoding_combo.activated.connect(lambda _i: self.read_again(keep_mapping=False))
        self.setTabOrder(self.open_button, self.encoding_combo)
        self.setTabOrder(self.encoding_combo, self.export_button)
        self.setTabOrder(self.export_button, self.mapping_table)
        self.setTabOrder(self.mapping_table, self.errors_table)
        self.setTabOrder(self.errors_table, self.import_button)

    def add_button(self, button: QPushButton) -> None:
        """Put a screen's own button (a dialog's Close) after Import."""
        self.bottom.addWidget(button)

    # -- choosing and reading a file ------------------------------------------------------------

    def _ask_open_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _title(self.texts.open_button),
            "",
            self.tr("CSV files (*.csv *.txt);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    def _ask_save_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _title(self.texts.export_button),
            self.texts.save_name,
            self.tr("CSV files (*.csv)"),
        )
        return Path(chosen) if chosen else None

    def choose_file(self) -> None:
        if not self.open_button.isEnabled():
            return
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
        """The chosen encoding, or "auto" to detect it."""
        return str(self.encoding_combo.currentData())

    def mapping(self) -> tuple[C | None, ...]:
        """What each file column is read as, as the combos say now."""
        chosen: list[C | None] = []
        for column in range(self.mapping_table.columnCount()):
            combo = self.mapping_table.cellWidget(0, column)
            value = combo.currentData() if isinstance(combo, QComboBox) else None
            chosen.append(self._fields.get(value) if value else None)
        return tuple(chosen)

    def read_again(self, *, keep_mapping: bool = True) -> None:
        """Preview the file with the chosen encoding (and mapping, when kept)."""
        path = self.path
        if path is None:
            return
        mapping = self.mapping() if keep_mapping and self.preview is not None else None
        data = self._data
        preview = self.parts.preview_work(self.encoding(), mapping)

        def work() -> tuple[bytes, P]:
            raw = data or _read(path)
            return raw, preview(raw)

        def done(result: tuple[bytes, P]) -> None:
            self._data = result[0]
            self._show_preview(result[1])

        self.desk.runner.run(
            work,
            doing=self.tr("reading {file}").format(file=path.name),
            on_done=done,
            on_known_error=self._unreadable,
            progress=self.tr("Reading {file}…").format(file=path.name),
        )

    def _unreadable(self, error: BaseException) -> bool:
        if not isinstance(error, DomainError):
            return False
        self._show_preview(None, keep_hint=False)
        self._show_problem(error_text(error, self.desk.formats()))
        return True

    # -- showing what the file says -----------------------------------------------------------

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _show_preview(self, preview: P | None, *, keep_hint: bool = True) -> None:
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
        rows = plural_s(self.tr("%n row(s)", "", preview.rows), preview.rows)
        parts = self._counts(self.parts.preview_counts(preview)) or self.tr("nothing to import")
        self.summary_label.setText(
            self.tr("{read_as} {rows}: {parts}.").format(read_as=read_as, rows=rows, parts=parts)
        )
        if preview.errors:
            self._show_problem(self._refusal(len(preview.errors)))

    def _counts(self, counts: Sequence[tuple[str, int]]) -> str:
        """'2 clients to add, 1 client to update': each `%n` text whose number is not 0."""
        return self.tr(", ").join(plural_s(text, n) for text, n in counts if n)

    def _refusal(self, count: int) -> str:
        text = self.tr(
            "%n problem(s) to correct in the file; nothing is imported until they are gone.",
            "",
            count,
        )
        return plural_s(text, count)

    def _fill_mapping(self, preview: P) -> None:
        table = self.mapping_table
        table.clear()
        table.setColumnCount(len(preview.headers))
        table.setRowCount(1 + len(preview.sample))
        table.setHorizontalHeaderLabels(list(preview.headers))
        table.setVerticalHeaderLabels(
            [self.tr("Read as")] + [str(line) for line, _cells in preview.sample]
        )
        choices = self.parts.column_choices()
        for column, chosen in enumerate(preview.mapping):
            combo = QComboBox()
            combo.setObjectName(f"mapColumn{column}")
            combo.addItem(self.tr("(not imported)"), "")
            for field, text in choices:
                combo.addItem(text, field.value)
            combo.setCurrentIndex(max(0, combo.findData(chosen.value if chosen else "")))
            combo.setToolTip(
                self.tr("What the column “{header}” is read as").format(
                    header=preview.headers[column]
                )
            )
            _fit_to_choice(combo)
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
            self._show_problem(self._refusal(len(preview.errors)))
            return
        data, run_import = self._data, self.parts.import_work(self.encoding(), self.mapping())
        name = self.path.name if self.path else ""
        self.import_button.setEnabled(False)
        self.desk.runner.run(
            lambda: run_import(data),
            doing=self.tr("importing {file}").format(file=name),
            on_done=self._imported,
            on_known_error=self._refused,
            on_finished=lambda: self.import_button.setEnabled(self.preview is not None),
            progress=self.tr("Importing {file}…").format(file=name),
        )

    def _imported(self, result: R) -> None:
        parts = self._counts(self.parts.import_counts(result)) or self.tr("nothing to change")
        self.result_label.setText(self.tr("Imported: {parts}.").format(parts=parts))
        self.result_label.show()
        self.imported.emit(result)
        self.read_again(keep_mapping=True)  # the same file now reads as updates or unchanged

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, ImportRefused):
            self._fill_errors(error.errors)
            self.errors_table.show()
        if isinstance(error, DomainError):
            self._show_problem(error_text(error, self.desk.formats()))
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
        export = self.parts.export_work()

        def work() -> Path:
            data = export()
            try:
                path.write_bytes(data)
            except OSError:
                raise DomainError(FILE_UNWRITABLE, file=path.name) from None
            return path

        def done(written: Path) -> None:
            self.result_label.setText(self.parts.exported_text(written))
            self.result_label.show()
            self.exported.emit(written)

        self.desk.runner.run(
            work,
            doing=self.tr("writing {file}").format(file=path.name),
            on_done=done,
            on_known_error=self._refused,
            progress=self.tr("Writing {file}…").format(file=path.name),
        )


class _OfPanel(Generic[T]):
    """A host's attribute that is its panel's attribute of the same name (read and set)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, host: Any, owner: type | None = None) -> T:
        if host is None:
            return cast(T, self)
        return cast(T, getattr(host.panel, self._name))

    def __set__(self, host: Any, value: T) -> None:
        setattr(host.panel, self._name, value)


class CsvPanelHost:
    """A screen built around a `CsvImportPanel` (as `self.panel`): the panel's parts that its
    callers and tests use, under the screen's own name."""

    panel: CsvImportPanel[Any, Any, Any]

    path: _OfPanel[Path | None] = _OfPanel()
    ask_open_path: _OfPanel[Callable[[], Path | None]] = _OfPanel()
    ask_save_path: _OfPanel[Callable[[], Path | None]] = _OfPanel()
    exported: _OfPanel[Any] = _OfPanel()
    open_button: _OfPanel[QPushButton] = _OfPanel()
    import_button: _OfPanel[QPushButton] = _OfPanel()
    encoding_combo: _OfPanel[QComboBox] = _OfPanel()
    hint: _OfPanel[QLabel] = _OfPanel()
    summary_label: _OfPanel[QLabel] = _OfPanel()
    problem_label: _OfPanel[QLabel] = _OfPanel()
    result_label: _OfPanel[QLabel] = _OfPanel()
    mapping_table: _OfPanel[QTableWidget] = _OfPanel()
    open_file: _OfPanel[Callable[[Path], None]] = _OfPanel()
    mapping: _OfPanel[Callable[[], tuple[Any, ...]]] = _OfPanel()
    error_rows: _OfPanel[Callable[[], list[tuple[str, ...]]]] = _OfPanel()

    def hold_panel(
        self, desk: Desk, names: CsvNames, texts: CsvTexts, permission: Permission
    ) -> None:
        """Build the panel with this screen's parts (self is its `CsvScreen`) and fill the
        screen with it."""
        host = cast(QWidget, self)
        self.panel = CsvImportPanel(
            desk,
            cast(CsvScreen[Any, Any, Any], self),
            names,
            texts,
            permission=permission,
            parent=host,
        )
        QVBoxLayout(host).addWidget(self.panel)
