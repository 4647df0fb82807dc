"""`frontdesk clients import|export|export-one|erase`: real files, exit codes, nothing
half-saved."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from frontdesk.cli import main
from tests.seed import SeededShop

CLIENTS = (
    "Имя;Фамилия;Телефон;Дата рождения;Номер карты;Визиты\n"
    "Ольга;Сидорова;+7 (916) 111-22-33;01.02.1988;FD-0000200;7\n"
    "Пётр;Кузнецов;+7 916 222-33-44;;;\n"
)


def _clients(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0])


def test_import_export_and_import_again(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "clients.csv"
    source.write_bytes(CLIENTS.encode("cp1251"))
    before = _clients(db_path)
    assert main(["clients", "import", str(source), "--dry-run", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Windows-1251" in out
    assert "2 client(s) to add" in out
    assert _clients(db_path) == before

    assert main(["clients", "import", str(source), "--db", str(db_path)]) == 0
    assert "2 client(s) added" in capsys.readouterr().out
    assert _clients(db_path) == before + 2

    exported = tmp_path / "out.csv"
    assert main(["clients", "export", "--out", str(exported), "--db", str(db_path)]) == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Сидорова" in exported.read_text("utf-8-sig")
    assert main(["clients", "export", "--out", str(exported), "--db", str(db_path)]) == 1
    assert "--force" in capsys.readouterr().err

    assert main(["clients", "import", str(exported), "--db", str(db_path)]) == 0
    assert "client(s) updated" in capsys.readouterr().out
    assert _clients(db_path) == before + 2


def test_row_errors_are_listed_and_nothing_is_saved(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "clients.csv"
    source.write_text("name,phone,birthday\nGood One,07700900111,\nBad,07700900112,2990-01-01\n")
    before = _clients(db_path)
    assert main(["clients", "import", str(source), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "Line 3, column “birthday”" in err
    assert "future" in err
    assert _clients(db_path) == before


def test_export_one_and_erase_by_card_number(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "anna.json"
    args = ["--db", str(db_path)]
    assert main(["clients", "export-one", "FD-0000001", "--out", str(out), *args]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["contact"]["last_name"] == "Smith"
    assert main(["clients", "export-one", "FD-0999999", "--out", str(tmp_path / "x"), *args]) == 1
    assert "FD-0999999" in capsys.readouterr().err

    assert main(["clients", "erase", "FD-0000001", "--yes", *args]) == 0
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT first_name, phone, card_number FROM customers WHERE id = ?", (shop.anna_id,)
        ).fetchone()
    assert row == (f"Erased client #{shop.anna_id}", None, None)


def test_erase_asks_first_and_bad_arguments_exit_2(
    db_path: Path,
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["clients", "erase", str(shop.boris_id), "--db", str(db_path)]) == 1
    assert "Nothing was erased" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["clients", "export-one", "FD-0000001", "--db", str(db_path)])  # no --out
    assert exited.value.code == 2
    assert "--out" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["clients", "import", "a.csv", "--encoding", "latin-1", "--db", str(db_path)])
    assert exited.value.code == 2
