"""PostgreSQL: trigram indexes (the pg_trgm extension) for substring search over client names
and phone digits, so `LIKE '%x%'` no longer reads every client. Nothing on SQLite (its FTS5
trigram table does this since 0006).

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it. Where it
cannot be created (an older server, a role without the right, the extension installed in a
schema off the search path), one warning is logged and the migration goes on: search still
works, by scanning, and the owner can add the indexes by hand later (the README says how).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:40:00.000000
"""

import logging
from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

from db.search_index import PG_TRGM_INDEXES

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("db.migrations")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a refusal leaves the migration going
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in PG_TRGM_INDEXES.items():
                bind.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {name} ON customers "
                    f"USING gin ({column} gin_trgm_ops)"
                )
    except DBAPIError as exc:
        # Also when pg_trgm was installed in a schema off the search path (its operator class
        # is then not found): the indexes are left out, nothing else.
        log.warning(
            "The pg_trgm extension or its indexes could not be created (%s): client search by "
            "part of a name or number reads every client. The database owner can add them by "
            "hand (README: PostgreSQL, substring search).",
            type(exc.orig).__name__,
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name in PG_TRGM_INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
