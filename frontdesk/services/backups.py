"""Automatic and manual backups of the shop's SQLite database (PostgreSQL uses pg_dump)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine

from db.backup import BackupKind, backup_database
from db.engine import sqlite_path
from db.errors import DatabaseProblem

log = logging.getLogger(__name__)


class BackupService:
    """Takes backups of one database into one folder, keeping the newest `keep` automatic ones."""

    def __init__(self, engine: Engine, folder: Path | None, keep: int) -> None:
        self._database = sqlite_path(engine.url)
        self._folder = folder
        self._keep = keep

    @property
    def available(self) -> bool:
        """False for PostgreSQL: its server's own tools back it up."""
        return self._database is not None

    def take(self, kind: BackupKind) -> Path | None:
        """Back up now; None for PostgreSQL. Raises BackupFailed with plain words."""
        if self._database is None:
            return None
        return backup_database(self._database, folder=self._folder, kind=kind, keep=self._keep)

    def take_quietly(self, kind: BackupKind) -> Path | None:
        """An automatic backup that must never stop the caller: a failure is logged plainly."""
        try:
            return self.take(kind)
        except DatabaseProblem as exc:
            log.error("Automatic backup (%s) failed: %s", kind.value, exc.message)
            return None
