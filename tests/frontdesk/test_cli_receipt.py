"""`frontdesk receipt reprint NUMBER` and the printer warnings of `frontdesk settings`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.models import AuditEntry, ShopProfile
from frontdesk.cli import main
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.services.auth import AuthService
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from printing.escpos_layout import PAPER_80MM, code_pages, render_receipt
from printing.receipt import Receipt
from tests.printing.escpos_bytes import decode
from tests.seed import PIN, SeededShop

DRAWER_KICK = b"\x1bp"


@pytest.fixture
def sold(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> Receipt:
    """R-000001, a cash sale (its receipt opened the drawer)."""
    desk = AuthService(database, clock).sign_in(shop.receptionist_id, PIN)
    sale = CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, 10000, desk
    )
    return sale.receipt


@pytest.fixture
def file_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "printer.bin"
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "file")
    monkeypatch.setenv("FRONTDESK_PRINTER_PATH", str(path))
    return path


def _reprints(database: UnitOfWork) -> list[AuditEntry]:
    with database.read() as s:
        action = AuditEntry.action == "receipt.reprinted"
        return list(s.scalars(select(AuditEntry).where(action)).all())


@pytest.mark.parametrize("db_first", [True, False], ids=["--db first", "--db last"])
def test_reprint_writes_a_copy_to_the_configured_printer(
    db_path: Path,
    database: UnitOfWork,
    sold: Receipt,
    file_printer: Path,
    capsys: pytest.CaptureFixture[str],
    db_first: bool,
) -> None:
    argv = ["receipt", "reprint", "R-000001"]
    argv = ["--db", str(db_path), *argv] if db_first else [*argv, "--db", str(db_path)]

    assert main(argv) == 0

    data = file_printer.read_bytes()
    text = "\n".join(line.text for line in decode(data, code_pages(PAPER_80MM)))
    assert "*** COPY ***" in text
    assert "R-000001" in text
    assert "Anna Smith" in text
    assert data != render_receipt(sold, PAPER_80MM)
    assert DRAWER_KICK not in data
    out = capsys.readouterr().out
    assert "Receipt R-000001 reprinted" in out
    assert str(file_printer) in out
    assert "Anna" not in out  # no client data on the terminal either
    (entry,) = _reprints(database)
    assert entry.detail == "R-000001 by command line"


def test_unknown_receipt_number_is_a_plain_message(
    db_path: Path,
    database: UnitOfWork,
    sold: Receipt,
    file_printer: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["receipt", "reprint", "R-000099", "--db", str(db_path)]) == 1

    assert capsys.readouterr().err.strip() == (
        "frontdesk: There is no sale with receipt number R-000099."
    )
    assert not file_printer.exists()
    assert _reprints(database) == []


def test_no_printer_set_up_is_a_plain_message(
    db_path: Path, database: UnitOfWork, sold: Receipt, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["receipt", "reprint", "1", "--db", str(db_path)]) == 3

    err = capsys.readouterr().err
    assert "No receipt printer is set up" in err
    assert "printer_kind" in err
    assert _reprints(database) == []


def test_unavailable_printer_is_a_plain_message_and_not_logged(
    db_path: Path,
    database: UnitOfWork,
    sold: Receipt,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "no-such-dir" / "lp0"
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "file")
    monkeypatch.setenv("FRONTDESK_PRINTER_PATH", str(missing))

    assert main(["receipt", "reprint", "R-000001", "--db", str(db_path)]) == 3

    err = capsys.readouterr().err
    assert f"Printer device {missing} cannot be written (no such device)" in err
    assert "not reprinted" in err
    assert "Traceback" not in err
    assert _reprints(database) == []


def test_reprint_help_names_the_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["receipt", "reprint", "--help"])
    assert exit_info.value.code == 0
    assert "NUMBER" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["receipt", "reprint"])
    assert exit_info.value.code == 2


def test_settings_warn_when_a_chinese_shop_prints_without_chinese(
    db_path: Path,
    database: UnitOfWork,
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with database.write() as s:
        s.execute(update(ShopProfile).values(locale="zh_CN", currency="CNY"))
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "network")
    assert main(["settings", "--db", str(db_path)]) == 0
    assert "注意：" in capsys.readouterr().out  # a Chinese shop's command line speaks Chinese
    monkeypatch.setenv("FRONTDESK_LANGUAGE", "en")
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "none")
    assert main(["settings", "--db", str(db_path)]) == 0
    assert "Warning" not in capsys.readouterr().out  # no printer, nothing to warn about
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "network")

    assert main(["settings", "--db", str(db_path)]) == 0

    out = capsys.readouterr().out
    assert "Warning: The shop's receipts are in Chinese but printer_chinese is off" in out
    assert "et printer_chinese = true if the printer has a Chinese font" in out  # Set or set
    monkeypatch.setenv("FRONTDESK_PRINTER_CHINESE", "true")
    assert main(["settings", "--db", str(db_path)]) == 0
    assert "Warning" not in capsys.readouterr().out


def test_settings_without_a_database_list_and_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTDESK_PRINTER_KIND", "network")
    missing = tmp_path / "nothing-here.sqlite3"

    assert main(["settings", "--db", str(missing)]) == 0

    assert "printer_chinese" in capsys.readouterr().out
    assert not missing.exists()
