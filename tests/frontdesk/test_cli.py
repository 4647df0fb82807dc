"""The command line, in-process: help, headless reports, upgrades and plain refusals."""

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from frontdesk.cli import main
from frontdesk.ui import app as app_module
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


def test_db_init_creates_then_upgrade_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite3"
    assert main(["db", "init", "--db", str(db)]) == 0
    assert "New FrontDesk database created at" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_db_upgrade_migrates_an_empty_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "empty.sqlite3"
    db.touch()  # it exists: the person made it on purpose
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert "upgraded from an empty database to schema" in capsys.readouterr().out


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
    assert main(["db", "upgrade"]) == 1  # a named file is never created on its own
    assert "There is no database at" in capsys.readouterr().err
    assert main(["db", "init"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert db.exists()
    assert main(["settings"]) == 0
    assert str(db) in capsys.readouterr().out
    path.write_text('printer_kind = "laser"\n')
    assert main(["db", "upgrade"]) == 1
    assert "printer_kind must be one of" in capsys.readouterr().err


# --- issue 5: --db in either position, missing files refused, no tracebacks ---------------


def _with_db(command: list[str], db: Path, position: str) -> list[str]:
    """`frontdesk --db X COMMAND ...` or `frontdesk COMMAND ... --db X`."""
    return ["--db", str(db), *command] if position == "before" else [*command, "--db", str(db)]


def _table_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


BOTH = pytest.mark.parametrize("position", ["before", "after"])


@BOTH
def test_demo_builds_the_named_database(
    position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite3"
    assert main(_with_db(["demo", "--customers", "3"], db, position)) == 0
    assert str(db) in capsys.readouterr().out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 3


@BOTH
def test_report_reads_the_named_database(
    position: str, db_path: Path, shop: SeededShop, tmp_path: Path
) -> None:
    out = tmp_path / "eod.pdf"
    argv = _with_db(["report", "eod", "--date", "2026-11-23", "--out", str(out)], db_path, position)
    assert main(argv) == 0
    assert "Willow Test Spa" in PdfReader(out).pages[0].extract_text()


@BOTH
def test_db_upgrade_uses_the_named_database(
    position: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_with_db(["db", "upgrade"], db_path, position)) == 0
    assert f"{db_path} is up to date" in capsys.readouterr().out


@BOTH
def test_db_init_creates_the_named_database(
    position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite3"
    assert main(_with_db(["db", "init"], db, position)) == 0
    assert "created" in capsys.readouterr().out
    assert _table_count(db) > 10


@BOTH
def test_settings_shows_the_named_database(
    position: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "shown.sqlite3"
    assert main(_with_db(["settings"], db, position)) == 0
    assert str(db) in capsys.readouterr().out
    assert not db.exists()  # listing settings opens no database


def test_settings_never_print_the_database_password(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://till:s3cret-pw@db.example/frontdesk"

    assert main(["--db", url, "settings"]) == 0

    out = capsys.readouterr().out
    assert "s3cret-pw" not in out
    assert "postgresql+psycopg://till:***@db.example/frontdesk" in out


@BOTH
def test_gui_opens_the_named_database(
    position: str, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer_no(_parent: object, _title: str, question: str) -> bool:
        asked.append(question)
        return False

    monkeypatch.setattr(app_module, "ask_yes_no", answer_no)
    db = tmp_path / "window.sqlite3"
    assert main(_with_db(["gui"], db, position)) == 0
    assert asked == [f"Create a new database at {db}?"]
    assert not db.exists()


def test_the_default_database_is_never_touched_when_one_is_named(tmp_path: Path) -> None:
    from db.engine import default_database_path

    db = tmp_path / "named.sqlite3"
    assert main(["--db", str(db), "db", "init"]) == 0
    assert main(["--db", str(db), "demo", "--customers", "2", "--force"]) == 0
    assert not default_database_path().exists()
    assert not default_database_path().parent.exists()


MISSING_COMMANDS = [
    ["report", "eod", "--out", "{tmp}/eod.pdf"],
    ["db", "upgrade"],
]


@pytest.mark.parametrize("command", MISSING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_named_database_is_refused(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "typo" / "frontdesk.sqlite3"
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"There is no database at {db}" in err
    assert "frontdesk db init" in err
    assert "Traceback" not in err
    assert not db.parent.exists()
    assert not (tmp_path / "eod.pdf").exists()


def test_db_init_refuses_an_existing_file(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_path.read_bytes()
    assert main(["db", "init", "--db", str(db_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert db_path.read_bytes() == before


def test_the_default_database_is_created_on_first_run(capsys: pytest.CaptureFixture[str]) -> None:
    from db.engine import default_database_path

    assert main(["db", "upgrade"]) == 0
    path = default_database_path()
    assert _table_count(path) > 10
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_db_init_creates_owner_only_files_and_folders(tmp_path: Path) -> None:
    db = tmp_path / "new-folder" / "shop.sqlite3"
    assert main(["db", "init", "--db", str(db)]) == 0
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db}{suffix}")
        if side.exists():
            assert side.stat().st_mode & 0o777 == 0o600


def test_out_naming_a_folder_is_refused(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "eod", "--out", str(tmp_path), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert f"frontdesk: {tmp_path} is a folder" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_out_that_cannot_be_written_is_refused(
    where: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if where == "under-a-file":
        plain = tmp_path / "notes.txt"
        plain.write_text("a file, not a folder")
        out = plain / "eod.pdf"
    else:
        out = Path("/proc/self/eod.pdf")
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("frontdesk: ")
    assert str(out) in err
    assert "Traceback" not in err


def test_out_over_a_file_that_is_not_a_pdf_needs_force(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "accounts.pdf"
    out.write_text("the only copy of this year's accounts")
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path)]) == 1
    assert "is not a PDF" in capsys.readouterr().err
    assert out.read_text() == "the only copy of this year's accounts"
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path), "--force"]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    # an existing PDF is replaced without asking: that is the normal re-run of a report
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path)]) == 0


def test_demo_naming_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"frontdesk: {tmp_path} is a folder" in err
    assert main(["demo", "--db", str(tmp_path), "--force"]) == 1
    assert tmp_path.is_dir()


@pytest.mark.parametrize(
    "url", ["mysql://spa:pw@db/spa", "oracle://x@y/z", "mssql+pyodbc://h/db", "ftp://x/y"]
)
@pytest.mark.parametrize("command", [["report", "eod", "--out", "x.pdf"], ["db", "upgrade"]])
def test_unsupported_database_urls_are_refused_plainly(
    url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("frontdesk: ")
    assert "SQLite" in err
    assert "PostgreSQL" in err
    assert "pw" not in err
    assert "Traceback" not in err


def test_db_init_and_upgrade_on_postgresql(
    pg_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "db", "upgrade"]) == 0  # an empty server database is migrated
    assert main(["--db", url, "db", "init"]) == 1
    assert "already holds a FrontDesk database" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", url]) == 0
    assert "is up to date" in capsys.readouterr().out


@BOTH
def test_backup_and_restore_use_the_named_database(
    position: str, db_path: Path, shop: SeededShop, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert main(_with_db(["backup", "--out", str(copy)], db_path, position)) == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT name FROM shop_profile").fetchone() == ("Willow Test Spa",)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM audit_log")
        conn.execute("UPDATE shop_profile SET name = 'Changed after the backup'")
    assert main(_with_db(["restore", str(copy)], db_path, position)) == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name FROM shop_profile").fetchone() == ("Willow Test Spa",)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("", "База {db} не требует обновления"),  # the shop is Russian
        ("zh_CN", "{db} 已是最新"),
        ("en", "{db} is up to date"),
    ],
)
def test_messages_speak_the_setting_else_the_shop_language(
    db_path: Path,
    shop: SeededShop,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    expected: str,
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE shop_profile SET locale = 'ru_RU', currency = 'RUB'")
    monkeypatch.setenv("FRONTDESK_LANGUAGE", language)

    assert main(["db", "upgrade", "--db", str(db_path)]) == 0

    assert expected.format(db=f"sqlite:///{db_path}") in capsys.readouterr().out


def test_refusals_speak_the_shop_language_too(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE shop_profile SET locale = 'zh_CN', currency = 'CNY'")
    argv = ["report", "eod", "--out", str(tmp_path / "missing" / "eod.pdf"), "--db", str(db_path)]

    assert main(argv) == 1

    folder = tmp_path / "missing"
    assert f"无法写入 {folder / 'eod.pdf'}：文件夹 {folder} 不存在。" in capsys.readouterr().err


def test_settings_are_explained_in_the_shop_language(
    db_path: Path, shop: SeededShop, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE shop_profile SET locale = 'zh_CN', currency = 'CNY'")

    assert main(["settings", "--db", str(db_path)]) == 0

    out = capsys.readouterr().out
    assert "会员卡扫描器的串口；没有扫描器则留空" in out
    assert "（默认 9600）" in out
    assert "Scanner baud rate" not in out


def test_help_is_written_in_the_shop_language(
    db_path: Path, shop: SeededShop, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE shop_profile SET locale = 'ru_RU', currency = 'RUB'")

    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "--help"])

    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Использование: frontdesk")
    assert "settings  показать все настройки и их значения" in out
    assert "-h, --help  показать эту справку и выйти" in out
