"""Engine creation: where the database is, and how every SQLite connection is set up."""

from __future__ import annotations

import logging
import os
import sys
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir

from db.errors import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnavailable,
    UnsafeDatabaseLocation,
    UnsupportedDatabase,
    words,
)

if TYPE_CHECKING:  # SQLAlchemy is imported where an engine is made: not on the way to sign-in
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

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


SUPPORTED = (
    "FrontDesk works with a SQLite file (give its path) or a PostgreSQL server "
    "(postgresql+psycopg://user:password@host/name)."
)
# Whole sentences, so each is translated as one (the window and the CLI translate them).
NOT_A_URL = words("The database setting is not a database URL. " + SUPPORTED)
UNSUPPORTED_URL = words("“{url}” is not a database URL FrontDesk can use. " + SUPPORTED)
NO_DRIVER = words("The database driver of “{url}” is not installed. " + SUPPORTED)


def resolve_url(cli_value: str | None, environ: Mapping[str, str] = os.environ) -> URL:
    """--db wins, then FRONTDESK_DATABASE_URL, then the default file. A bare path means SQLite.

    Only SQLite and PostgreSQL (psycopg 3) are accepted; anything else is refused here, in
    plain words, rather than deep inside SQLAlchemy or a driver import.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    raw = cli_value or environ.get(ENV_VAR) or ""
    if not raw:
        return make_url(f"sqlite:///{default_database_path()}")
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise UnsupportedDatabase(NOT_A_URL) from None
    shown = url.render_as_string(hide_password=True)
    backend = url.get_backend_name()
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
    if backend not in ("sqlite", "postgresql"):
        raise UnsupportedDatabase(UNSUPPORTED_URL, url=shown)
    try:
        url.get_dialect().import_dbapi()
    except (ArgumentError, ImportError, ValueError):
        raise UnsupportedDatabase(NO_DRIVER, url=shown) from None
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


#: Database files, their -wal/-shm companions, backups and their folders: owner only.
FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_MAGIC = b"SQLite format 3\x00"


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents readable by their owner only (0700)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        part.chmod(FOLDER_MODE)  # the umask may have taken bits away; never add any
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600); fails if it already exists."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    path.chmod(FILE_MODE)


MISSING_DATABASE = words(
    "There is no database at {path}. Check the path for a typing mistake; to start a new "
    "shop there, run: frontdesk db init --db {path}"
)


def missing_database(path: Path) -> DatabaseMissing:
    return DatabaseMissing(MISSING_DATABASE, path=path)


def make_engine(url: URL | str, *, create: bool = False, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite files get WAL, FULL sync, foreign keys, busy timeout.

    A SQLite file that does not exist is refused (DatabaseMissing) unless `create` is true;
    then it and any missing folders are created owner-only. SQLite gives the -wal and -shm
    files the main file's permissions, so they are owner-only too.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    url = make_url(url) if isinstance(url, str) else url
    path = sqlite_path(url)
    if path is None:
        return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)
    if is_network_path(path):
        raise UnsafeDatabaseLocation(
            (
                "The database {path} is on a network share. SQLite cannot lock files "
                "safely there and sales could be lost. Keep the file on this computer, "
                "or let several terminals share a PostgreSQL server (--db "
                "postgresql+psycopg://...)."
            ),
            path=path,
        )
    if path.is_dir():
        raise DatabaseUnavailable("{path} is a folder, not a database file.", path=path)
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(
            "The database {path} cannot be read and written by this user. Check its permissions.",
            path=path,
        )
    if not path.exists():
        if not create:
            raise missing_database(path)
        try:
            make_private_folder(path.parent)
            create_private_file(path)
        except FileExistsError:
            pass  # another process created it a moment ago: use it
        except OSError as exc:
            raise DatabaseUnavailable(
                "Cannot create the database {path}: {reason}.",
                path=path,
                reason=exc.strerror or exc,
            ) from None
    engine = create_engine(
        url, echo=echo, hide_parameters=True, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def integrity_problems(engine: Engine) -> list[str]:
    """What SQLite's `quick_check` and `foreign_key_check` report; empty when the file is sound.

    The lines name tables, pages and row ids only, never the data in them.
    """
    from sqlalchemy.exc import DBAPIError

    path = sqlite_path(engine.url)
    if path is None:
        return []
    with path.open("rb") as file:
        header = file.read(len(SQLITE_MAGIC))
    if header and header != SQLITE_MAGIC:
        raise DatabaseUnavailable(
            "{path} is not a FrontDesk database (it is not a SQLite file).", path=path
        )
    try:
        with engine.connect() as connection:
            problems = [
                str(row)
                for row in connection.exec_driver_sql("PRAGMA quick_check").scalars()
                if row != "ok"
            ]
            problems += [
                f"row {rowid} of {table} points to a missing row of {parent}"
                for table, rowid, parent, _fk in connection.exec_driver_sql(
                    "PRAGMA foreign_key_check"
                )
            ]
    except DBAPIError as exc:
        text = str(getattr(exc, "orig", exc))
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return [text.splitlines()[0]]
        raise unavailable(exc, engine.url) from exc
    return problems


def check_integrity(engine: Engine, backup_dir: Path | None = None) -> None:
    """Refuse a damaged SQLite file (DatabaseDamaged), naming the latest backup if any."""
    problems = integrity_problems(engine)
    if not problems:
        return
    from db.backup import latest_backup  # db.backup builds on this module

    path = sqlite_path(engine.url)
    assert path is not None
    log.warning("%s failed its integrity check: %s", path, "; ".join(problems[:5]))
    latest = latest_backup(path, backup_dir) if backup_dir is not None else None
    damaged = (
        "The database {path} is damaged: SQLite's integrity check found problems "
        "(%n). FrontDesk will not use it, so that nothing more is lost. "
    )
    if latest is not None:
        raise DatabaseDamaged(
            damaged + "The latest backup is {backup}. To go back to it, run: "
            "frontdesk restore {backup} --db {path}",
            path=path,
            n=len(problems),
            backup=latest,
        )
    if backup_dir is not None:
        raise DatabaseDamaged(
            damaged + "No backup of it was found in {folder}. Keep the file and ask for support.",
            path=path,
            n=len(problems),
            folder=backup_dir,
        )
    raise DatabaseDamaged(
        damaged + "No backup of it was found. Keep the file and ask for support.",
        path=path,
        n=len(problems),
    )


#: A clean close less than this long after the last full check lets the next start skip it.
FULL_CHECK_EVERY = timedelta(days=7)
_last_full_check: weakref.WeakKeyDictionary[Engine, datetime] = weakref.WeakKeyDictionary()


def _stamp_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.checked")


def _identity(path: Path) -> dict[str, int] | None:
    """What identifies the file's bytes on disk; None while a -wal holds unfolded changes."""
    wal = Path(f"{path}-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        stat = path.stat()
    except OSError:
        return None
    return {
        "device": stat.st_dev,
        "inode": stat.st_ino,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
    }


def _take_stamp(path: Path) -> datetime | None:
    """When the file was last fully checked, if it is untouched since FrontDesk closed it.

    The stamp is used up: a session that ends without a clean close leaves none, so the
    next start checks the whole file again.
    """
    stamp = _stamp_path(path)
    try:
        import json

        data = json.loads(stamp.read_text(encoding="utf-8"))
        stamp.unlink()
        checked = datetime.fromisoformat(data["checked_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("identity") != _identity(path) or checked.tzinfo is None:
        return None
    return checked


def close_engine(engine: Engine, now: datetime | None = None) -> None:
    """Close every connection (SQLite folds the WAL back into the file) and, for a file that
    was fully checked recently, leave a stamp so the next start may skip the slow check."""
    checked = _last_full_check.pop(engine, None)
    engine.dispose()
    path = sqlite_path(engine.url)
    now = now or datetime.now(UTC)
    if path is None or checked is None or now - checked >= FULL_CHECK_EVERY:
        return
    identity = _identity(path)
    if identity is None:
        return
    import json

    stamp = _stamp_path(path)
    try:
        stamp.unlink(missing_ok=True)
        create_private_file(stamp)
        stamp.write_text(
            json.dumps({"identity": identity, "checked_at": checked.isoformat()}),
            encoding="utf-8",
        )
    except OSError as exc:
        log.warning("Could not record the integrity check of %s: %s", path, exc.strerror)


def _quick_sanity(engine: Engine) -> None:
    """The cheap part of the check: the header and the schema can be read."""
    path = sqlite_path(engine.url)
    assert path is not None
    with path.open("rb") as file:
        header = file.read(len(SQLITE_MAGIC))
    if header and header != SQLITE_MAGIC:
        raise DatabaseUnavailable(
            "{path} is not a FrontDesk database (it is not a SQLite file).", path=path
        )


def open_engine(
    url: URL,
    *,
    create: bool | None = None,
    check: bool = True,
    backup_dir: Path | None = None,
    now: datetime | None = None,
) -> Engine:
    """The shared way in: refuse missing, unsafe or damaged databases in plain words.

    `create=None` creates only the default file in the user data folder (the first run); a
    named file that does not exist is refused, so a typing mistake never starts an empty shop.

    A SQLite file gets `quick_check` and `foreign_key_check` (seconds on a very large shop).
    They are skipped only when the file is byte-for-byte as FrontDesk left it at a clean close
    (same inode, size, times, no pending WAL) and its last full check is under
    FULL_CHECK_EVERY old; a crash, another program's write or a copied-in file means a full
    check at the next start.
    """
    path = sqlite_path(url)
    if create is None:
        create = path is not None and path == default_database_path()
    existed = path is not None and path.exists()
    engine = make_engine(url, create=create)
    if path is None or not check:
        return engine
    now = now or datetime.now(UTC)
    try:
        checked = _take_stamp(path) if existed else None
        if checked is not None and now - checked < FULL_CHECK_EVERY:
            _quick_sanity(engine)
            _last_full_check[engine] = checked
        else:
            if existed:
                check_integrity(engine, backup_dir)
            _last_full_check[engine] = now
    except BaseException:
        engine.dispose()
        raise
    return engine


def unavailable(exc: BaseException, url: URL) -> DatabaseUnavailable:
    """Plain words for a driver error met while opening or migrating the database."""
    text = str(getattr(exc, "orig", exc))
    where = sqlite_path(url) or url.render_as_string(hide_password=True)
    if "locked" in text or "busy" in text:
        return DatabaseUnavailable(
            "The database {where} is locked by another program. Close other copies of "
            "FrontDesk using it, or wait a moment and try again.",
            where=where,
        )
    if "file is not a database" in text or "malformed" in text:
        return DatabaseUnavailable(
            "{where} is not a FrontDesk database, or it is damaged.", where=where
        )
    if "unable to open" in text:
        return DatabaseUnavailable(
            "The database {where} cannot be opened: check the folder exists and is writable.",
            where=where,
        )
    detail = text.splitlines()[0] if text else repr(exc)
    if "password authentication failed" in text or "Connection refused" in text:
        return DatabaseUnavailable(
            "Cannot connect to the database server {where}: {reason}", where=where, reason=detail
        )
    return DatabaseUnavailable(
        "The database {where} cannot be used: {reason}", where=where, reason=detail
    )
