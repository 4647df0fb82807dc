"""Backups of a SQLite database with SQLite's online backup API, and restoring one.

The backup API copies the database page by page through SQLite itself, so it is safe while the
shop is working: the copy is one consistent moment even when another terminal writes. Backups
are named `<database name>-<UTC time>-<kind>.sqlite3` in a backups folder (by default beside
the database); only automatic ones (`quit`, `day-closed`) are pruned to the newest N.
PostgreSQL is backed up with its own tools (pg_dump / pg_restore), not here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from db.engine import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    create_private_file,
    make_private_folder,
)
from db.errors import BackupFailed, DatabaseMissing

log = logging.getLogger(__name__)

#: Pages copied per step of the backup API: 4,096 pages are 16 MB at SQLite's default page size.
PAGES_PER_STEP = 4096
#: A backup that cannot finish in this time (a lock held for ever, a dying disk) is given up.
DEFAULT_TIME_LIMIT_S = 120.0


class BackupKind(StrEnum):
    """Why a backup was taken; only the automatic kinds are pruned."""

    MANUAL = "manual"
    QUIT = "quit"
    DAY_CLOSED = "day-closed"
    BEFORE_RESTORE = "before-restore"

    @property
    def automatic(self) -> bool:
        return self in (BackupKind.QUIT, BackupKind.DAY_CLOSED)


def default_backup_dir(database: Path) -> Path:
    """The `backups` folder beside the database (for the default one: <data dir>/backups)."""
    return database.parent / "backups"


def _pattern(database: Path) -> re.Pattern[str]:
    kinds = "|".join(re.escape(kind.value) for kind in BackupKind)
    return re.compile(
        rf"{re.escape(database.stem)}-(\d{{8}}-\d{{6}})Z-({kinds})(?:-(\d+))?\.sqlite3"
    )


def list_backups(database: Path, folder: Path) -> list[tuple[Path, BackupKind]]:
    """The backups of `database` in `folder`, oldest first."""
    pattern = _pattern(database)
    found: list[tuple[str, int, int, Path, BackupKind]] = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = pattern.fullmatch(entry.name)
            if match and entry.is_file():
                # Names sort by the second; within one second, by when the file was written.
                written = entry.stat().st_mtime_ns
                found.append((match[1], written, int(match[3] or 0), entry, BackupKind(match[2])))
    return [(path, kind) for *_key, path, kind in sorted(found, key=lambda f: f[:3])]


def latest_backup(database: Path, folder: Path) -> Path | None:
    """The newest backup of `database` in `folder`, of any kind."""
    backups = list_backups(database, folder)
    return backups[-1][0] if backups else None


def _unchanged_since_latest(database: Path, folder: Path) -> Path | None:
    """The latest backup when nothing was written to the database after it was taken.

    Every write changes the database file or its -wal, so their times say whether anything
    happened since; opening and quitting without a sale does not push out older backups.
    """
    latest = latest_backup(database, folder)
    if latest is None:
        return None
    try:
        taken = latest.stat().st_mtime_ns
        changed = max(
            Path(f"{database}{suffix}").stat().st_mtime_ns
            for suffix in ("", "-wal")
            if Path(f"{database}{suffix}").exists()
        )
    except OSError:
        return None
    return latest if taken > changed else None


def _new_name(database: Path, folder: Path, kind: BackupKind, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        suffix = f"-{n}" if n else ""
        candidate = folder / f"{database.stem}-{stamp}Z-{kind.value}{suffix}.sqlite3"
        if not candidate.exists():
            return candidate
    raise BackupFailed(
        "Too many backups of {database} in {folder} this second.", database=database, folder=folder
    )


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    if read_only:
        target, uri = f"file:{path}?mode=ro", True
    else:
        target, uri = str(path), False
    connection = sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield connection
    finally:
        connection.close()


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, time_limit_s: float) -> None:
    """SQLite's online backup, in steps, given up once `time_limit_s` has passed."""
    deadline = time.monotonic() + time_limit_s

    def progress(_status: int, _remaining: int, _total: int) -> None:
        if time.monotonic() > deadline:
            raise TimeoutError

    source.backup(target, pages=PAGES_PER_STEP, progress=progress, sleep=0.05)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_database(
    database: Path,
    *,
    folder: Path | None = None,
    out: Path | None = None,
    kind: BackupKind = BackupKind.MANUAL,
    keep: int | None = None,
    now: datetime | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Path:
    """Copy `database` to `out` (or a new timestamped file in `folder`); return the copy.

    The copy is written to a hidden partial file, synced, then renamed, so a backup that
    exists is whole. Automatic kinds prune older automatic backups to the newest `keep`.
    """
    if not database.is_file():
        raise DatabaseMissing(
            "There is no database at {database} to back up.", path=database, database=database
        )
    folder = folder or default_backup_dir(database)
    if kind.automatic and out is None:
        unchanged = _unchanged_since_latest(database, folder)
        if unchanged is not None:
            log.info("%s has not changed since its backup %s", database, unchanged)
            return unchanged
    try:
        if out is None:
            make_private_folder(folder)
            out = _new_name(database, folder, kind, now or datetime.now(UTC))
        elif out.is_dir():
            raise BackupFailed("{path} is a folder: give the backup a file name.", path=out)
        elif out.exists():
            raise BackupFailed(
                "{path} already exists; choose another name for the backup.", path=out
            )
        elif not out.parent.is_dir():
            raise BackupFailed("The folder {folder} does not exist.", folder=out.parent)
        partial = out.with_name(f".{out.name}.partial")
        partial.unlink(missing_ok=True)
        create_private_file(partial)
    except OSError as exc:
        raise BackupFailed(
            "Cannot write a backup at {path}: {reason}.",
            path=out or folder,
            reason=exc.strerror or exc,
        ) from None
    started = time.monotonic()
    try:
        with _connect(database) as source, _connect(partial) as target:
            _copy(source, target, time_limit_s)
            target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        _fsync(partial)
        os.replace(partial, out)
        with contextlib.suppress(OSError):
            _fsync(out.parent)
    except TimeoutError:
        partial.unlink(missing_ok=True)
        raise BackupFailed(
            (
                "The backup of {database} did not finish within {seconds:.0f} s (the "
                "database stayed busy); nothing was replaced."
            ),
            database=database,
            seconds=time_limit_s,
        ) from None
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupFailed(
            "The backup of {database} failed: {reason}.", database=database, reason=reason
        ) from None
    log.info("Backed up %s to %s in %.1f s", database, out, time.monotonic() - started)
    if kind.automatic and keep is not None:
        prune_backups(database, out.parent, keep)
    return out


def prune_backups(database: Path, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups of `database`; return the deleted."""
    automatic = [path for path, kind in list_backups(database, folder) if kind.automatic]
    doomed = automatic[: max(len(automatic) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def verify_backup(backup: Path, known_revisions: frozenset[str]) -> str:
    """Refuse a file that is not a whole FrontDesk backup; return its schema revision."""
    if not backup.is_file():
        raise BackupFailed("There is no backup file at {backup}.", backup=backup)
    with backup.open("rb") as file:
        if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupFailed(
                "{backup} is not a FrontDesk backup (it is not a SQLite file).", backup=backup
            )
    try:
        with _connect(backup, read_only=True) as connection:
            check = [row[0] for row in connection.execute("PRAGMA quick_check")]
            orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
            has_version = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'alembic_version'"
            ).fetchone()[0]
            revision = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if has_version
                else None
            )
    except sqlite3.Error:
        raise BackupFailed("{backup} is damaged; it was not restored.", backup=backup) from None
    if check != ["ok"] or orphans:
        raise BackupFailed(
            "{backup} is damaged (its integrity check failed); it was not restored.", backup=backup
        )
    if revision is None:
        raise BackupFailed(
            "{backup} is not a FrontDesk database; it was not restored.", backup=backup
        )
    if revision[0] not in known_revisions:
        raise BackupFailed(
            (
                "{backup} was made by a newer version of FrontDesk (schema {revision});"
                " install that version to restore it."
            ),
            backup=backup,
            revision=revision[0],
        )
    return str(revision[0])


def restore_database(
    backup: Path,
    database: Path,
    *,
    folder: Path | None = None,
    known_revisions: frozenset[str],
    create: bool = False,
    now: datetime | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Path | None:
    """Check `backup`, back up `database`, then copy `backup` into it through SQLite.

    Returns the backup taken of the database as it was (None when there was none). Nothing
    is replaced unless the backup passes its checks first. A missing `database` is refused
    unless `create` (then it is created owner-only, like every database file).
    """
    verify_backup(backup, known_revisions)
    safety = None
    damaged = False
    if not database.exists():
        if not create:
            raise DatabaseMissing(
                "There is no database at {database} to restore into.",
                path=database,
                database=database,
            )
        try:
            make_private_folder(database.parent)
            create_private_file(database)
        except OSError as exc:
            raise BackupFailed(
                "Cannot create {database}: {reason}.", database=database, reason=exc.strerror or exc
            ) from None
    elif database.stat().st_size > 0:
        damaged = _is_damaged(database)
        if damaged:  # the backup API reads pages through SQLite: keep the bytes as they are
            safety = _raw_copy(database, folder or default_backup_dir(database), now)
        else:
            safety = backup_database(
                database,
                folder=folder,
                kind=BackupKind.BEFORE_RESTORE,
                now=now,
                time_limit_s=time_limit_s,
            )
    try:
        if damaged:
            _replace_file(backup, database, time_limit_s)
        else:
            with _connect(backup, read_only=True) as source, _connect(database) as target:
                _copy(source, target, time_limit_s)
        with _connect(database) as restored:
            if restored.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the restored database failed its check")
    except TimeoutError:
        raise BackupFailed(
            (
                "Restoring {backup} did not finish within {seconds:.0f} s (the database"
                " stayed busy). The database as it was is saved in {safety}."
            ),
            backup=backup,
            seconds=time_limit_s,
            safety=safety,
        ) from None
    except (OSError, sqlite3.Error) as exc:
        raise BackupFailed(
            (
                "Restoring {backup} into {database} failed ({reason}). The database as "
                "it was is saved in {safety}."
            ),
            backup=backup,
            database=database,
            reason=exc,
            safety=safety,
        ) from None
    return safety


def _is_damaged(database: Path) -> bool:
    try:
        with _connect(database) as connection:
            return [row[0] for row in connection.execute("PRAGMA quick_check")] != ["ok"]
    except sqlite3.DatabaseError:
        return True


def _raw_copy(database: Path, folder: Path, now: datetime | None) -> Path:
    """A byte-for-byte copy of a damaged database (and its -wal), kept for whoever repairs it."""
    try:
        make_private_folder(folder)
        out = _new_name(database, folder, BackupKind.BEFORE_RESTORE, now or datetime.now(UTC))
        for suffix in ("", "-wal"):
            source = Path(f"{database}{suffix}")
            if source.exists():
                copy = Path(f"{out}{suffix}")
                create_private_file(copy)
                copy.write_bytes(source.read_bytes())
                _fsync(copy)
    except OSError as exc:
        raise BackupFailed(
            "Cannot keep a copy of {database} before restoring: {reason}; nothing was replaced.",
            database=database,
            reason=exc.strerror or exc,
        ) from None
    return out


def _replace_file(backup: Path, database: Path, time_limit_s: float) -> None:
    """Restore over a damaged file SQLite cannot write into: a fresh copy renamed over it."""
    fresh = database.with_name(f".{database.name}.restoring")
    fresh.unlink(missing_ok=True)
    create_private_file(fresh)
    try:
        with _connect(backup, read_only=True) as source, _connect(fresh) as target:
            _copy(source, target, time_limit_s)
            target.execute("PRAGMA journal_mode = DELETE")
        _fsync(fresh)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(fresh, database)
    finally:
        fresh.unlink(missing_ok=True)
