"""Reports: the end-of-day PDF, built off the GUI thread and opened when done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.roles import Permission
from frontdesk.services.reports import DayClosed
from frontdesk.ui import style
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.errors import known_message, show_error
from frontdesk.ui.questions import Asker, ask_yes_no
from printing.day_report_data import DayReport

PDF_MAGIC = b"%PDF-"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportsArea(QWidget):
    def __init__(
        self,
        desk: Desk,
        out_dir: Path,
        opener: Callable[[Path], None] = open_with_system_viewer,
        ask: Asker = ask_yes_no,
    ) -> None:
        super().__init__()
        self._desk = desk
        self._reports = desk.services.reports
        self._user = desk.user
        self._executor = desk.io
        self._out_dir = out_dir
        self._opener = opener
        self._ask = ask
        self.last_path: Path | None = None
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        locale = desk.formats().locale  # written like the calendar's and the card's dates
        self.date_edit.setLocale(QLocale(locale))
        self.date_edit.setDisplayFormat(qt_date_format(locale))
        today = desk.services.shop.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.create_button = QPushButton("Create end-of-day PDF (Ctrl+P)")
        self.create_button.setObjectName("createEod")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the report has no measurable steps
        self.progress.hide()
        self.status = QLabel("Pick a day and create its end-of-day report.")
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.summary = QTableWidget(0, 2)
        self.summary.setObjectName("reportSummary")
        self.summary.setHorizontalHeaderLabels(["", ""])
        self.summary.horizontalHeader().setVisible(False)
        self.summary.verticalHeader().setVisible(False)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        title = QLabel("End of day")
        title.setStyleSheet(style.TITLE)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Day"))
        bar.addWidget(self.date_edit)
        bar.addWidget(self.create_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.summary, 1)
        self.create_button.clicked.connect(self.create_report)
        QShortcut(
            QKeySequence("Ctrl+P"),
            self,
            self.create_report,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        allowed = self._user.can(Permission.VIEW_MONEY_REPORTS)
        self.create_button.setEnabled(allowed)
        if not allowed:
            self.status.setText("Money reports are for owners and managers.")

    def create_report(self) -> None:
        if not self.create_button.isEnabled():
            return
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        path = self._out_dir / f"end-of-day-{day.isoformat()}.pdf"
        if not self._may_replace(path):
            self.status.setText(f"Not saved: {path} was left as it is.")
            return
        self.create_button.setEnabled(False)
        self.progress.show()
        self.status.setText(f"Creating the report for {day.isoformat()}…")

        def work() -> tuple[DayReport, Path, DayClosed | None]:
            path.parent.mkdir(parents=True, exist_ok=True)
            report = self._reports.day_report(day, self._user)
            saved = self._reports.save_day_report(report, path)
            # Today's end-of-day report also takes an automatic backup of the day so far.
            return report, saved, self._reports.close_day_if_today(day)

        self._executor.submit(work, self._done, self._failed)

    def _may_replace(self, path: Path) -> bool:
        """An existing file that is not a PDF is replaced only if the person says so."""
        try:
            with path.open("rb") as file:
                if file.read(len(PDF_MAGIC)) == PDF_MAGIC:
                    return True
        except FileNotFoundError:
            return True
        except OSError:
            pass  # unreadable: ask, and let the save report what the disk says
        return self._ask(self, "FrontDesk", f"{path} exists and is not a PDF. Replace it?")

    def _done(self, result: tuple[DayReport, Path, DayClosed | None]) -> None:
        report, path, closed = result
        self.progress.hide()
        self.create_button.setEnabled(True)
        self.last_path = path
        rows = [(label, value, False) for label, value in report.summary]
        if report.by_payment_method:
            rows.append(("By payment method", "", True))
            rows += [
                (f"{m} ({_count(n, 'payment')})", a, False) for m, n, a in report.by_payment_method
            ]
        if report.by_therapist:
            rows.append(("By therapist", "", True))
            rows += [(f"{t} ({_count(n, 'service')})", a, False) for t, n, a in report.by_therapist]
        self.summary.setRowCount(len(rows))
        for row, (label, value, heading) in enumerate(rows):
            label_item = QTableWidgetItem(label)
            if heading:
                font = label_item.font()
                font.setBold(True)
                label_item.setFont(font)
            self.summary.setItem(row, 0, label_item)
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.summary.setItem(row, 1, item)
        saved = f"Saved to {path}"
        if not report.sales:
            saved = f"{report.empty_message} {saved}"
        if closed is not None and closed.backup is not None:
            saved += f"\nBackup of the day so far saved to {closed.backup}"
        elif closed is not None:
            saved += f"\nThe backup of the day so far failed: {closed.problem}"
        self.status.setText(saved)
        self._opener(path)

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.create_button.setEnabled(True)
        message = known_message(error)
        if message is None and isinstance(error, OSError):
            message = f"The report could not be saved: {error.strerror or error}."
        if message is not None:
            self.status.setText(message)
        else:
            self.status.setText("The report could not be created.")
            show_error(self, error, "creating the end-of-day report")
