"""Where the database is, and the plain refusals when it cannot be used."""

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from db.engine import (
    ENV_VAR,
    default_database_path,
    is_network_path,
    make_engine,
    open_engine,
    resolve_url,
)
from db.errors import DatabaseTooNew, DatabaseUnavailable, UnsafeDatabaseLocation
from db.migrate import upgrade_to_head
from frontdesk.services.unit_of_work import UnitOfWork
from tests.damage import damage, damage_quietly
from tests.seed import SeededShop


def test_url_precedence(tmp_path: Path) -> None:
    env = {ENV_VAR: "sqlite:////env.sqlite3"}
    assert str(resolve_url("postgresql+psycopg://a@h/db", env)).startswith("postgresql")
    assert resolve_url(None, env).database == "/env.sqlite3"
    assert resolve_url(None, {}).database == str(default_database_path())
    assert resolve_url(str(tmp_path / "x.db"), {}).database == str(tmp_path / "x.db")
    with pytest.raises(DatabaseUnavailable, match="not a database URL"):
        resolve_url("nonsense://", {})


def test_network_share_is_refused(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    share = tmp_path / "share"
    share.mkdir()
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/spa {share} nfs4 rw 0 0\n")
    assert is_network_path(share / "frontdesk.sqlite3", mounts)
    assert not is_network_path(tmp_path / "frontdesk.sqlite3", mounts)
    assert is_network_path(Path("//server/share/frontdesk.sqlite3"))
    with pytest.raises(UnsafeDatabaseLocation, match="network share"):
        make_engine("sqlite://///server/share/frontdesk.sqlite3")


def test_database_newer_than_program(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'n.sqlite3'}", create=True)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseTooNew, match="newer version of FrontDesk"):
        upgrade_to_head(engine)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(DatabaseUnavailable, match="not a FrontDesk database"):
        upgrade_to_head(make_engine(f"sqlite:///{path}"))


def test_locked_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from db import engine as engine_module

    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other_program (x)")
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)  # the real wait is 5 s
    try:
        with pytest.raises(DatabaseUnavailable, match="locked by another program"):
            upgrade_to_head(make_engine(f"sqlite:///{path}"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unreadable_database(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file; permissions cannot be tested as root")
    path = tmp_path / "ro.sqlite3"
    path.write_bytes(b"")
    path.chmod(0)
    with pytest.raises(DatabaseUnavailable, match="cannot be read"):
        make_engine(f"sqlite:///{path}")


# --- issue 5: missing files, damaged files, unsupported URLs, owner-only files -----------


def test_a_missing_file_is_refused_unless_asked_to_create_it(tmp_path: Path) -> None:
    from db.errors import DatabaseMissing

    path = tmp_path / "typo" / "shop.sqlite3"
    with pytest.raises(DatabaseMissing, match="There is no database at"):
        make_engine(f"sqlite:///{path}")
    with pytest.raises(DatabaseMissing):
        open_engine(make_url(f"sqlite:///{path}"))
    assert not path.parent.exists()
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade_to_head(engine)
    engine.dispose()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_only_the_default_file_is_created_by_itself() -> None:
    default = default_database_path()
    engine = open_engine(resolve_url(None, {}))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")  # -wal and -shm now exist
        wal, shm = Path(f"{default}-wal"), Path(f"{default}-shm")
        assert wal.stat().st_mode & 0o777 == 0o600
        assert shm.stat().st_mode & 0o777 == 0o600
    engine.dispose()
    assert default.stat().st_mode & 0o777 == 0o600
    assert default.parent.stat().st_mode & 0o777 == 0o700


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        make_engine(f"sqlite:///{tmp_path}", create=True)


@pytest.mark.parametrize(
    "raw", ["mysql://spa:pw@db/spa", "mssql+pyodbc://h/db", "oracle://u@h/x", "ftp://x/y"]
)
def test_unsupported_urls_are_refused_before_any_driver_import(raw: str) -> None:
    with pytest.raises(DatabaseUnavailable, match="SQLite file") as refused:
        resolve_url(raw, {})
    assert "pw" not in refused.value.message


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    assert resolve_url("postgresql://app@h/db", {}).drivername == "postgresql+psycopg"


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_a_damaged_database_is_refused_at_open(
    db_path: Path, shop: SeededShop, tmp_path: Path
) -> None:
    from db.errors import DatabaseDamaged

    damage(db_path)
    with pytest.raises(DatabaseDamaged, match="is damaged") as refused:
        open_engine(make_url(f"sqlite:///{db_path}"), backup_dir=tmp_path / "backups")
    assert "No backup of it was found" in refused.value.message


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_the_damaged_message_names_the_latest_backup(db_path: Path, shop: SeededShop) -> None:
    from db.backup import BackupKind, backup_database
    from db.errors import DatabaseDamaged

    folder = db_path.parent / "backups"
    backup_database(db_path, folder=folder, kind=BackupKind.MANUAL)
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO audit_log (at, action, entity, detail) VALUES ('x','y','','')")
    latest = backup_database(db_path, folder=folder, kind=BackupKind.QUIT, keep=5)
    damage(db_path)
    with pytest.raises(DatabaseDamaged) as refused:
        open_engine(make_url(f"sqlite:///{db_path}"), backup_dir=folder)
    assert f"The latest backup is {latest}" in refused.value.message
    assert f"frontdesk restore {latest} --db {db_path}" in refused.value.message


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_rows_pointing_to_missing_rows_are_damage(db_path: Path, shop: SeededShop) -> None:
    from db.errors import DatabaseDamaged

    with sqlite3.connect(db_path) as conn:  # another tool, foreign keys off
        conn.execute(
            "INSERT INTO audit_log (at, staff_id, action, entity, detail) "
            "VALUES ('x', 9999, 'y', '', '')"
        )
    with pytest.raises(DatabaseDamaged, match=r"problems \(1\)"):
        open_engine(make_url(f"sqlite:///{db_path}"))


@pytest.mark.parametrize("how", [damage, damage_quietly])
@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_a_damaged_database_stops_the_report_with_exit_1(
    how: Callable[[Path], object],
    db_path: Path,
    shop: SeededShop,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from frontdesk.cli import main

    how(db_path)
    out = tmp_path / "eod.pdf"
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path)]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert not out.exists()


# --- the check's cost is bounded: skipped only for a file exactly as a clean close left it --


@pytest.fixture
def full_checks(
    monkeypatch: pytest.MonkeyPatch, database: UnitOfWork, shop: SeededShop
) -> list[Path]:
    """Counts full checks, on the seeded file with the seeding connections closed."""
    from db import engine as engine_module

    database.engine.dispose()  # like a terminal that quit: nothing else has the file open

    real = engine_module.integrity_problems
    calls: list[Path] = []

    def counted(engine: Engine) -> list[str]:
        calls.append(Path(str(engine.url.database)))
        return real(engine)

    monkeypatch.setattr(engine_module, "integrity_problems", counted)
    return calls


def _open_and_close(path: Path, now: datetime | None = None) -> None:
    from db.engine import close_engine

    engine = open_engine(make_url(f"sqlite:///{path}"), now=now)
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM customers")
    close_engine(engine, now=now)


def test_a_clean_close_lets_the_next_start_skip_the_full_check(
    db_path: Path, shop: SeededShop, full_checks: list[Path]
) -> None:
    _open_and_close(db_path)
    assert full_checks == [db_path]
    stamp = db_path.with_name(f"{db_path.name}.checked")
    assert stamp.stat().st_mode & 0o777 == 0o600
    _open_and_close(db_path)
    _open_and_close(db_path)
    assert full_checks == [db_path]  # still the one full check


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_any_outside_change_brings_the_full_check_back(
    db_path: Path, shop: SeededShop, full_checks: list[Path]
) -> None:
    from db.errors import DatabaseDamaged

    _open_and_close(db_path)
    with sqlite3.connect(db_path) as conn:  # another program writes
        conn.execute("INSERT INTO audit_log (at, action, entity, detail) VALUES ('x','y','','')")
    conn.close()
    _open_and_close(db_path)
    assert len(full_checks) == 2
    damage(db_path)  # a damaged disk or a half-copied file after a clean close
    with pytest.raises(DatabaseDamaged):
        open_engine(make_url(f"sqlite:///{db_path}"))


def test_a_crash_brings_the_full_check_back(
    db_path: Path, shop: SeededShop, full_checks: list[Path]
) -> None:
    _open_and_close(db_path)
    crashed = open_engine(make_url(f"sqlite:///{db_path}"))  # never closed cleanly
    crashed.dispose()
    _open_and_close(db_path)
    assert len(full_checks) == 2


def test_the_full_check_runs_at_least_weekly(
    db_path: Path, shop: SeededShop, full_checks: list[Path]
) -> None:
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    _open_and_close(db_path, monday)
    _open_and_close(db_path, monday + timedelta(days=6))
    assert len(full_checks) == 1
    _open_and_close(db_path, monday + timedelta(days=7))
    assert len(full_checks) == 2
