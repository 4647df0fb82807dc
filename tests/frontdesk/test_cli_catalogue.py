"""`frontdesk catalogue import` and `export`: real files, exit codes, nothing half-saved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from frontdesk.cli import main
from tests.seed import SeededShop

MENU = (
    "Категория;Название;Цена;Длительность;Артикул;Остаток\n"
    "Баня;Парение веником;2 500,00;30;;\n"
    "Массаж;Классический массаж;1500;60;;\n"
    ";Масло для массажа;750;;OIL-1;4\n"
)


def _services(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM services")}


def test_import_export_and_import_again(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "menu.csv"
    source.write_bytes(MENU.encode("cp1251"))
    before = _services(db_path)

    assert main(["catalogue", "import", str(source), "--dry-run", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Windows-1251" in out
    assert "2 service(s) added, 1 product(s) added" in out
    assert _services(db_path) == before

    assert main(["catalogue", "import", str(source), "--db", str(db_path)]) == 0
    assert "2 service(s) added, 1 product(s) added." in capsys.readouterr().out
    assert {"Парение веником", "Классический массаж"} <= _services(db_path)

    exported = tmp_path / "out.csv"
    assert main(["catalogue", "export", "--out", str(exported), "--db", str(db_path)]) == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["catalogue", "export", "--out", str(exported), "--db", str(db_path)]) == 1
    assert "--force" in capsys.readouterr().err

    assert main(["catalogue", "import", str(exported), "--db", str(db_path)]) == 0
    assert "Imported: 5 unchanged." in capsys.readouterr().out
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM products").fetchone()[0] == 1
        assert conn.execute("SELECT stock FROM products").fetchone()[0] == 4


def test_row_errors_are_listed_and_nothing_is_saved(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "menu.csv"
    source.write_text("name,price,duration\nGood,10,30\nBad,ten,30\n", encoding="utf-8")
    before = _services(db_path)

    assert main(["catalogue", "import", str(source), "--db", str(db_path)]) == 1

    err = capsys.readouterr().err
    assert "Line 3, column “price”" in err
    assert "Nothing was imported: the file has 1 error(s). Correct them" in err
    assert _services(db_path) == before


def test_a_file_in_no_readable_encoding_names_those_tried(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "menu.csv"
    source.write_bytes(b"name,price\n" + bytes(range(0x80, 0x100)) * 3)
    assert main(["catalogue", "import", str(source), "--db", str(db_path)]) == 1
    assert "UTF-8, GB18030, Windows-1251" in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["catalogue", "import", "menu.csv", "--encoding", "latin1"])
    assert exit_info.value.code == 2
    assert "latin1" in capsys.readouterr().err


def test_help_names_the_encodings_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["catalogue", "import", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--dry-run" in out
    assert "gb18030" in out
    assert "Exit codes" in out
