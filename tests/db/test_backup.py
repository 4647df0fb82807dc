"""Backups through SQLite's online backup API, pruning, and restores checked before they replace."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import backup as backup_module
from db.backup import (
    BackupKind,
    backup_database,
    latest_backup,
    list_backups,
    restore_database,
    verify_backup,
)
from db.errors import BackupFailed, DatabaseMissing
from db.migrate import known_revisions
from frontdesk.cli import main
from tests.damage import damage
from tests.seed import SeededShop

T0 = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _audit(path: Path, n: int, action: str = "test") -> None:
    with sqlite3.connect(path, timeout=5) as conn:
        for _ in range(n):
            conn.execute(
                "INSERT INTO audit_log (at, action, entity, detail) VALUES (?, ?, '', '')",
                ("2026-11-23 10:00:00.000000", action),
            )


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_backup_is_a_whole_owner_only_copy(db_path: Path, shop: SeededShop) -> None:
    copy = backup_database(db_path, now=T0)
    assert copy == db_path.parent / "backups" / "frontdesk-20261123-180000Z-manual.sqlite3"
    assert _mode(copy) == 0o600
    assert _mode(copy.parent) == 0o700
    assert _count(copy, "customers") == _count(db_path, "customers") > 0
    assert verify_backup(copy, known_revisions()) in known_revisions()
    assert not list(copy.parent.glob(".*partial"))


def test_a_backup_is_consistent_while_another_connection_writes(
    db_path: Path, shop: SeededShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    _audit(db_path, 2000)  # enough pages that a one-page-per-step copy takes many steps
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 1)
    before = _count(db_path, "audit_log")
    started = threading.Event()

    def writer() -> None:
        started.set()
        for _ in range(40):
            _audit(db_path, 5, "during")

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(5)
    copy = backup_database(db_path, out=db_path.parent / "during.sqlite3")
    thread.join(10)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        copied = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        during = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'during'").fetchone()
    assert before <= copied <= before + 200
    assert during[0] % 5 == 0  # whole transactions only: never half of one
    assert _count(db_path, "audit_log") == before + 200


def test_only_the_newest_automatic_backups_are_kept(db_path: Path, shop: SeededShop) -> None:
    folder = db_path.parent / "backups"
    manual = backup_database(db_path, now=T0 - timedelta(days=30))
    for day in range(5):
        _audit(db_path, 1)  # something changed, so each automatic backup is taken
        backup_database(db_path, kind=BackupKind.QUIT, keep=3, now=T0 + timedelta(days=day))
    kinds = list_backups(db_path, folder)
    assert [kind for _path, kind in kinds] == [BackupKind.MANUAL] + [BackupKind.QUIT] * 3
    assert kinds[0][0] == manual
    assert [path.name for path, _kind in kinds[1:]] == [
        f"frontdesk-202611{d}-180000Z-quit.sqlite3" for d in (25, 26, 27)
    ]
    assert latest_backup(db_path, folder) == kinds[-1][0]


def test_an_automatic_backup_is_skipped_when_nothing_changed(
    db_path: Path, shop: SeededShop
) -> None:
    first = backup_database(db_path, kind=BackupKind.QUIT, keep=3, now=T0)
    again = backup_database(db_path, kind=BackupKind.QUIT, keep=3, now=T0 + timedelta(hours=1))
    assert again == first
    _audit(db_path, 1)
    third = backup_database(db_path, kind=BackupKind.QUIT, keep=3, now=T0 + timedelta(hours=2))
    assert third != first


def test_a_backup_that_cannot_get_the_database_gives_up_in_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In rollback-journal mode a writer's exclusive lock shuts readers out: the backup can
    # never read a page, as with a program that holds the file locked for ever.
    path = tmp_path / "held.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    monkeypatch.setattr(backup_module, "BUSY_TIMEOUT_MS", 20)
    try:
        with pytest.raises(BackupFailed, match="did not finish within"):
            backup_database(path, kind=BackupKind.QUIT, keep=3, time_limit_s=0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list((tmp_path / "backups").iterdir())  # no partial file left behind


def test_a_backup_of_a_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing):
        backup_database(tmp_path / "nope.sqlite3")
    assert not (tmp_path / "backups").exists()


def test_restore_brings_the_backup_back_and_keeps_the_current_one(
    db_path: Path, shop: SeededShop
) -> None:
    copy = backup_database(db_path, now=T0)
    _audit(db_path, 7, "after the backup")
    safety = restore_database(copy, db_path, known_revisions=known_revisions())
    assert safety is not None
    assert "before-restore" in safety.name
    assert _mode(safety) == 0o600
    assert _count(safety, "audit_log") == _count(copy, "audit_log") + 7
    assert _count(db_path, "audit_log") == _count(copy, "audit_log")


@pytest.mark.parametrize("problem", ["damaged", "not-frontdesk", "newer", "not-sqlite"])
def test_a_bad_backup_is_refused_before_anything_is_replaced(
    problem: str, db_path: Path, shop: SeededShop, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    if problem == "damaged":
        backup_database(db_path, out=bad)
        damage(bad)
    elif problem == "not-frontdesk":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE recipes (name TEXT)")
    elif problem == "newer":
        backup_database(db_path, out=bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    else:
        bad.write_bytes(b"PK\x03\x04 a spreadsheet" * 100)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    with pytest.raises(BackupFailed, match=r"not|damaged|newer"):
        restore_database(bad, db_path, known_revisions=known_revisions())
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()  # not even the safety copy was needed


# --- the commands ----------------------------------------------------------------------


def test_backup_command(
    db_path: Path, shop: SeededShop, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    (made,) = list((db_path.parent / "backups").glob("frontdesk-*-manual.sqlite3"))
    assert f"Backed up {db_path} to {made}" in out
    named = db_path.parent / "before-the-update.sqlite3"
    assert main(["--db", str(db_path), "backup", "--out", str(named)]) == 0
    assert _mode(named) == 0o600
    assert main(["--db", str(db_path), "backup", "--out", str(named)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_backup_goes_to_the_configured_folder(
    db_path: Path, shop: SeededShop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "usb-stick" / "frontdesk"
    monkeypatch.setenv("FRONTDESK_BACKUP_DIR", str(folder))
    assert main(["backup", "--db", str(db_path)]) == 0
    assert len(list(folder.glob("frontdesk-*.sqlite3"))) == 1
    assert _mode(folder) == 0o700


def test_restore_command(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert main(["backup", "--db", str(db_path), "--out", str(copy)]) == 0
    _audit(db_path, 3)
    assert main(["--db", str(db_path), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"Restored {copy} into {db_path}" in out
    assert "The database as it was is saved in" in out
    assert _count(db_path, "audit_log") == _count(copy, "audit_log")


def test_restore_onto_a_missing_named_database_is_refused(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = backup_database(db_path)
    target = tmp_path / "typo" / "shop.sqlite3"
    assert main(["restore", str(copy), "--db", str(target)]) == 1
    assert "There is no database at" in capsys.readouterr().err
    assert not target.parent.exists()


def test_restore_onto_the_default_location_on_a_new_computer(
    db_path: Path, shop: SeededShop
) -> None:
    from db.engine import default_database_path

    copy = backup_database(db_path)
    assert main(["restore", str(copy)]) == 0
    assert _count(default_database_path(), "customers") == _count(db_path, "customers")
    assert _mode(default_database_path()) == 0o600
    assert _mode(default_database_path().parent) == 0o700


@pytest.mark.parametrize("command", [["backup"], ["restore", "x.sqlite3"]])
def test_postgresql_backups_point_to_pg_dump(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--db", "postgresql+psycopg://app:secret@127.0.0.1/shop"]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err
    assert "pg_restore" in err
    assert "secret" not in err


def test_report_for_today_closes_the_day_with_a_backup(
    db_path: Path, shop: SeededShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "today.pdf"
    assert main(["report", "eod", "--out", str(out), "--db", str(db_path)]) == 0
    (made,) = list((db_path.parent / "backups").glob("frontdesk-*-day-closed.sqlite3"))
    assert f"Backup of the day so far saved to {made}" in capsys.readouterr().out
    assert (
        main(["report", "eod", "--date", "2020-01-01", "--out", str(out), "--db", str(db_path)])
        == 0
    )
    assert "Backup of the day" not in capsys.readouterr().out


@pytest.mark.expect_log("db.engine", match="failed its integrity check")
def test_a_damaged_database_can_be_restored_from_its_backup(
    db_path: Path, shop: SeededShop, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = backup_database(db_path)
    damage(db_path)
    assert (
        main(["report", "eod", "--out", str(db_path.parent / "x.pdf"), "--db", str(db_path)]) == 1
    )
    assert f"frontdesk restore {copy} --db {db_path}" in capsys.readouterr().err
    damaged_bytes = db_path.read_bytes()
    assert main(["restore", str(copy), "--db", str(db_path)]) == 0
    (kept,) = list((db_path.parent / "backups").glob("frontdesk-*-before-restore.sqlite3"))
    assert kept.read_bytes() == damaged_bytes  # the damaged file is kept as it was
    assert _mode(kept) == 0o600
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert (
        main(["report", "eod", "--out", str(db_path.parent / "x.pdf"), "--db", str(db_path)]) == 0
    )
