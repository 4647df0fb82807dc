"""Bring a database to the program's schema with Alembic; refuse one newer than the program.

Alembic (with mako and pygments behind it) costs a noticeable part of a second to import, so a
start on a database already at this program's schema never imports it: the stored revision is
read with one plain query and compared with HEAD_REVISION (a test keeps that constant equal to
the newest migration in db/migrations).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from db.engine import unavailable
from db.errors import DatabaseDamaged, DatabaseProblem, DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest migration in db/migrations (tests/db/test_migrations.py checks it against Alembic).
HEAD_REVISION = "0007"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this program knows."""
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None when empty); plain errors for unusable files."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise unavailable(exc, engine.url) from exc


def stored_revisions(engine: Engine) -> list[str] | None:
    """The rows of alembic_version, read without Alembic; None when they cannot be read (no
    table yet, or anything else: the caller then asks Alembic, which says what is wrong)."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return [str(row[0]) for row in rows]
    except DBAPIError:
        return None


def is_at_head(engine: Engine) -> bool:
    """True when the database is already at this program's schema (no Alembic needed)."""
    return stored_revisions(engine) == [HEAD_REVISION]


def known_revisions() -> frozenset[str]:
    """Every schema revision this program can open (and migrate from)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return frozenset(script.revision for script in scripts.walk_revisions())


def check_not_newer(engine: Engine) -> str | None:
    """The database's revision; DatabaseTooNew when this program does not know it."""
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNew(
            (
                "This database was updated by a newer version of FrontDesk (schema "
                "{revision}). Install that version or newer to open it."
            ),
            revision=revision,
        )
    return revision


@contextmanager
def _foreign_keys_deferred_to_the_end(connection: Connection) -> Iterator[None]:
    """One transaction for the whole upgrade. On SQLite, a table is changed by copying it,
    dropping the old one and renaming the copy (Alembic's batch mode), and dropping a table
    that other rows point to fails while foreign keys are enforced: enforcement is off during
    the upgrade (SQLite only changes it outside a transaction) and every reference is checked
    before the commit instead."""
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.dbapi_connection
    if sqlite and raw is not None:
        raw.execute("PRAGMA foreign_keys = OFF")
    try:
        with connection.begin():
            yield
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise DatabaseDamaged(
                    "The database {path} has rows that point to missing rows; it was not "
                    "upgraded. Restore its latest backup.",
                    path=connection.engine.url.database,
                )
    finally:
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys = ON")


def upgrade_to_head(engine: Engine) -> str:
    """Migrate to the newest schema in one transaction; returns the head revision.

    A database already at the head is left alone without importing Alembic.
    """
    if is_at_head(engine):
        return HEAD_REVISION
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    try:
        check_not_newer(engine)
        config = alembic_config()
        with engine.connect() as connection, _foreign_keys_deferred_to_the_end(connection):
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DatabaseProblem:
        raise
    except DBAPIError as exc:
        raise unavailable(exc, engine.url) from exc
    return HEAD_REVISION
