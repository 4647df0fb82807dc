"""Kill -9 checkouts at random and check that no receipt is lost or printed twice.

    PYTHONPATH=$PWD python tools/receipt_crash_check.py --checkouts 1000 [--seed 7]

Child processes sell appointments on one SQLite file the way the window does (complete the
sale, kick the drawer for cash, print), announcing each step on stdout; the parent kills
them with SIGKILL after a random number of steps (plus a random fraction of a millisecond
or more), starts the next one, and after every appointment is sold restarts once more to
print what is left. A real TCP fake printer on 127.0.0.1 records every receipt. Then:

- 0 partial sales: every sale has its line, its payment and its print job; every paid
  appointment has exactly one sale;
- 0 receipt-number gaps: R-000001 .. R-N, and the counter says N;
- every committed receipt printed exactly once, or listed as "may not have printed"
  (then at most once); no receipt carries a drawer kick.

The same functions drive the small versions in tests/frontdesk/services/test_print_processes.py.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade_to_head  # noqa: E402
from db.models import (  # noqa: E402
    Appointment,
    Counter,
    Payment,
    PrintJob,
    Sale,
    SaleLine,
    Staff,
)
from frontdesk.services.unit_of_work import UnitOfWork  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_NUMBER = re.compile(rb"R-\d{6}")


# ------------------------------------------------------------------ the shop
def make_shop(db_path: Path, appointments: int) -> list[int]:
    """A migrated, seeded SQLite file with ``appointments`` unpaid appointments today."""
    from tests.seed import seed_small_shop

    engine = make_engine(f"sqlite:///{db_path}", create=True)
    upgrade_to_head(engine)
    database = UnitOfWork(engine)
    shop = seed_small_shop(database, NOW)
    add_appointments(database, shop.morning_appt_id, appointments - 2, NOW)
    with database.read() as s:
        ids = list(s.scalars(select(Appointment.id).order_by(Appointment.id)))
    engine.dispose()
    return ids[:appointments]


def add_appointments(database: UnitOfWork, like: int, count: int, start: datetime) -> list[int]:
    """``count`` more unpaid appointments like appointment ``like``; returns their ids."""
    with database.write() as s:
        template = s.get(Appointment, like)
        assert template is not None
        extra = [
            Appointment(
                customer_id=template.customer_id,
                staff_id=template.staff_id,
                room_id=template.room_id,
                service_id=template.service_id,
                starts_at=start + timedelta(minutes=n),
                ends_at=start + timedelta(minutes=n + 60),
                price_minor=1000 + n,
            )
            for n in range(max(0, count))
        ]
        s.add_all(extra)
        s.flush()
        return [appt.id for appt in extra]


def cashier_id(db_path: Path) -> int:
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(select(Staff.id).where(Staff.role == "receptionist")).scalar_one()
            )
    finally:
        engine.dispose()


# ------------------------------------------------------------------ the child
def child_main(argv: list[str]) -> int:
    """Sell the given appointments like the window does, saying each step on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lock-dir", required=True)
    parser.add_argument("--station", default="till-1")
    parser.add_argument("--wait-before-final-flush", action="store_true")
    parser.add_argument("appointments", nargs="*", type=int)
    args = parser.parse_args(argv)

    from frontdesk.bootstrap import build_services
    from frontdesk.domain.checkout import PaymentMethod
    from frontdesk.domain.roles import Role
    from frontdesk.services.auth import SignedIn
    from frontdesk.services.checkout import AlreadyPaid
    from frontdesk.settings import Settings

    engine = make_engine(f"sqlite:///{args.db}")
    database = UnitOfWork(engine)
    settings = Settings(
        printer_kind="network",
        printer_host="127.0.0.1",
        printer_port=args.port,
        station_name=args.station,
    )
    services = build_services(settings, database, spool_dir=Path(args.lock_dir))
    desk = SignedIn(
        staff_id=cashier_id(Path(args.db)), name="Rita Reception", role=Role.RECEPTIONIST
    )

    def say(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    say("ready")
    for n, appointment_id in enumerate(args.appointments):
        method = PaymentMethod.CASH if n % 2 == 0 else PaymentMethod.CARD
        try:
            sale = services.checkout.complete_sale(appointment_id, method, None, desk)
        except AlreadyPaid:
            continue
        say(f"sold {sale.receipt_number}")
        if method is PaymentMethod.CASH:
            services.printer.open_drawer()
            say("drawer")
        run = services.printer.flush()
        say(f"printed {len(run.outcomes)} {run.status.condition}")
    if args.wait_before_final_flush:
        say("waiting")
        sys.stdin.readline()
    run = services.printer.flush()
    owner = run.status.condition != "not_owner"
    say(f"final {len(run.outcomes)} {'owner' if owner else 'not_owner'}")
    say("done")
    engine.dispose()
    return 0


def child_command(
    db: Path, port: int, lock_dir: Path, appointments: list[int], *extra: str
) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "child",
        "--db",
        str(db),
        "--port",
        str(port),
        "--lock-dir",
        str(lock_dir),
        *extra,
        *map(str, appointments),
    ]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault(
        "ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "frontdesk-escpos")
    )
    return env


# ------------------------------------------------------------------ the parent
@dataclass
class CrashRun:
    kills: int = 0
    children: int = 0
    steps_at_kill: Tally[str] = field(default_factory=Tally)


def unpaid(db_path: Path, ids: list[int]) -> list[int]:
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as conn:
            paid = set(conn.execute(select(SaleLine.appointment_id)).scalars())
    finally:
        engine.dispose()
    return [i for i in ids if i not in paid]


