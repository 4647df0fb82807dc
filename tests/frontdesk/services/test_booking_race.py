"""Two terminals (two OS processes) book the same slot at the same moment: exactly one wins,
the other is refused naming the winner. On one SQLite file and, when a server is set up, on
PostgreSQL. The racers are released together through their stdin pipes (no sleeps)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from db.models import Appointment, Service
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import SeededShop

ROOT = Path(__file__).resolve().parents[3]
MONDAY = date(2026, 11, 23)


def test_two_processes_booking_one_slot_exactly_one_wins(
    backend_db: UnitOfWork, backend_shop: SeededShop
) -> None:
    with backend_db.read() as s:
        deep = s.scalars(select(Service.id).where(Service.name == "Deep Tissue Massage")).one()
    starts = datetime(2026, 11, 23, 15, 0, tzinfo=ZoneInfo("Europe/London")).isoformat()
    url = backend_db.engine.url.render_as_string(hide_password=False)
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.booking_racer",
                url,
                str(backend_shop.receptionist_id),
                str(client),
                str(deep),
                str(backend_shop.therapist_id),
                starts,
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for client in (backend_shop.boris_id, backend_shop.wang_id)
    ]
    try:
        for racer in racers:  # the barrier: both loaded, connected and waiting
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        outcomes = []
        for racer in racers:
            out, _err = racer.communicate(timeout=60)
            assert racer.returncode == 0
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    booked = [o["booked"] for o in outcomes if "booked" in o]
    refused = [o for o in outcomes if "refused" in o]
    assert len(booked) == 1
    assert len(refused) == 1
    assert refused[0]["refused"] == (
        "The therapist already has an appointment then: {start}-{end} {service}."
    )
    assert refused[0]["appointment_id"] == booked[0]
    with backend_db.read() as s:
        count = s.scalar(
            select(func.count(Appointment.id)).where(
                Appointment.staff_id == backend_shop.therapist_id
            )
        )
    assert count == 2  # the morning one and the winner
