"""Writing the audit log inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import AuditEntry


def record(
    session: Session,
    *,
    at: datetime,
    action: str,
    staff_id: int | None = None,
    entity: str = "",
    entity_id: int | None = None,
    detail: str = "",
) -> None:
    """Add an audit entry. `detail` must never carry health data, only that something changed."""
    session.add(
        AuditEntry(
            at=at,
            staff_id=staff_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail[:400],
        )
    )
