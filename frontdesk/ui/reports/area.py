"""Reports: the end-of-day PDF. The day is read on the database worker (through the runner),
the PDF is written on the file worker, and the figures are shown in the window's language;
they follow later sales of that day on the change bus."""

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
from frontdesk.services.changes import ChangeKind, Changes
from frontdesk.services.reports import DayClosed, DayFigures, EndOfDay
from frontdesk.ui import style
from frontdesk.ui.change_bus import FollowChanges
from frontdesk.ui.dates import qt_date_format
from frontdesk.ui.desk import Desk
from frontdesk.ui.error_text import error_text
from frontdesk.ui.errors import known_message, show_error
from frontdesk.ui.labels import label
from frontdesk.ui.questions import Asker, ask_yes_no
from frontdesk.ui.widgets.plural import english_plural

PDF_MAGIC = b"%PDF-"


def open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportsArea(QWidget):
    """Pick a day, create its end-of-day PDF, see its takings."""

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
        self._out_dir = out_dir
        self._opener = opener
        self._ask = ask
        self._formats = desk.formats()
        self.last_path: Path | None = None
        #: The figures in the table (None until a report was created).
        self.figures: DayFigures | None = None
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        locale = self._formats.locale  # written like the calendar's and the card's dates
        self.date_edit.setLocale(QLocale(locale))
        self.date_edit.setDisplayFormat(qt_date_format(locale))
        today = desk.services.shop.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.create_button = QPushButton(self.tr("Create end-of-day PDF (Ctrl+P)"))
        self.create_button.setObjectName("createEod")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the report has no measurable steps
        self.progress.hide()
        self.status = QLabel(self.tr("Pick a day and create its end-of-day report."))
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.summary = QTableWidget(0, 2)
        self.summary.setObjectName("reportSummary")
        self.summary.setHorizontalHeaderLabels([self.tr("Takings"), self.tr("Amount")])
        self.summary.horizontalHeader().setVisible(False)
        self.summary.verticalHeader().setVisible(False)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        title = QLabel(self.tr("End of day"))
        title.setStyleSheet(style.TITLE)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Day")))
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
            self.status.setText(self.tr("Money reports are for owners and managers."))
        self._follow = FollowChanges(
            self, desk.bus, (ChangeKind.SALES, ChangeKind.STAFF, ChangeKind.SHOP), self._recount
        )

    # Creating the report: read (database worker), write the PDF (file worker), back up.

    def create_report(self) -> None:
        if not self.create_button.isEnabled():
            return
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        path = self._out_dir / f"end-of-day-{day.isoformat()}.pdf"
        if not self._may_replace(path):
            self.status.setText(self.tr("Not saved: {path} was left as it is.").format(path=path))
            return
        self._busy(
            self.tr("Creating the report for {day}…").format(day=self._formats.short_date(day))
        )
        reports, user = self._reports, self._user
        self._desk.runner.run(
            lambda: reports.end_of_day(day, user),
            doing=self.tr("creating the end-of-day report"),
            progress=self.tr("Reading the day's sales…"),
            on_done=lambda end: self._write_pdf(end, path),
            on_known_error=self._stopped,
            on_finished=self._idle,
            parent=self,
        )

    def _busy(self, text: str) -> None:
        self.create_button.setEnabled(False)
        self.progress.show()
        self.status.setText(text)

    def _idle(self) -> None:
        self.progress.hide()
        self.create_button.setEnabled(True)

    def _stopped(self, error: BaseException) -> bool:
        """A known error (no permission, the database unavailable) is said in the status."""
        self.status.setText(known_message(error, self._formats) or "")
        return True

    def _write_pdf(self, end: EndOfDay, path: Path) -> None:
        self.show_figures(end.figures)
        self._busy(self.tr("Writing the PDF…"))
        reports = self._reports

        def write() -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            return reports.save_day_report(end.report, path)

        self._desk.io.submit(
            write, lambda saved: self._written(end.figures, saved), self._write_failed
        )

    def _write_failed(self, error: BaseException) -> None:
        self._idle()
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            self.status.setText(
                self.tr("The report could not be saved: {reason}.").format(reason=reason)
            )
            return
        self.status.setText(self.tr("The report could not be created."))
        show_error(self, error, self.tr("writing the end-of-day PDF"))

    def _written(self, figures: DayFigures, path: Path) -> None:
        self.last_path = path
        saved = self.tr("Saved to {path}").format(path=path)
        if figures.sales == 0:
            saved = self.tr("No sales were recorded on this day.") + " " + saved
        self.status.setText(saved)
        self._opener(path)
        # Today's end-of-day report also takes an automatic backup of the day so far.
        reports, day = self._reports, figures.day
        self.progress.show()
        self._desk.runner.run(
            lambda: reports.close_day_if_today(day),
            doing=self.tr("backing up the day so far"),
            progress=self.tr("Backing up the day so far…"),
            on_done=lambda closed: self._backed_up(saved, closed),
            on_finished=self._idle,
            parent=self,
        )

    def _backed_up(self, saved: str, closed: DayClosed | None) -> None:
        if closed is not None and closed.backup is not None:
            saved += "\n" + self.tr("Backup of the day so far saved to {path}").format(
                path=closed.backup
            )
        elif closed is not None:
            saved += "\n" + self.tr("The backup of the day so far failed: {problem}").format(
                problem=error_text(closed.problem) if closed.problem else ""
            )
        self.status.setText(saved)

    def _may_replace(self, path: Path) -> bool:
        """An existing file that is not a PDF is replaced only if the person says so."""
        try:
            with path.open("rb") as file:
                if file.read(len(PDF_MAGIC)) == PDF_MAGIC:
                    return True
        except (FileNotFoundError, NotADirectoryError):
            return True  # nothing there to lose; the save says what the disk says
        except OSError:
            pass  # unreadable: ask, and let the save report what the disk says
        return self._ask(
            self,
            "FrontDesk",
            self.tr("{path} exists and is not a PDF. Replace it?").format(path=path),
        )

    # The figures: written here, in the window's language, from the service's values.

    def _payments(self, n: int) -> str:
        return english_plural(
            self.tr("%n payment(s)", "", n), "%n payment(s)", n, "1 payment", "%n payments"
        )

    def _services(self, n: int) -> str:
        return english_plural(
            self.tr("%n service(s)", "", n), "%n service(s)", n, "1 service", "%n services"
        )

    def show_figures(self, figures: DayFigures) -> None:
        """Fill the table with a day's takings."""
        self.figures = figures
        money = self._formats.money
        rows: list[tuple[str, str, bool]] = [
            (self.tr("Sales"), str(figures.sales), False),
            (self.tr("Gross takings"), money(figures.gross), False),
            (self.tr("of which tax"), money(figures.tax), False),
            (self.tr("Average sale"), money(figures.average), False),
            (self.tr("Cash expected in drawer"), money(figures.cash_expected), False),
        ]
        if figures.by_method:
            rows.append((self.tr("By payment method"), "", True))
            rows += [
                (
                    self.tr("{method} ({payments})").format(
                        method=label(m.method), payments=self._payments(m.payments)
                    ),
                    money(m.amount),
                    False,
                )
                for m in figures.by_method
            ]
        if figures.by_therapist:
            rows.append((self.tr("By therapist"), "", True))
            rows += [
                (
                    self.tr("{therapist} ({services})").format(
                        therapist=t.name, services=self._services(t.services)
                    ),
                    money(t.amount),
                    False,
                )
                for t in figures.by_therapist
            ]
        self.summary.setRowCount(len(rows))
        for row, (name, value, heading) in enumerate(rows):
            label_item = QTableWidgetItem(name)
            if heading:
                font = label_item.font()
                font.setBold(True)
                label_item.setFont(font)
            self.summary.setItem(row, 0, label_item)
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.summary.setItem(row, 1, item)

    def _recount(self, _changes: Changes | None) -> None:
        """Sales of the shown day changed (here or at another terminal): count them again.
        The PDF already written is not touched; the status says it is out of date."""
        shown = self.figures
        if shown is None or not self._user.can(Permission.VIEW_MONEY_REPORTS):
            return
        reports, user = self._reports, self._user
        self._formats = self._desk.formats()

        def recounted(figures: DayFigures) -> None:
            if self.figures != shown or figures == shown:
                return
            self.show_figures(figures)
            self.status.setText(
                self.tr("Sales changed since the PDF was saved: create it again to include them.")
            )

        self._desk.runner.run(
            lambda: reports.day_figures(shown.day, user),
            doing=self.tr("counting the day's sales"),
            on_done=recounted,
            parent=self,
        )
