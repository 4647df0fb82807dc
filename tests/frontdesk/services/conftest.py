"""The same seeded shop on SQLite and, when a server is set up, on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db.migrate import upgrade_to_head
from frontdesk.services.unit_of_work import UnitOfWork
from tests.conftest import NOW
from tests.seed import SeededShop, seed_small_shop
from tests.serial_pty import pty_pair

__all__ = ["backend_db", "backend_shop", "pty_pair"]

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend_db(request: pytest.FixtureRequest) -> UnitOfWork:
    """A migrated, empty database of each kind (PostgreSQL skips without a server)."""
    if request.param == "sqlite":
        database: UnitOfWork = request.getfixturevalue("database")
        return database
    engine: Engine = request.getfixturevalue("pg_engine")
    upgrade_to_head(engine)
    return UnitOfWork(engine)


@pytest.fixture
def backend_shop(backend_db: UnitOfWork) -> SeededShop:
    return seed_small_shop(backend_db, NOW)
