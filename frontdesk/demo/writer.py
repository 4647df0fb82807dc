"""Fast bulk writing: values in the form the driver stores, executemany in chunks.

The demo writes millions of rows. Running every value through its column type costs more than
the insert itself, so `Codec` works out once, from the real column types, what a stored value
looks like on this database, and produces that form directly. Small tables go through an
untyped Core `insert()` (no per-value processing); the big ones are tuples handed straight to
the driver's executemany, and on SQLite their secondary indexes are built once at the end.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Table, column, func, select, table, text
from sqlalchemy.types import TypeEngine

from db.models import Customer
from db.search_index import FTS_TABLE

CHUNK_ROWS = 25_000
Row = Mapping[str, Any]


def _processor(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any]:
    proc = type_.dialect_impl(dialect).bind_processor(dialect)
    return proc if proc is not None else (lambda value: value)


def _iso_seconds(instant: datetime) -> str:
    return instant.isoformat(" ", "microseconds")


def _iso_day(day: date) -> str:
    return day.isoformat()


def _same(value: Any) -> Any:
    return value


class Codec:
    """Stored forms of naive-UTC instants, dates and booleans, as the column types make them."""

    def __init__(self, dialect: Dialect) -> None:
        columns = Customer.__table__.c
        to_instant = _processor(columns.created_at.type, dialect)
        to_day = _processor(columns.birthday.type, dialect)
        to_bool = _processor(columns.marketing_consent.type, dialect)

        sample = datetime(2024, 3, 5, 7, 9, 11)
        stored = to_instant(sample.replace(tzinfo=UTC))
        if stored == _iso_seconds(sample):
            self.instant: Callable[[datetime], Any] = _iso_seconds
        elif stored == sample:
            self.instant = _same
        else:  # pragma: no cover - another dialect's storage: let the type do the work
            self.instant = lambda naive: to_instant(naive.replace(tzinfo=UTC))

        sample_day = date(2024, 3, 5)
        stored_day = to_day(sample_day)
        if stored_day == _iso_day(sample_day):
            self.day: Callable[[date], Any] = _iso_day
        elif stored_day == sample_day:
            self.day = _same
        else:  # pragma: no cover
            self.day = to_day

        self.true: Any = to_bool(True)
        self.false: Any = to_bool(False)


def bulk_insert(connection: Connection, target: Table, rows: Sequence[Row]) -> None:
    """Insert rows already in stored form, in chunks of CHUNK_ROWS."""
    if not rows:
        return
    untyped = table(target.name, *(column(name) for name in rows[0]))
    statement = untyped.insert()
    for start in range(0, len(rows), CHUNK_ROWS):
        connection.execute(statement, list(rows[start : start + CHUNK_ROWS]))


def insert_tuples(
    connection: Connection, target: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows given as tuples in `columns` order, already in stored form."""
    if not rows:
        return
    marker = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(connection.dialect.paramstyle)
    if marker is None:  # pragma: no cover - no such driver among those FrontDesk supports
        bulk_insert(connection, target, [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = connection.dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(target.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    for start in range(0, len(rows), CHUNK_ROWS):
        connection.exec_driver_sql(statement, list(rows[start : start + CHUNK_ROWS]))


def count_rows(connection: Connection, target: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(target)) or 0)


def sync_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """On PostgreSQL, move each id sequence past the explicit ids the demo wrote."""
    if connection.dialect.name != "postgresql":
        return
    for target in tables:
        if "id" not in target.c or count_rows(connection, target) == 0:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{target.name}', 'id'), "
                f"(SELECT max(id) FROM {target.name}))"
            )
        )


