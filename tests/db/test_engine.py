"""Where the database is, and the plain refusals when it cannot be used."""

from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import ENV_VAR, default_database_path, is_network_path, make_engine, resolve_url
from db.errors import DatabaseTooNew, DatabaseUnavailable, UnsafeDatabaseLocation
from db.migrate import upgrade_to_head


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
