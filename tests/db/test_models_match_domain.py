"""The database accepts exactly the values the program's enums can hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from db.migrate import upgrade_to_head
from db.models.appointments import STATUSES
from frontdesk.domain.appointments import AppointmentStatus


def test_the_status_check_constraint_lists_the_domains_statuses() -> None:
    assert tuple(s.value for s in AppointmentStatus) == STATUSES


def test_the_migrated_database_refuses_a_status_the_domain_does_not_know(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys = OFF"))
        for status in AppointmentStatus:
            conn.execute(
                text(
                    "INSERT INTO appointments (customer_id, staff_id, service_id, starts_at,"
                    " ends_at, status, price_minor, notes) VALUES (1, 1, 1, '2026-01-01 10:00',"
                    " '2026-01-01 11:00', :s, 0, '')"
                ),
                {"s": status.value},
            )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO appointments (customer_id, staff_id, service_id, starts_at,"
                " ends_at, status, price_minor, notes) VALUES (1, 1, 1, '2026-01-01 10:00',"
                " '2026-01-01 11:00', 'paid', 0, '')"
            )
        )
    engine.dispose()