class BulkMode:
    """SQLite settings for one big, re-runnable build: no fsync, a large page cache, no
    foreign-key lookups (the demo writes parents first, with ids it chose itself), and a
    rollback journal instead of the write-ahead log, so each page is written once rather than
    logged and copied back.

    The build writes into an empty database and can simply be run again after a crash, so
    durability is switched off while it runs and everything is restored afterwards (FULL
    sync, foreign keys, WAL). PRAGMAs go straight to the driver, outside any transaction.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._sqlite = connection.dialect.name == "sqlite"
        self._cache_size = -2000
        self._foreign_keys = 1
        self._journal = "wal"

    def _pragma(self, statement: str) -> Any:
        raw: Any = self._connection.connection.driver_connection
        cursor = raw.execute(f"PRAGMA {statement}")
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else row[0]

    def __enter__(self) -> BulkMode:
        if self._sqlite:
            self._connection.commit()
            self._cache_size = int(self._pragma("cache_size"))
            self._foreign_keys = int(self._pragma("foreign_keys"))
            self._journal = str(self._pragma("journal_mode"))
            self._pragma("synchronous = OFF")
            self._pragma("cache_size = -262144")  # 256 MiB
            self._pragma("foreign_keys = OFF")
            if self._journal == "wal":
                self._leave_wal()
        return self

    def _leave_wal(self) -> None:
        """Only possible while no other connection has the file open: then keep the WAL."""
        timeout = int(self._pragma("busy_timeout"))
        self._pragma("busy_timeout = 0")
        try:
            self._pragma("journal_mode = DELETE")
        except sqlite3.OperationalError:
            pass
        finally:
            self._pragma(f"busy_timeout = {timeout}")

    def __exit__(self, *exc: object) -> None:
        if not self._sqlite:
            return
        self._connection.rollback()
        self._pragma("synchronous = FULL")
        self._pragma(f"cache_size = {self._cache_size}")
        self._pragma(f"foreign_keys = {self._foreign_keys}")
        if self._pragma("journal_mode") != self._journal:
            self._pragma(f"journal_mode = {self._journal}")
        elif self._journal == "wal" and exc[0] is None:
            self._pragma("wal_checkpoint(TRUNCATE)")


class IndexesPaused:
    """Within a transaction on SQLite: drop the tables' secondary indexes, build them at the end.

    Building an index once from sorted keys is several times cheaper than growing it row by
    row. Each index comes back from its own stored SQL, exactly as the migration made it; the
    transaction makes the drop and the rebuild all-or-nothing. Indexes behind UNIQUE
    constraints cannot be dropped and simply stay.
    """

    def __init__(self, connection: Connection, tables: Iterable[Table]) -> None:
        self._connection = connection
        self._tables = [target.name for target in tables]
        self._indexes: list[tuple[str, str]] = []

    def __enter__(self) -> IndexesPaused:
        if self._connection.dialect.name != "sqlite" or not self._tables:
            return self
        names = ", ".join(f"'{name}'" for name in self._tables)
        self._indexes = [
            (str(name), str(sql))
            for name, sql in self._connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                f"AND sql IS NOT NULL AND tbl_name IN ({names}) ORDER BY name"
            )
        ]
        for name, _sql in self._indexes:
            self._connection.exec_driver_sql(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction's rollback brings them back
        for _name, sql in self._indexes:
            self._connection.exec_driver_sql(sql)


class SearchIndexPaused:
    """Within a transaction on SQLite: stop indexing each inserted client; `index` indexes
    the clients of an id range at once, and what was not indexed so is rebuilt at the end.

    Feeding the FTS5 trigram index row by row from its trigger costs four times the insert
    itself; one statement for many rows gives the same index. The statement is the trigger's
    own insert over a range of ids, and the trigger is dropped and created again from its own
    stored SQL, so it comes back exactly as the migration made it; the transaction makes it
    all-or-nothing. Only for a table of nothing but new rows: the rebuild reads the whole table.
    """

    TRIGGER = "customers_fts_insert"
    #: The trigger's body: INSERT INTO the index (columns) VALUES (new.columns);
    _BODY = re.compile(r"BEGIN\s+(INSERT INTO \S+\s*\([^)]*\))\s*VALUES\s*\(([^)]*)\)\s*;\s*END")

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._trigger_sql: str | None = None
        self._by_range: str | None = None
        self._indexed = 0

    def __enter__(self) -> SearchIndexPaused:
        if self._connection.dialect.name == "sqlite":
            self._trigger_sql = self._connection.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                {"name": self.TRIGGER},
            ).scalar()
        if self._trigger_sql is not None:
            body = self._BODY.search(self._trigger_sql)
            if body is not None:
                values = body.group(2).replace("new.", "")
                self._by_range = (
                    f"{body.group(1)} SELECT {values} FROM {Customer.__tablename__} "
                    "WHERE id BETWEEN ? AND ?"
                )
            self._connection.exec_driver_sql(f"DROP TRIGGER {self.TRIGGER}")
        return self

    def index(self, first_id: int, last_id: int) -> None:
        """Index the clients with ids `first_id`..`last_id`, all inserted since the pause,
        in one statement (SQLite lets go of the GIL meanwhile)."""
        if self._by_range is None or self._indexed != first_id - 1:
            return  # the end of the pause indexes what is left
        self._connection.exec_driver_sql(self._by_range, (first_id, last_id))
        self._indexed = last_id

    def __exit__(self, *exc: object) -> None:
        if self._trigger_sql is None or exc[0] is not None:
            return
        if self._by_range is not None:  # the rows not indexed yet, if any
            self._connection.exec_driver_sql(self._by_range, (self._indexed + 1, 1 << 62))
        else:
            self._connection.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
            )
        self._connection.exec_driver_sql(self._trigger_sql)
