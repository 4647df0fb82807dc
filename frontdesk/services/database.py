"""Units of work: a session per use case, committed once or rolled back whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import WRITE_OPTION, describe_operational_error
from frontdesk.domain.errors import DomainError


class StorageError(DomainError):
    """The database could not be read or written (locked, disk full, gone)."""


class Database:
    """Hands out sessions: `read()` for queries, `write()` for changes (BEGIN IMMEDIATE)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction without expiring loaded rows.
        with self._read() as session, self._translate_errors():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write() as session, self._translate_errors():
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StorageError(describe_operational_error(exc, self.engine.url)) from exc
