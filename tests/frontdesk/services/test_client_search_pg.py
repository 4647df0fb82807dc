"""Substring search on PostgreSQL uses the pg_trgm GIN indexes of migration 0007: EXPLAIN on
the real server of the very statements the search sends (SQLAlchemy's `contains(...,
autoescape=True)`: `LIKE '%' || :p || '%' ESCAPE '/'`, which the planner folds to a constant
pattern the index serves), over a shop of 100,000 clients upgraded from 0006. Where the
extension cannot be created the migration warns once and goes on, search still working (by
scanning)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from db.migrate import alembic_config, upgrade_to_head
from db.search_index import PG_TRGM_INDEXES
from frontdesk.services.client_search import search_customer_ids
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import SeededShop, seed_small_shop

pytestmark = pytest.mark.postgres

#: Enough clients that reading them all costs the planner more than the index (at 20,000 a
#: scan still looks cheaper to it).
CLIENTS = 100_000


@pytest.fixture
def many_clients(pg_engine: Engine) -> tuple[UnitOfWork, SeededShop]:
    """A shop of CLIENTS clients at 0006, then upgraded: 0007 indexes the clients it finds."""
    from alembic import command

    config = alembic_config()
    with pg_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
    database = UnitOfWork(pg_engine)
    shop = seed_small_shop(database, NOW)
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customers (first_name, last_name, search_name, search_name_rev,"
            " phone_digits, marketing_consent, created_at)"
            " SELECT 'Client', md5(i::text), 'client ' || md5(i::text),"
            " md5(i::text) || ' client', (7900000000 + i * 7919)::text, false, now()"
            f" FROM generate_series(1, {CLIENTS}) AS i"
        )
    upgrade_to_head(pg_engine)
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE customers")
    return database, shop


@pytest.fixture
def statements(pg_engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "LIKE" in statement:
            seen.append((statement, params))

    event.listen(pg_engine, "before_cursor_execute", before)
    yield seen
    event.remove(pg_engine, "before_cursor_execute", before)


def _plan(database: UnitOfWork, sql: str, params: Any) -> str:
    with database.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


#: Substrings (3+ characters, so not prefixes only) and the index each must use.
SUBSTRINGS = [
    ("nna sm", "ix_customers_search_name_trgm"),  # inside a name
    ("ванов", "ix_customers_search_name_trgm"),  # inside a Cyrillic name
    ("100_%", "ix_customers_search_name_trgm"),  # LIKE's own characters, escaped
    ("123 45", "ix_customers_phone_digits_trgm"),  # inside a number
]


def test_substring_search_uses_the_trigram_indexes(
    many_clients: tuple[UnitOfWork, SeededShop], statements: list[tuple[str, Any]]
) -> None:
    database, shop = many_clients
    for query, index in SUBSTRINGS:
        statements.clear()
        with database.read() as session:
            search_customer_ids(session, query, 20, "GB")
        assert statements, f"the search sent no LIKE for {query!r}"
        for sql, params in statements:
            assert "ESCAPE" in sql  # the form SQLAlchemy's autoescape emits
            plan = _plan(database, sql, params)
            assert index in plan, (query, plan)
            assert "Seq Scan on customers" not in plan, (query, plan)
    # The same clients are found as by scanning.
    with database.read() as session:
        assert search_customer_ids(session, "nna sm", 20, "GB") == [shop.anna_id]
        assert search_customer_ids(session, "ванов", 20, "GB") == [shop.boris_id]
        assert search_customer_ids(session, "100_%", 20, "GB") == []


@pytest.mark.expect_log("db.migrations", logging.WARNING, "pg_trgm")
def test_without_the_extension_the_migration_warns_and_search_still_works(
    pg_engine: Engine,
) -> None:
    # A function of pg_trgm's already there: CREATE EXTENSION fails (as it would for a role
    # that may not create it); the migration goes on.
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION public.similarity(text, text) RETURNS real"
            " LANGUAGE sql IMMUTABLE AS 'SELECT 0::real'"
        )
    upgrade_to_head(pg_engine)
    with pg_engine.connect() as conn:
        names = set(
            conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'customers'"))
        )
    assert not names & set(PG_TRGM_INDEXES)
    database = UnitOfWork(pg_engine)
    shop = seed_small_shop(database, NOW)
    with database.read() as session:
        assert search_customer_ids(session, "nna sm", 20, "GB") == [shop.anna_id]


@pytest.mark.expect_log("db.migrations", logging.WARNING, "pg_trgm")
def test_the_extension_in_a_schema_off_the_search_path_does_not_stop_the_upgrade(
    pg_engine: Engine,
) -> None:
    """As managed servers do (an `extensions` schema): the operator class is not found, the
    indexes are left out with the warning, and the schema still reaches the head."""
    with pg_engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS elsewhere CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA elsewhere")
        conn.exec_driver_sql("CREATE EXTENSION pg_trgm SCHEMA elsewhere")
    try:
        assert upgrade_to_head(pg_engine) == "0007"
        with pg_engine.connect() as conn:
            names = set(
                conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'customers'"))
            )
        assert not names & set(PG_TRGM_INDEXES)
    finally:
        with pg_engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA elsewhere CASCADE")
