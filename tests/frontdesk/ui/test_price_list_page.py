"""The price list page, driven through the window: open a file, fix the column mapping, see
each row's problems, import all or nothing, import again, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from db.models import OpeningHours, Product, Service
from frontdesk.domain.price_list import PriceColumn
from frontdesk.services.auth import SignedIn
from frontdesk.services.unit_of_work import UnitOfWork
from frontdesk.ui.backoffice.price_list_page import PriceListPage
from tests.frontdesk.ui.conftest import MakeServices, MakeWindow
from tests.seed import SeededShop

MENU = (
    "类型,类别,名称,货号,Fee,时长\n"
    "服务,推拿,中式推拿,,198,60\n"
    "服务,足疗,足底按摩,,128,45\n"
    "商品,,精油,JY-1,88,\n"
)


def _page(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
) -> PriceListPage:
    services = make_services()
    window = make_window(services, sign_in(shop.owner_id))
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # the back office
    page = window.back_office.show_section("price_list")
    assert isinstance(page, PriceListPage)
    return page


def _count(database: UnitOfWork, model: type) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_import_with_a_mapping_fixed_by_hand_then_again_then_export(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in, shop)
    assert page.hint.isVisible()
    source = tmp_path / "menu.csv"
    source.write_bytes(MENU.encode("gb18030"))
    page.ask_open_path = lambda: source
    services_before = _count(database, Service)

    qtbot.keyClick(page, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)

    assert "GB18030" in page.summary_label.text()
    assert page.mapping()[:3] == (PriceColumn.TYPE, PriceColumn.CATEGORY, PriceColumn.NAME)
    assert page.mapping()[4] is None  # "Fee" is no header it knows
    assert page.error_rows() == [("file", "", "The file has no Price column; every row needs one.")]
    # Each column as wide as its own reading, not the longest label: "Fee", the column to fix,
    # takes no more room than it needs beside "Type (service or product)".
    table = page.mapping_table
    assert table.columnWidth(4) < table.columnWidth(0)
    page.grab().save(str(tmp_path / "pricelist-errors.png"))

    qtbot.keyClick(page, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert "1 problem to correct" in page.problem_label.text()
    assert _count(database, Service) == services_before

    combo = page.mapping_table.cellWidget(0, 4)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(PriceColumn.PRICE.value))
    combo.activated.emit(combo.currentIndex())

    assert page.error_rows() == []
    assert "2 services to add, 1 product to add" in page.summary_label.text()
    assert page.mapping_table.item(1, 2).text() == "中式推拿"

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    assert page.result_label.text() == "Imported: 2 services added, 1 product added."
    assert _count(database, Service) == services_before + 2
    assert _count(database, Product) == 1
    assert "3 unchanged" in page.summary_label.text()

    qtbot.keyClick(page, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert page.result_label.text() == "Imported: 3 unchanged."
    assert _count(database, Service) == services_before + 2

    out = tmp_path / "export"
    page.ask_save_path = lambda: out
    with qtbot.waitSignal(page.exported):
        qtbot.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    written = out.with_suffix(".csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert "中式推拿" in written.decode("utf-8-sig")


def test_row_errors_name_the_line_and_column_and_nothing_is_saved(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in, shop)
    source = tmp_path / "menu.csv"
    source.write_text(
        "Название;Цена;Длительность;Артикул;Штрихкод\n"
        "Массаж спины;1500;60;;\n"
        "Массаж ног;дорого;30;;\n"
        "Масло;700;;M-1;4600000000001\n"
        "Масло 2;700;;M-2;4600000000001\n",
        encoding="cp1251",
    )
    page.open_file(source)

    assert "Windows-1251" in page.summary_label.text()
    rows = page.error_rows()
    assert [(line, column) for line, column, _text in rows] == [
        ("3", "Цена"),
        ("5", "Штрихкод"),
    ]
    assert "also on line 4" in rows[1][2]
    assert "2 problems" in page.problem_label.text()
    page.grab().save(str(tmp_path / "pricelist-rows.png"))

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert _count(database, Product) == 0


def test_a_file_in_no_encoding_it_reads_is_refused_plainly(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, make_services, make_window, sign_in, shop)
    source = tmp_path / "noise.csv"
    source.write_bytes(b"name,price\n" + bytes(range(0x80, 0x100)) * 3)
    page.open_file(source)
    assert "tried UTF-8, GB18030, Windows-1251" in page.problem_label.text()
    assert not page.import_button.isEnabled()

    chinese = tmp_path / "chinese.csv"
    chinese.write_bytes(MENU.encode("gb18030"))
    page.open_file(chinese)
    assert "GB18030" in page.summary_label.text()
    page.encoding_combo.setCurrentIndex(page.encoding_combo.findData("utf-8"))
    page.encoding_combo.activated.emit(page.encoding_combo.currentIndex())
    assert page.problem_label.text() == "The file is not in UTF-8. Choose another encoding."
    page.encoding_combo.setCurrentIndex(page.encoding_combo.findData("gb18030"))
    page.encoding_combo.activated.emit(page.encoding_combo.currentIndex())
    assert "Read as GB18030" in page.summary_label.text()

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page.open_file(empty)
    assert page.problem_label.text() == "The file is empty."


def test_a_refusal_at_import_shows_its_rows(
    qtbot: QtBot,
    make_services: MakeServices,
    make_window: MakeWindow,
    sign_in: Callable[[int], SignedIn],
    shop: SeededShop,
    database: UnitOfWork,
    tmp_path: Path,
) -> None:
    with database.write() as s:
        s.add(OpeningHours(weekday=0, open_minute=9 * 60, close_minute=17 * 60))
    page = _page(qtbot, make_services, make_window, sign_in, shop)
    source = tmp_path / "menu.csv"
    source.write_text("name,price,duration\nShort,10,60\nAll day,10,600\n", encoding="utf-8")
    page.open_file(source)
    assert page.error_rows() == []
    before = _count(database, Service)

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    [(line, _column, text)] = page.error_rows()
    assert line == "3"
    assert "600" in text
    assert page.problem_label.text().startswith("Nothing was imported")
    assert _count(database, Service) == before
