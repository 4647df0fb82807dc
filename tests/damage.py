"""Damage a real SQLite file the way a failing disk does: pages in the middle overwritten."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage(path: Path) -> int:
    """Fold the WAL into the file, then overwrite its middle third of pages; returns how many."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    first, last = max(pages // 3, 2), max(2 * pages // 3, 3)
    with path.open("r+b") as file:
        for page in range(first, last):
            file.seek((page - 1) * page_size)
            file.write(bytes([0xA5]) * page_size)
    return last - first


def damage_quietly(path: Path, index: str = "ix_audit_log_action") -> None:
    """Overwrite one index's root page: the shop still opens and reports, but is damaged."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
        ).fetchone()
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(bytes([0xA5]) * page_size)
