"""Bring a database to the program's schema with Alembic; refuse one newer than the program."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from db.engine import unavailable
from db.errors import DatabaseProblem, DatabaseTooNew

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None when empty); plain errors for unusable files."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise unavailable(exc, engine.url) from exc


def known_revisions() -> frozenset[str]:
    """Every schema revision this program can open (and migrate from)."""
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


def upgrade_to_head(engine: Engine) -> str:
    """Migrate to the newest schema in one transaction; returns the head revision."""
    try:
        check_not_newer(engine)
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DatabaseProblem:
        raise
    except DBAPIError as exc:
        raise unavailable(exc, engine.url) from exc
    return head_revision()
