"""The trigram indexes over client names and phone digits that make substring search fast:
on SQLite an FTS5 trigram table kept by triggers; on PostgreSQL GIN indexes of the pg_trgm
extension (migration 0007), which serve the plain `LIKE '%x%'` the search sends there.

They live outside the ORM models: Alembic creates them, and schema comparison ignores them
(the PostgreSQL ones exist only where the extension could be created).
"""

from __future__ import annotations

FTS_TABLE = "customers_fts"

CREATE_STATEMENTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_name, phone_digits, content='customers', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_name, phone_digits) "
    f"VALUES (new.id, new.search_name, new.phone_digits); END",
    f"CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, phone_digits) "
    f"VALUES ('delete', old.id, old.search_name, old.phone_digits); END",
    f"CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_name, phone_digits "
    f"ON customers BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_name, phone_digits) "
    f"VALUES ('delete', old.id, old.search_name, old.phone_digits); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_name, phone_digits) "
    f"VALUES (new.id, new.search_name, new.phone_digits); END",
)

DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS customers_fts_update",
    "DROP TRIGGER IF EXISTS customers_fts_delete",
    "DROP TRIGGER IF EXISTS customers_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


#: After a migration rebuilt the customers table in SQLite's batch mode (copy, drop, rename), its
#: triggers are gone: drop what is left, create the index and triggers again, refill it.
REBUILD_STATEMENTS = (
    *DROP_STATEMENTS,
    *CREATE_STATEMENTS,
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)


#: PostgreSQL: GIN trigram indexes (pg_trgm), by name, over these columns of customers.
PG_TRGM_INDEXES = {
    "ix_customers_search_name_trgm": "search_name",
    "ix_customers_phone_digits_trgm": "phone_digits",
}


def is_search_index_object(name: str) -> bool:
    """The FTS table and its shadow tables, and the PostgreSQL trigram indexes, which the ORM
    does not model."""
    return name == FTS_TABLE or name.startswith(FTS_TABLE + "_") or name in PG_TRGM_INDEXES
