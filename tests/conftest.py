"""Shared fixtures: headless Qt, every path in a temp dir, one migrated template database."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("FRONTDESK_DATABASE_URL", None)
# python-escpos reads this when `printing` is first imported, before any fixture runs.
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "frontdesk-test-escpos")
)
#: A PostgreSQL server for the migration and model tests; `.ci/run` starts one and sets this.
PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")

import pytest
from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import upgrade_to_head
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop, seed_small_shop

#: 10:00 in London on a Monday in November: the fixed "now" of service and GUI tests.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_paths(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's config, data or keyring."""
    home = tmp_path_factory.mktemp("home")
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith("FRONTDESK_"):
            monkeypatch.delenv(var)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to head once per run; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "frontdesk.sqlite3"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def database(db_path: Path) -> Iterator[UnitOfWork]:
    engine = make_engine(f"sqlite:///{db_path}")
    yield UnitOfWork(engine)
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def shop(database: UnitOfWork) -> SeededShop:
    return seed_small_shop(database, NOW)


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A PostgreSQL database with an empty public schema; skipped when no server is set up."""
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set FRONTDESK_TEST_PG_URL (.ci/run does)")
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    yield engine
    engine.dispose()
