"""Reports area: a non-PDF is not overwritten without asking; today's report closes the day."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.ui.desk import open_desk
from frontdesk.ui.events import AppEvents
from frontdesk.ui.reports.area import ReportsArea
from frontdesk.ui.workers import ImmediateExecutor
from tests.frontdesk.ui.conftest import MakeServices
from tests.seed import PIN, SeededShop


def _area(
    qtbot: QtBot, make_services: MakeServices, shop: SeededShop, out: Path, answers: list[bool]
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
    desk = open_desk(services, owner, holder, AppEvents(holder), io=ImmediateExecutor())
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
