"""A first look into a SQLite database with the standard library alone: who can sign in.

The sign-in window needs the shop's name and the staff list, nothing else. Reading them with
`sqlite3` lets the window show before SQLAlchemy, the models and Alembic are loaded; the full
start (engine, integrity check, schema check) runs afterwards and has the last word: anything
unusual here gives None, and the full start then says what is wrong in plain words.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from db.engine import BUSY_TIMEOUT_MS, ENV_VAR, SQLITE_MAGIC, default_database_path

SQLITE_PREFIX = "sqlite:///"


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class FirstLook:
    """What the first window shows, as stored."""

    shop_name: str | None  # None before the shop's profile is saved
    locale: str | None  # the shop's locale: the first window speaks its language
    staff: tuple[StaffRow, ...]  # active, with a PIN, by name (as staff_for_sign_in)
    has_staff: bool  # anyone at all, active or not (none: the owner is created first)


def sqlite_file(cli_value: str | None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The SQLite file `db.engine.resolve_url` would name, worked out without SQLAlchemy.

    None for PostgreSQL and for any URL this simple reading is not sure about.
    """
    raw = cli_value or environ.get(ENV_VAR) or ""
    if not raw:
        return default_database_path()
    if "://" not in raw:
        return Path(raw).expanduser().resolve()
    rest = raw[len(SQLITE_PREFIX) :] if raw.startswith(SQLITE_PREFIX) else ""
    if not rest or rest == ":memory:" or any(char in rest for char in "?%#"):
        return None
    return Path(rest)


def look(path: Path) -> FirstLook | None:
    """The shop's name and staff, or None when this file cannot be read this simple way."""
    try:
        with path.open("rb") as file:
            if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                return None
        # Read-write open but only reads: a read-only open of a WAL file fails when its -shm
        # is missing. Nothing is written, so the file stays as the last clean close left it.
        uri = f"file:{quote(str(path))}?mode=rw"
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except (OSError, sqlite3.Error):
        return None
    try:
        shop = connection.execute(
            "SELECT name, locale FROM shop_profile ORDER BY id LIMIT 1"
        ).fetchone()
        rows = connection.execute(
            "SELECT id, display_name, role, active AND pin_hash <> '' FROM staff"
            " ORDER BY display_name"
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return FirstLook(
        shop_name=str(shop[0]) if shop else None,
        locale=str(shop[1]) if shop else None,
        staff=tuple(StaffRow(int(id_), str(name), str(role)) for id_, name, role, on in rows if on),
        has_staff=bool(rows),
    )
