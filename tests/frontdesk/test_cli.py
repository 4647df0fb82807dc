"""The command line, in-process: help, headless reports, upgrades and plain refusals."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk.cli import main
from tests.seed import SeededShop


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "demo"),
        (["demo"], "--customers"),
        (["report", "eod"], "--out"),
        (["db", "upgrade"], "migrate"),
        (["settings"], "setting"),
    ],
)
def test_help_on_every_command(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert expected in capsys.readouterr().out


def test_db_upgrade_creates_then_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite3"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert "upgraded from schema none to" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_report_eod_writes_the_pdf(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "eod.pdf"
    assert (
        main(["report", "eod", "--date", "2026-11-23", "--out", str(out), "--db", str(db_path)])
        == 0
    )
    assert "written to" in capsys.readouterr().out
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Willow Test Spa" in text
    assert "No sales were recorded on this day." in text


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["report", "eod", "--date", "2026-02-30", "--out", "x.pdf"], 2, "is not a date"),
        (["report", "eod", "--date", "2026-11-23"], 2, "--out"),
        (["demo", "--customers", "0"], 2, "must be at least 1"),
        (["demo", "--customers", "many"], 2, "is not a whole number"),
        (["demo", "--locale", "fr"], 2, "invalid choice"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_bad_arguments_get_a_plain_message(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == code
    assert message in capsys.readouterr().err


def test_refusals_change_nothing(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_dir = tmp_path / "nope" / "eod.pdf"
    assert main(["report", "eod", "--out", str(missing_dir), "--db", str(db_path)]) == 1
    assert "does not exist" in capsys.readouterr().err
    before = db_path.read_bytes()
    assert main(["demo", "--db", str(db_path)]) == 1
    assert "already exists; add --force" in capsys.readouterr().err
    assert db_path.read_bytes() == before
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 200)
    assert main(["db", "upgrade", "--db", str(garbage)]) == 1
    assert "not a FrontDesk database" in capsys.readouterr().err


def test_settings_file_chooses_the_database_and_bad_settings_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "from-settings.sqlite3"
    path.write_text(f'database_url = "{db}"\nlog_level = "warning"\n')
    assert main(["db", "upgrade"]) == 0
    assert db.exists()
    assert main(["settings"]) == 0
    assert str(db) in capsys.readouterr().out
    path.write_text('printer_kind = "laser"\n')
    assert main(["db", "upgrade"]) == 1
    assert "printer_kind must be one of" in capsys.readouterr().err