def run_with_kills(
    db: Path,
    port: int,
    lock_dir: Path,
    ids: list[int],
    rng: random.Random,
    *,
    max_steps: int = 12,
    jitter: float = 0.0,
    max_children: int = 100_000,
    on_progress: object = None,
) -> CrashRun:
    """Start children on the unpaid appointments, SIGKILL each after a random step count."""
    result = CrashRun()
    while (left := unpaid(db, ids)) and result.children < max_children:
        result.children += 1
        process = subprocess.Popen(
            child_command(db, port, lock_dir, left),
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=child_env(),
            cwd=ROOT,
        )
        assert process.stdout is not None
        steps = rng.randint(1, max_steps)
        seen = 0
        last = ""
        while seen < steps:
            line = process.stdout.readline().decode().strip()
            if not line:
                break  # the child ended on its own
            if line == "ready":
                continue
            seen += 1
            last = line.split()[0]
        if process.poll() is None:
            if jitter:
                time.sleep(rng.uniform(0, jitter))  # a random moment within the next step
            process.kill()
            result.kills += 1
            result.steps_at_kill[last or "start"] += 1
        process.stdout.close()
        process.wait()
        if callable(on_progress):
            on_progress(result, len(left))
    return result


def restart_and_flush(db: Path, port: int, lock_dir: Path) -> str:
    """One clean start after all the kills: prints whatever is still queued."""
    out = subprocess.run(
        child_command(db, port, lock_dir, []),
        capture_output=True,
        env=child_env(),
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return out.stdout.decode()


@dataclass(frozen=True)
class Verdict:
    sales: int
    partial_sales: int
    receipt_gaps: int
    printed_once: int
    printed_twice_or_more: int
    missing: int  # committed, not printed and not listed
    listed: int  # "may not have printed"
    listed_but_printed: int
    kicks_inside_receipts: int
    drawer_kicks: int

    @property
    def ok(self) -> bool:
        return (
            self.partial_sales == 0
            and self.receipt_gaps == 0
            and self.printed_twice_or_more == 0
            and self.missing == 0
            and self.kicks_inside_receipts == 0
        )


def verify(db: Path, printed_jobs: list[bytes], station: str = "till-1") -> Verdict:
    """Check the database against what the fake printer received."""
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            sales = conn.execute(select(Sale.id, Sale.receipt_number)).all()
            lines = Tally(conn.execute(select(SaleLine.sale_id)).scalars())
            payments = Tally(conn.execute(select(Payment.sale_id)).scalars())
            jobs = conn.execute(select(PrintJob.sale_id, PrintJob.state, PrintJob.station)).all()
            per_appt = conn.execute(
                select(SaleLine.appointment_id, func.count()).group_by(SaleLine.appointment_id)
            ).all()
            counter = conn.execute(select(Counter.value)).scalar() or 0
    finally:
        engine.dispose()
    job_by_sale = {sale_id: (state, st) for sale_id, state, st in jobs}
    partial = sum(
        1
        for sale_id, _n in sales
        if lines[sale_id] != 1 or payments[sale_id] != 1 or sale_id not in job_by_sale
    )
    partial += sum(1 for _appt, count in per_appt if count != 1)
    numbers = sorted(int(n[2:]) for _id, n in sales)
    gaps = 0 if numbers == list(range(1, len(numbers) + 1)) and counter == len(numbers) else 1
    receipts = [job for job in printed_jobs if _NUMBER.search(job)]
    kicks = [job for job in printed_jobs if not _NUMBER.search(job) and b"\x1bp" in job]
    copies = Tally(_NUMBER.search(job).group().decode() for job in receipts)  # type: ignore[union-attr]
    once = twice = missing = listed = listed_printed = 0
    for sale_id, number in sales:
        state, _station = job_by_sale.get(sale_id, ("none", ""))
        count = copies[number]
        if count > 1:
            twice += 1
        if state == "failed":
            listed += 1
            listed_printed += count == 1
        elif count == 1:
            once += 1
        elif count == 0:
            missing += 1
    return Verdict(
        sales=len(sales),
        partial_sales=partial,
        receipt_gaps=gaps,
        printed_once=once,
        printed_twice_or_more=twice,
        missing=missing,
        listed=listed,
        listed_but_printed=listed_printed,
        kicks_inside_receipts=sum(1 for job in receipts if b"\x1bp" in job),
        drawer_kicks=len(kicks),
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["child"]:
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkouts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=8)
    parser.add_argument("--jitter", type=float, default=0.02, help="seconds of random delay")
    args = parser.parse_args(argv)
    from tests.fakes import fake_network_printer

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder, fake_network_printer() as printer:
        db = Path(folder) / "crash.sqlite3"
        ids = make_shop(db, args.checkouts)
        started = time.monotonic()

        def progress(run: CrashRun, left: int) -> None:
            if run.children % 25 == 0:
                print(f"  {run.children} children, {run.kills} kills, {left} left", flush=True)

        run = run_with_kills(
            db,
            printer.port,
            Path(folder) / "locks",
            ids,
            rng,
            max_steps=args.max_steps,
            jitter=args.jitter,
            on_progress=progress,
        )
        restart_and_flush(db, printer.port, Path(folder) / "locks")
        verdict = verify(db, printer.jobs)
        elapsed = time.monotonic() - started
    print(f"checkouts: {args.checkouts}, children: {run.children}, kill -9: {run.kills}")
    print(f"killed after step: {dict(run.steps_at_kill)}")
    print(f"elapsed: {elapsed:.0f} s")
    for name, value in vars(verdict).items():
        print(f"{name}: {value}")
    print("OK" if verdict.ok else "FAILED")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
