"""A second desk for the race test: opens the database, books when told, prints the outcome.

Run: python -m tests.booking_racer URL DESK_STAFF_ID CLIENT_ID SERVICE_ID STAFF_ID STARTS_ISO
It prints "ready" once everything is loaded and its connection is open, then waits for a line on
stdin (the barrier: the test releases every racer at once), books, and prints one JSON line:
{"booked": id} or {"refused": template, "field": ..., "appointment_id": ...}.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

from sqlalchemy import text

from db.engine import make_engine
from frontdesk.domain.errors import DomainError
from frontdesk.domain.roles import Role
from frontdesk.services.auth import SignedIn
from frontdesk.services.booking import BookingDraft, BookingService
from frontdesk.services.clock import SystemClock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork


def main(url: str, desk_id: str, client: str, service: str, staff: str, starts: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:  # the pool holds an open connection from now on
        connection.execute(text("SELECT 1"))
    uow = UnitOfWork(engine)
    clock = SystemClock()
    booking = BookingService(uow, clock, ShopService(uow, clock))
    desk = SignedIn(int(desk_id), "Desk", Role.RECEPTIONIST)
    draft = BookingDraft(int(client), int(service), int(staff), datetime.fromisoformat(starts))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        outcome: dict[str, object] = {"booked": booking.book(draft, desk)}
    except DomainError as error:
        outcome = {
            "refused": error.text,
            "field": getattr(error, "field", None),
            "appointment_id": error.params.get("appointment_id"),
        }
    print(json.dumps(outcome), flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:7])
