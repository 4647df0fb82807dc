"""Database errors in plain words.

Driver errors never leave this module as they are: their text carries SQL and, on PostgreSQL,
the refused values (a client's name, phone, allergy...). Each becomes a StorageError in plain
words with a short reference; the log gets the reference, the error's type and its SQLSTATE or
SQLite error code, and nothing else.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from frontdesk.domain.errors import DomainError, words

log = logging.getLogger(__name__)

#: SQLite result codes (primary) and PostgreSQL SQLSTATE classes that mean "busy, try again".
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_FULL = 13
_PG_RETRY = {"40001", "40P01", "55P03", "57014"}  # serialization, deadlock, lock, cancelled


class StorageError(DomainError):
    """The database could not be read or written (locked, disk full, gone, refused a value)."""

    def __init__(self, text: str, reference: str = "") -> None:
        super().__init__(text, reference=reference)
        self.reference = reference


def error_code(exc: DBAPIError) -> str:
    """The driver's error code, which names the kind of failure without any data."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate)
    name = getattr(orig, "sqlite_errorname", None)
    return str(name) if name else type(orig).__name__


def _plain_words(exc: DBAPIError) -> str:
    orig = exc.orig
    sqlstate = str(getattr(orig, "sqlstate", None) or "")
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    primary = sqlite_code & 0xFF if isinstance(sqlite_code, int) else None
    if isinstance(exc, IntegrityError):
        return words(
            "That change conflicts with something already saved (perhaps at another "
            "terminal). Nothing was saved: reload and try again. (reference "
            "{reference})"
        )
    if isinstance(exc, DataError):
        return words(
            "A value is too long or holds characters the database cannot store. "
            "Nothing was saved. (reference {reference})"
        )
    if primary in _SQLITE_BUSY or sqlstate in _PG_RETRY:
        return words(
            "The database is busy with another terminal's work. Nothing was saved: "
            "try again in a moment. (reference {reference})"
        )
    if primary == _SQLITE_FULL or sqlstate.startswith("53"):
        return words(
            "The disk holding the database is full. Nothing was saved: free some "
            "space. (reference {reference})"
        )
    if exc.connection_invalidated or sqlstate.startswith("08"):
        return words(
            "The connection to the database was lost. Nothing was saved: try again. "
            "(reference {reference})"
        )
    if isinstance(exc, OperationalError):
        return words(
            "The database cannot be used just now. Nothing was saved: try again. "
            "(reference {reference})"
        )
    return words("The database refused the change. Nothing was saved. (reference {reference})")


def storage_error(exc: DBAPIError) -> StorageError:
    """The plain-words StorageError for a driver error; logs its kind, never its text."""
    reference = uuid.uuid4().hex[:8]
    log.warning(
        "Database error %s (%s) in %s, reference %s",
        type(exc).__name__,
        error_code(exc),
        exc.statement.split(None, 1)[0] if exc.statement else "?",
        reference,
    )
    return StorageError(_plain_words(exc), reference)
