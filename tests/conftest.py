"""Shared fixtures: headless Qt, every path in a temp dir, one migrated template database."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("FRONTDESK_DATABASE_URL", None)
# python-escpos reads this when `printing` is first imported, before any fixture runs.
os.environ.setdefault(
    "ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "frontdesk-test-escpos")
)
#: A PostgreSQL server for the migration and model tests; `.ci/run` starts one and sets this.
PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")

import pytest
from hypothesis import settings
from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import upgrade_to_head
from frontdesk.services.clock import FixedClock
from frontdesk.services.unit_of_work import UnitOfWork
from tests.keyrings import MemoryKeyring
from tests.seed import SeededShop, seed_small_shop

#: 10:00 in London on a Monday in November: the fixed "now" of service and GUI tests.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

# --- the `gui` mark -------------------------------------------------------------------------

#: pytest-qt fixtures that start (or need) a QApplication; any fixture built on them counts too.
QT_FIXTURES = frozenset({"qtbot", "qapp", "qtmodeltester"})
#: A test module that imports from these packages drives Qt itself.
QT_PACKAGES = frozenset({"PySide6", "shiboken6"})

# Property tests check behaviour, not speed: Hypothesis's 200 ms per-example deadline failed a
# correct test on a machine busy with other work. Speed lives in the benchmarks.
settings.register_profile("frontdesk", deadline=None)
settings.load_profile("frontdesk")


def _imports_qt(module: ModuleType | None) -> bool:
    """Whether the module imports a Qt module, class or function directly (not through our code)."""
    if module is None:
        return False
    for value in vars(module).values():
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", "")
        if isinstance(name, str) and name.partition(".")[0] in QT_PACKAGES:
            return True
    return False


def uses_qt(item: pytest.Item) -> bool:
    """A test uses Qt when it asks for a Qt fixture (even through its own fixtures) or its module
    imports PySide6."""
    if QT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    return _imports_qt(getattr(item, "module", None))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses Qt `gui`, so `-m "not gui"` is a quick run without a window."""
    for item in items:
        if uses_qt(item):
            item.add_marker(pytest.mark.gui)


# --- no unexpected warnings in the log ------------------------------------------------------

#: Loggers whose WARNING-or-worse records fail a test unless it expects them (plus the root).
CHECKED_LOGGERS = frozenset({"frontdesk", "db", "printing"})


def _checked(logger_name: str) -> bool:
    return logger_name == "root" or logger_name.partition(".")[0] in CHECKED_LOGGERS


@dataclass(frozen=True)
class ExpectedLog:
    """`@pytest.mark.expect_log(logger, level=logging.WARNING, match=None)`: the test logs at
    least one record of exactly `level` from `logger` (or a logger below it) whose message
    matches the regular expression `match`; such records do not fail it."""

    logger: str
    level: int = logging.WARNING
    match: str | None = None

    def covers(self, record: logging.LogRecord) -> bool:
        in_logger = record.name == self.logger or record.name.startswith(self.logger + ".")
        return (
            in_logger
            and record.levelno == self.level
            and (self.match is None or re.search(self.match, record.getMessage()) is not None)
        )

    def __str__(self) -> str:
        match = f" matching {self.match!r}" if self.match else ""
        return f"{self.logger} {logging.getLevelName(self.level)}{match}"


def _expected_logs(item: pytest.Item) -> list[ExpectedLog]:
    return [ExpectedLog(*m.args, **m.kwargs) for m in item.iter_markers("expect_log")]


class _WarningRecords(logging.Handler):
    """Keeps every WARNING-or-worse record of our loggers while a test runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.checked = 0
        self.called = False

    def emit(self, record: logging.LogRecord) -> None:
        if _checked(record.name):
            self.records.append(record)


_WARNING_RECORDS = pytest.StashKey[_WarningRecords]()


def _describe(record: logging.LogRecord) -> str:
    return f"  {record.name} {record.levelname}: {record.getMessage()}"


def _log_problems(item: pytest.Item, records: list[logging.LogRecord], *, all_seen: bool) -> str:
    """What is wrong with these records for this test: records nobody expected, and (once the
    test has run) expectations no record met. Empty when all is well."""
    expected = _expected_logs(item)
    unexpected = [r for r in records if not any(e.covers(r) for e in expected)]
    unmet = [e for e in expected if all_seen and not any(e.covers(r) for r in records)]
    problems = []
    if unexpected:
        problems.append(
            "Unexpected log records (mark the test @pytest.mark.expect_log(logger, level) if it"
            " means to log them):\n" + "\n".join(_describe(r) for r in unexpected)
        )
    if unmet:
        problems.append(
            "Expected log records that never came:\n" + "\n".join(f"  {e}" for e in unmet)
        )
    return "\n".join(problems)


@pytest.fixture(autouse=True)
def _no_unexpected_log_records(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that logs a WARNING or worse from our loggers without expecting it.

    The test's own outcome is decided in `pytest_runtest_call` (below); records logged later, by
    fixture teardown, fail here."""
    handler = _WarningRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    request.node.stash[_WARNING_RECORDS] = handler
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.called:
        problems = _log_problems(request.node, handler.records[handler.checked :], all_seen=False)
        if problems:
            pytest.fail(problems, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    handler = item.stash.get(_WARNING_RECORDS, None)
    if handler is not None:
        handler.called = True
        handler.checked = len(handler.records)
        problems = _log_problems(item, handler.records, all_seen=True)
        if problems:
            pytest.fail(problems, pytrace=False)
    return result


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


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keyring replaced by one in memory for each test (the health data key)."""
    import keyring

    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


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
