"""Engine creation: where the database is, and how every SQLite connection is set up."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from db.errors import DatabaseUnavailable, UnsafeDatabaseLocation

ENV_VAR = "FRONTDESK_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000
#: Execution option that makes a transaction start with BEGIN IMMEDIATE (writes).
WRITE_OPTION = "frontdesk_write"

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "ncpfs",
        "afs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs",
        "glusterfs",
        "ceph",
        "fuse.rclone",
    }
)


def default_database_path() -> Path:
    """The SQLite file in the user's data directory."""
    return Path(user_data_dir("FrontDesk", appauthor=False)) / "frontdesk.sqlite3"


def resolve_url(cli_value: str | None, environ: Mapping[str, str] = os.environ) -> URL:
    """--db wins, then FRONTDESK_DATABASE_URL, then the default file. A bare path means SQLite."""
    raw = cli_value or environ.get(ENV_VAR) or ""
    if not raw:
        return make_url(f"sqlite:///{default_database_path()}")
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    try:
        url = make_url(raw)
        url.get_dialect()  # unknown database kinds are refused here, not at first use
    except (ArgumentError, ValueError, ImportError):
        raise DatabaseUnavailable(f"“{raw}” is not a database URL or file path.") from None
    return url


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def _mount_fstype(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    try:
        lines = mounts_file.read_text().splitlines()
    except OSError:
        return None
    best, best_type = "", None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_path(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    """True when `path` lies on a network file system (NFS, SMB, sshfs, a UNC path...)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # DRIVE_REMOTE
    existing = path if path.exists() else path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    fstype = _mount_fstype(existing.resolve(), mounts_file)
    return fstype in NETWORK_FILESYSTEMS


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (the documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_sqlite(conn: Any) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: URL | str, *, create_dirs: bool = True, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite files get WAL, FULL sync, foreign keys, busy timeout."""
    url = make_url(url) if isinstance(url, str) else url
    path = sqlite_path(url)
    if path is None:
        return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
    if is_network_path(path):
        raise UnsafeDatabaseLocation(
            f"The database {path} is on a network share. SQLite cannot lock files safely "
            "there and sales could be lost. Keep the file on this computer, or let several "
            "terminals share a PostgreSQL server (--db postgresql+psycopg://...)."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(
            f"The database {path} cannot be read and written by this user. Check its permissions."
        )
    if create_dirs:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Cannot create the folder for the database {path}: {exc.strerror}."
            ) from None
    elif not path.exists():
        raise DatabaseUnavailable(f"There is no database at {path}.")
    engine = create_engine(
        url, echo=echo, hide_parameters=True, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def describe_operational_error(exc: BaseException, url: URL) -> str:
    """Plain words for a driver error met while opening or migrating the database."""
    text = str(getattr(exc, "orig", exc))
    where = sqlite_path(url) or url.render_as_string(hide_password=True)
    if "locked" in text or "busy" in text:
        return (
            f"The database {where} is locked by another program. Close other copies of "
            "FrontDesk using it, or wait a moment and try again."
        )
    if "file is not a database" in text or "malformed" in text:
        return f"{where} is not a FrontDesk database, or it is damaged."
    if "unable to open" in text:
        return f"The database {where} cannot be opened: check the folder exists and is writable."
    if "password authentication failed" in text or "Connection refused" in text:
        return f"Cannot connect to the database server {where}: {text.splitlines()[0]}"
    return f"The database {where} cannot be used: {text.splitlines()[0] if text else exc!r}"
