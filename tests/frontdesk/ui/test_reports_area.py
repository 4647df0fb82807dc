"""Reports area: a non-PDF is not overwritten without asking; today's report closes the day;
the PDF is written on the file worker with progress shown; the figures are written by the window
and follow sales made elsewhere."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.formats import Formats
from frontdesk.domain.money import Money
from frontdesk.services.auth import SignedIn
from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.reports.area import ReportsArea
from frontdesk.ui.workers import Executor, ImmediateExecutor
from tests.fakes import HeldExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import PIN, SeededShop


def _area(
    qtbot: QtBot,
    make_services: MakeServices,
    shop: SeededShop,
    out: Path,
    answers: list[bool],
    *,
    io: Executor | None = None,
    language: str = "",
) -> tuple[ReportsArea, list[str], list[Path]]:
    services = make_services()
    owner = services.auth.sign_in(shop.owner_id, PIN)
    asked: list[str] = []
    opened: list[Path] = []

    def ask(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    holder = QWidget()
    qtbot.addWidget(holder)
    desk = open_desk(
        services,
        owner,
        holder,
        AppEvents(holder),
        io=io or ImmediateExecutor(),
        db=ImmediateExecutor(),
        language=language,
    )
    area = ReportsArea(desk, out, opener=opened.append, ask=ask)
    qtbot.addWidget(area)
    return area, asked, opened


def test_a_file_that_is_not_a_pdf_is_replaced_only_when_the_person_says_yes(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    target = out / "end-of-day-2026-11-23.pdf"
    target.write_text("the only copy of the accounts")
    area, asked, opened = _area(qtbot, make_services, shop, out, [False, True])
    area.create_report()
    assert asked == [f"{target} exists and is not a PDF. Replace it?"]
    assert target.read_text() == "the only copy of the accounts"
    assert opened == []
    assert "Not saved" in area.status.text()
    area.create_report()
    assert target.read_bytes().startswith(b"%PDF-")
    assert opened == [target]
    area.create_report()  # now it is a PDF: replaced without asking
    assert len(asked) == 2


def test_todays_report_closes_the_day_with_a_backup(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, db_path: Path, tmp_path: Path
) -> None:
    area, _asked, _opened = _area(qtbot, make_services, shop, tmp_path / "reports", [])
    area.create_report()
    backups = list((db_path.parent / "backups").glob("frontdesk-*-day-closed.sqlite3"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    assert f"Backup of the day so far saved to {backups[0]}" in area.status.text()


def test_another_days_report_takes_no_backup(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, db_path: Path, tmp_path: Path
) -> None:
    area, _asked, _opened = _area(qtbot, make_services, shop, tmp_path / "reports", [])
    area.date_edit.setDate(QDate(2026, 11, 20))
    area.create_report()
    assert "Saved to" in area.status.text()
    assert not (db_path.parent / "backups").exists()


def _receptionist(make_services: MakeServices, shop: SeededShop) -> SignedIn:
    return make_services().auth.sign_in(shop.receptionist_id, PIN)


def _table(area: ReportsArea) -> dict[str, str]:
    rows = range(area.summary.rowCount())
    return {area.summary.item(r, 0).text(): area.summary.item(r, 1).text() for r in rows}


def test_the_pdf_is_written_on_the_file_worker_with_progress_shown(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, tmp_path: Path
) -> None:
    io = HeldExecutor()
    out = tmp_path / "reports"
    area, _asked, opened = _area(qtbot, make_services, shop, out, [], io=io)
    area.show()
    area.create_report()
    # The day was read (database worker); the PDF waits for the file worker.
    assert len(io.jobs) == 1
    assert area.progress.isVisible()
    assert not area.create_button.isEnabled()
    assert area.status.text() == "Writing the PDF…"
    assert not (out / "end-of-day-2026-11-23.pdf").exists()
    io.run_all()
    assert opened == [out / "end-of-day-2026-11-23.pdf"]
    assert opened[0].read_bytes().startswith(b"%PDF-")
    assert not area.progress.isVisible()
    assert area.create_button.isEnabled()


def test_a_folder_that_cannot_be_written_is_said_in_plain_words(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, tmp_path: Path
) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the folder should be")
    area, _asked, opened = _area(qtbot, make_services, shop, blocker / "sub", [])
    area.create_report()
    assert area.status.text().startswith("The report could not be saved:")
    assert opened == []
    assert area.create_button.isEnabled()
    assert not area.progress.isVisible()


def test_the_figures_are_written_by_the_window_in_its_own_language(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, tmp_path: Path
) -> None:
    make_services().checkout.complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, 10000, _receptionist(make_services, shop)
    )
    area, _asked, _opened = _area(
        qtbot, make_services, shop, tmp_path / "reports", [], language="ru"
    )
    area.create_report()
    ru = Formats("ru", make_services().shop.info().zone)
    table = _table(area)
    # Money as the window's language writes it ('85,00 £'), not as the PDF's service text.
    assert table["Gross takings"] == ru.money(Money(8500, "GBP")) != "£85.00"
    assert table["Cash (1 payment)"] == ru.money(Money(8500, "GBP"))
    assert table["Tom Therapist (1 service)"] == ru.money(Money(8500, "GBP"))


def test_a_sale_made_elsewhere_updates_the_shown_figures(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, tmp_path: Path
) -> None:
    area, _asked, _opened = _area(qtbot, make_services, shop, tmp_path / "reports", [])
    area.show()
    area.create_report()
    assert _table(area)["Sales"] == "0"
    assert "No sales were recorded on this day." in area.status.text()
    # Another terminal (its own services on the same database) takes two payments.
    elsewhere = make_services()
    who = _receptionist(make_services, shop)
    elsewhere.checkout.complete_sale(shop.morning_appt_id, PaymentMethod.CASH, 10000, who)
    elsewhere.checkout.complete_sale(shop.afternoon_appt_id, PaymentMethod.CARD, None, who)
    table = _table(area)
    assert table["Sales"] == "2"
    assert table["Gross takings"] == "£145.00"
    assert table["Card (1 payment)"] == "£60.00"
    assert "create it again" in area.status.text()
