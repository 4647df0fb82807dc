"""The back office's "Health data key" page (the owner's): where the key that seals health data
is kept, exporting it to a file or a page to print (QR code and text), and restoring it on
another computer from a file or typed from the printed page.

Export and restore run on the database worker; the key itself never appears on screen except
in what the owner types or pastes to restore it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import DomainError
from frontdesk.services.health_vault import VaultStatus
from frontdesk.ui import style
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.widgets.health_key_status import HealthKeyStatus
from printing.key_sheet import KeySheetWords

EXPORT_KEY = QKeySequence("Ctrl+E")
PRINT_KEY = QKeySequence("Ctrl+P")
RESTORE_KEY = QKeySequence("Ctrl+R")


def _native(key: QKeySequence) -> str:
    return key.toString(QKeySequence.SequenceFormat.NativeText)


class HealthKeyPage(QWidget):
    """Key status, export (file, PDF) and restore (file or typed text)."""

    #: Emitted after a file was written, with its path.
    exported = Signal(object)
    #: Emitted after the key was restored.
    restored = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.keys = desk.services.health_key
        #: Asked for files (tests put their own in).
        self.ask_save_path: Callable[[str, str, str], Path | None] = self._ask_save_path
        self.ask_open_path: Callable[[], Path | None] = self._ask_open_path
        self._build()
        QShortcut(EXPORT_KEY, self, self.export_file)
        QShortcut(PRINT_KEY, self, self.export_pdf)
        QShortcut(RESTORE_KEY, self, self.restore_typed)
        QShortcut(QKeySequence.StandardKey.Open, self, self.restore_from_file)
        self.show_status(self.keys.status)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Health data key"))
        title.setStyleSheet(style.TITLE)
        intro = QLabel(
            self.tr(
                "Allergies, contraindications, patch tests and treatment notes are stored "
                "encrypted with this shop's key. Backups carry them encrypted: to read them on "
                "another computer you need the key. Export it now and keep it apart from the "
                "backups; whoever holds it can read the health data in a copy of the database."
            )
        )
        intro.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("healthKeyStatus")
        self.status_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("healthKeyProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(style.ERROR_TEXT)

        self.export_button = QPushButton(self.tr("Export the key to a file…"))
        self.export_button.setObjectName("exportHealthKey")
        self.export_button.setToolTip(
            self.tr("Write the key to a file readable only by you ({key})").format(
                key=_native(EXPORT_KEY)
            )
        )
        self.export_button.clicked.connect(self.export_file)
        self.pdf_button = QPushButton(self.tr("Save a page to print (QR code)…"))
        self.pdf_button.setObjectName("printHealthKey")
        self.pdf_button.setToolTip(
            self.tr("A PDF with the key as a QR code and as text, to lock away ({key})").format(
                key=_native(PRINT_KEY)
            )
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.pdf_button)
        export_row.addStretch(1)
        export_box = QGroupBox(self.tr("Keep a copy"))
        export_box.setLayout(export_row)

        self.key_edit = QPlainTextEdit()
        self.key_edit.setObjectName("healthKeyText")
        self.key_edit.setTabChangesFocus(True)
        self.key_edit.setPlaceholderText(self.tr("FDKEY1-… (spaces and line breaks do not matter)"))
        self.key_edit.setMaximumHeight(80)
        key_label = QLabel(self.tr("&Key from the printed page:"))
        key_label.setBuddy(self.key_edit)
        self.key_error = QLabel()
        self.key_error.setObjectName("healthKeyError")
        self.key_error.setWordWrap(True)
        self.key_error.setStyleSheet(style.ERROR_TEXT)
        self.restore_button = QPushButton(self.tr("Restore key"))
        self.restore_button.setObjectName("restoreHealthKey")
        self.restore_button.setToolTip(
            self.tr("Use the typed key on this computer ({key})").format(key=_native(RESTORE_KEY))
        )
        self.restore_button.clicked.connect(self.restore_typed)
        self.restore_file_button = QPushButton(self.tr("Restore from a key file…"))
        self.restore_file_button.setObjectName("restoreHealthKeyFile")
        self.restore_file_button.setToolTip(
            self.tr("Read the key from an exported key file ({key})").format(
                key=_native(QKeySequence(QKeySequence.StandardKey.Open))
            )
        )
        self.restore_file_button.clicked.connect(self.restore_from_file)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        restore_row.addStretch(1)
        restore_layout = QVBoxLayout()
        restore_hint = QLabel(
            self.tr(
                "On a new computer, or after the key was lost: restore the key exported from "
                "this shop. A key that does not open this database's health data is refused."
            )
        )
        restore_hint.setWordWrap(True)
        restore_layout.addWidget(restore_hint)
        restore_layout.addWidget(key_label)
        restore_layout.addWidget(self.key_edit)
        restore_layout.addWidget(self.key_error)
        restore_layout.addLayout(restore_row)
        restore_box = QGroupBox(self.tr("Restore the key"))
        restore_box.setLayout(restore_layout)

        self.result_label = QLabel()
        self.result_label.setObjectName("healthKeyResult")
        self.result_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(export_box)
        layout.addWidget(restore_box)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        self.setTabOrder(self.export_button, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.key_edit)
        self.setTabOrder(self.key_edit, self.restore_button)
        self.setTabOrder(self.restore_button, self.restore_file_button)

    # -- showing -------------------------------------------------------------------------------

    def show_status(self, status: VaultStatus) -> None:
        if status.where == "keyring":
            where = self.tr("The key is kept in this computer's keyring.")
        elif status.where == "file":
            where = self.tr("The key is kept in a file readable only by this computer's user.")
        else:
            where = self.tr("There is no key for this database on this computer.")
        self.status_label.setText(where)
        notes = [n for n in (status.problem, status.warning) if n is not None]
        formats = self.desk.formats()
        self.problem_label.setText(" ".join(error_text(n, formats) for n in notes))
        self.problem_label.setVisible(bool(notes))
        self.export_button.setEnabled(status.ready)
        self.pdf_button.setEnabled(status.ready)

    def _ask_save_path(self, caption: str, name: str, kinds: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(self, caption, name, kinds)
        return Path(chosen) if chosen else None

    def _ask_open_path(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a key file"),
            "",
            self.tr("Key files (*.txt *.key);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    # -- export --------------------------------------------------------------------------------

    def export_file(self) -> None:
        if not self.export_button.isEnabled():
            return
        path = self.ask_save_path(
            self.tr("Export the health data key"),
            self.tr("health-data-key.txt"),
            self.tr("Key files (*.txt)"),
        )
        if path is None:
            return
        user = self.desk.user
        self.desk.runner.run(
            lambda: self.keys.export_file(path, user),
            doing="exporting the health data key",
            on_done=lambda _none: self._written(path),
            parent=self,
        )

    def export_pdf(self) -> None:
        if not self.pdf_button.isEnabled():
            return
        path = self.ask_save_path(
            self.tr("Save the health data key to print"),
            self.tr("health-data-key.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if path is None:
            return
        user = self.desk.user
        words = self.sheet_words()
        self.desk.runner.run(
            lambda: self.keys.export_pdf(path, user, words),
            doing="saving the health data key page",
            on_done=lambda _none: self._written(path),
            parent=self,
        )

    def sheet_words(self) -> KeySheetWords:
        formats = self.desk.formats()
        shop = self.desk.services.shop.info()
        today = self.desk.services.shop.today()
        return KeySheetWords(
            title=self.tr("Health data key"),
            shop_line=self.tr("{shop} · written {day}").format(
                shop=shop.name, day=formats.short_date(today)
            ),
            warning=self.tr(
                "Whoever holds this key can read the clients' health data in a copy of the "
                "database. Keep this page locked away, apart from the backups."
            ),
            steps=(
                self.tr(
                    "To restore on another computer: Back office, Health data key, then type "
                    "the text below under Restore the key (spaces and line breaks do not "
                    "matter) and choose Restore key."
                ),
                self.tr(
                    "Or on the command line: save the text in a file and run: "
                    "frontdesk key import FILE"
                ),
            ),
        )

    def _written(self, path: Path) -> None:
        self.result_label.setText(
            self.tr("Written to {file}. Keep it apart from the backups.").format(file=path)
        )
        self.exported.emit(path)

    # -- restore -------------------------------------------------------------------------------

    def restore_typed(self) -> None:
        self._restore(self.key_edit.toPlainText())

    def restore_from_file(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            self.key_error.setText(
                self.tr("{file} cannot be read as a key file.").format(file=path)
            )
            return
        self._restore(text)

    def _restore(self, text: str) -> None:
        self.key_error.clear()
        user = self.desk.user
        self.desk.runner.run(
            lambda: self.keys.restore(text, user),
            doing="restoring the health data key",
            on_done=self._restored,
            on_known_error=self._refused,
            parent=self,
        )

    def _restored(self, status: VaultStatus) -> None:
        self.key_edit.clear()
        self.show_status(status)
        self.result_label.setText(self.tr("Key restored: health data can be read here."))
        for warning in self.window().findChildren(HealthKeyStatus):
            warning.refresh()  # the status bar's warning goes away
        self.restored.emit()

    def _refused(self, error: BaseException) -> bool:
        if not isinstance(error, DomainError):
            return False
        self.key_error.setText(error_text(error, self.desk.formats()))
        self.key_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
