"""Client search on the large demo database, each beside the raw SQL query it rests on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from sqlalchemy import select

from benchmarks.conftest import record
from db.models import Customer
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import SystemClock
from frontdesk.services.unit_of_work import UnitOfWork

LIMIT = 50


@pytest.fixture(scope="module")
def sample(bench_database: UnitOfWork) -> Customer:
    """A real client from the middle of the table, with a phone and a card."""
    with bench_database.read() as s:
        count = s.scalar(select(Customer.id).order_by(Customer.id.desc()).limit(1)) or 1
        return s.scalars(
            select(Customer)
            .where(
                Customer.id >= count // 2,
                Customer.card_number.is_not(None),
                Customer.phone.is_not(None),
            )
            .limit(1)
        ).one()


@pytest.fixture(scope="module")
def raw(bench_db: Path) -> Iterator[sqlite3.Connection]:
    # Closed at the end of this module: a connection left open would keep the startup
    # benchmark's clean close from folding the WAL, so no stamp, and a full check every round.
    connection = sqlite3.connect(bench_db)
    yield connection
    connection.close()


def _queries(sample: Customer) -> dict[str, tuple[str, str, tuple[object, ...]]]:
    prefix = sample.search_name[:4]
    middle = sample.search_name[2:6] if len(sample.search_name) > 6 else sample.search_name
    digits = sample.phone_digits[-7:]
    card = sample.card_number or ""
    return {
        "name prefix": (
            prefix,
            "SELECT id FROM customers WHERE search_name >= ? AND search_name < ? "
            "ORDER BY search_name LIMIT ?",
            (prefix, prefix + "\U0010ffff", LIMIT),
        ),
        "name substring": (
            middle,
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT ?",
            (f'search_name:"{middle}"', LIMIT),
        ),
        "phone fragment": (
            digits,
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT ?",
            (f'phone_digits:"{digits}"', LIMIT),
        ),
        "card number": (
            card,
            "SELECT id FROM customers WHERE card_number = ?",
            (card,),
        ),
    }


KINDS = ["name prefix", "name substring", "phone fragment", "card number"]


@pytest.mark.parametrize("kind", KINDS)
def test_search_service(
    benchmark: BenchmarkFixture, bench_database: UnitOfWork, sample: Customer, kind: str
) -> None:
    service = ClientService(bench_database, SystemClock())
    query = _queries(sample)[kind][0]
    found = benchmark(service.search, query, LIMIT)
    assert found
    if kind in ("card number", "phone fragment"):
        assert sample.id in {c.id for c in found}
    record(f"search {kind}:target", benchmark)


@pytest.mark.parametrize("kind", KINDS)
def test_search_raw_sql_floor(
    benchmark: BenchmarkFixture, raw: sqlite3.Connection, sample: Customer, kind: str
) -> None:
    _query, sql, params = _queries(sample)[kind]
    rows = benchmark(lambda: raw.execute(sql, params).fetchall())
    assert rows
    record(f"search {kind}:floor", benchmark)
