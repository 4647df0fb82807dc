"""Print jobs stored with their sale: nothing lost, nothing printed twice, a true status."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from db.models import PrintJob, Sale
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.roles import Role
from frontdesk.services.auth import AuthService, SignedIn
from frontdesk.services.checkout import CheckoutService
from frontdesk.services.clock import FixedClock
from frontdesk.services.receipt_printer import ReceiptPrinter
from frontdesk.services.unit_of_work import UnitOfWork
from printing.connections import (
    MemoryConnection,
    PrinterConfig,
    PrinterConnection,
    open_connection,
)
from printing.escpos_layout import PAPER_80MM
from printing.printer_lock import PrinterLock
from tests.printing.fake_printers import NeverReadingPrinter, RecordingPrinter
from tests.seed import PIN, SeededShop

MakePrinter = Callable[..., ReceiptPrinter]


@pytest.fixture
def never_reading_printer() -> Iterator[NeverReadingPrinter]:
    printer = NeverReadingPrinter()
    yield printer
    printer.close()


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


@pytest.fixture
def make_printer(database: UnitOfWork, clock: FixedClock, tmp_path: Path) -> MakePrinter:
    def make(
        connection: PrinterConnection | Callable[[], PrinterConnection],
        station: str = "till-1",
        lock_dir: Path | None = None,
    ) -> ReceiptPrinter:
        connect = connection if callable(connection) else (lambda: connection)
        lock = PrinterLock((lock_dir or tmp_path / "locks") / f"printer-{station}.lock")
        return ReceiptPrinter(database, clock, connect, PAPER_80MM, station=station, lock=lock)

    return make


def _sell(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    appointment_id: int,
    station: str = "till-1",
    method: PaymentMethod = PaymentMethod.CARD,
) -> int:
    sale = CheckoutService(database, clock, print_station=station).complete_sale(
        appointment_id, method, None, desk
    )
    assert sale.print_job_id is not None
    return sale.print_job_id


def _jobs(database: UnitOfWork) -> list[tuple[str, str, int, str | None]]:
    with database.read() as s:
        return [
            (row.station, row.state, row.attempts, row.last_error)
            for row in s.scalars(select(PrintJob).order_by(PrintJob.id))
        ]


def test_the_print_job_commits_with_the_sale_and_prints_after_a_restart(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
) -> None:
    # The process "dies" right after the commit: nothing was printed, nothing spooled.
    _sell(database, clock, desk, shop.morning_appt_id)
    assert _jobs(database) == [("till-1", "queued", 0, None)]

    printer = MemoryConnection()
    restarted = make_printer(printer)
    assert restarted.status.condition == "unchecked"
    assert restarted.status.pending == 1
    run = restarted.flush()

    assert len(printer.sent) == 1
    assert b"R-000001" in printer.sent[0]
    assert list(run.outcomes.values()) == ["printed"]
    assert _jobs(database) == [("till-1", "printed", 1, None)]
    assert run.status.condition == "ready"
    assert run.status.pending == 0
    assert restarted.flush().outcomes == {}  # printed exactly once
    assert len(printer.sent) == 1


def test_a_failed_sale_leaves_no_print_job(
    database: UnitOfWork, clock: FixedClock, desk: SignedIn, shop: SeededShop
) -> None:
    _sell(database, clock, desk, shop.morning_appt_id)
    with pytest.raises(Exception, match="already been paid"):
        _sell(database, clock, desk, shop.morning_appt_id)

    assert len(_jobs(database)) == 1


def test_a_receipt_cut_off_by_a_crash_is_listed_and_prints_with_one_click(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
) -> None:
    job_id = _sell(database, clock, desk, shop.morning_appt_id)
    with database.write() as s:  # as left by a process killed while sending it
        s.execute(update(PrintJob).values(state="sending", attempts=1))

    printer = MemoryConnection()
    restarted = make_printer(printer)
    run = restarted.flush()

    assert printer.sent == []  # it may be on paper already: never sent again on its own
    assert run.status.unprinted == 1
    [item] = restarted.unprinted()
    assert (item.job_id, item.receipt_number, item.reason) == (job_id, "R-000001", "interrupted")

    assert restarted.print_again(job_id)
    restarted.flush()
    assert len(printer.sent) == 1
    assert restarted.unprinted() == []
    assert not restarted.print_again(job_id)  # printed now: no second copy by accident


def test_stations_print_only_their_own_receipts(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
) -> None:
    _sell(database, clock, desk, shop.morning_appt_id, station="till-1")
    _sell(database, clock, desk, shop.afternoon_appt_id, station="till-2")
    one, two = MemoryConnection(), MemoryConnection()

    make_printer(one, "till-1").flush()
    make_printer(two, "till-2").flush()

    assert [b"R-000001" in data for data in one.sent] == [True]
    assert [b"R-000002" in data for data in two.sent] == [True]


def test_a_second_instance_leaves_printing_to_the_first(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
) -> None:
    first_printer, second_printer = MemoryConnection(), MemoryConnection()
    first = make_printer(first_printer)
    second = make_printer(second_printer)  # same station, same lock file
    first.flush()  # takes the lock
    _sell(database, clock, desk, shop.morning_appt_id)

    run = second.flush()

    assert second_printer.sent == []
    assert run.status.condition == "not_owner"
    assert "Another FrontDesk on this computer" in run.status.message
    first.flush()
    assert len(first_printer.sent) == 1


def test_queued_receipts_never_open_the_drawer(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
    tmp_path: Path,
) -> None:
    printer = RecordingPrinter()  # switched off for now
    config = PrinterConfig(kind="network", host="127.0.0.1", port=printer.port)
    receipts = make_printer(lambda: open_connection(config))
    try:
        _sell(database, clock, desk, shop.morning_appt_id, method=PaymentMethod.CASH)
        drawer = receipts.open_drawer()  # right after the cash sale: the printer is off
        offline = receipts.flush()
        assert not drawer.opened
        assert "connection refused" in drawer.reason
        assert offline.status.condition == "offline"
        assert offline.status.pending == 1

        printer.start()  # hours later the printer is back
        assert receipts.flush().status.condition == "ready"
        [receipt] = printer.wait_for_jobs(1)
        assert b"R-000001" in receipt
        assert b"\x1bp" not in receipt  # the late receipt does not spring the drawer

        assert receipts.open_drawer().opened  # the button: now, on its own
        assert printer.wait_for_jobs(2)[1] == b"\x1bp\x0022"
    finally:
        printer.close()


def test_a_printer_that_never_reads_keeps_the_job_queued(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
    never_reading_printer: NeverReadingPrinter,
) -> None:
    config = PrinterConfig(
        kind="network", host="127.0.0.1", port=never_reading_printer.port, status_timeout=0.3
    )
    receipts = make_printer(lambda: open_connection(config))
    _sell(database, clock, desk, shop.morning_appt_id)

    run = receipts.flush()

    assert run.status.condition == "not_responding"
    assert "is not responding" in run.status.message
    assert run.status.pending == 1
    assert _jobs(database) == [("till-1", "queued", 1, "not_responding")]


@pytest.mark.parametrize("condition", ["paper_out", "cover_open"])
def test_paper_out_and_cover_open_keep_the_job_and_say_so(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
    condition: str,
) -> None:
    printer = RecordingPrinter(condition)  # type: ignore[arg-type]
    printer.start()
    config = PrinterConfig(kind="network", host="127.0.0.1", port=printer.port)
    receipts = make_printer(lambda: open_connection(config))
    try:
        _sell(database, clock, desk, shop.morning_appt_id)
        run = receipts.flush()
        assert run.status.condition == condition
        assert run.status.pending == 1
        printer.condition = "ready"  # paper in, cover shut
        assert receipts.flush().status.condition == "ready"
        assert len(printer.wait_for_jobs(1)) == 1
    finally:
        printer.close()


def test_a_file_printer_counts_receipts_as_sent_not_printed(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
    tmp_path: Path,
) -> None:
    config = PrinterConfig(kind="file", path=str(tmp_path / "lp0"))
    receipts = make_printer(lambda: open_connection(config))
    _sell(database, clock, desk, shop.morning_appt_id)

    run = receipts.flush()

    assert list(run.outcomes.values()) == ["sent"]
    assert run.status.condition == "sent"
    assert _jobs(database)[0][1] == "sent"
    with database.read() as s:
        number = s.scalar(select(Sale.receipt_number))
    assert number is not None
    assert number.encode() in (tmp_path / "lp0").read_bytes()


def test_a_one_way_printer_with_nothing_sent_does_not_claim_receipts_were_sent(
    make_printer: MakePrinter,
    tmp_path: Path,
) -> None:
    """At start (or "Check printer") with nothing queued, a printer that cannot answer was
    only reached: the status bar said "receipts sent" before any receipt existed."""
    config = PrinterConfig(kind="file", path=str(tmp_path / "lp0"))
    receipts = make_printer(lambda: open_connection(config))

    status = receipts.check()

    assert status.condition == "reachable"
    assert "sent" not in status.message.lower()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request: pytest.FixtureRequest, database: UnitOfWork) -> UnitOfWork:
    if request.param == "sqlite":
        return database
    engine = request.getfixturevalue("pg_engine")
    from db.migrate import upgrade_to_head

    upgrade_to_head(engine)
    return UnitOfWork(engine)


def test_two_owners_racing_on_one_station_never_send_a_job_twice(
    any_database: UnitOfWork, clock: FixedClock, tmp_path: Path
) -> None:
    """Belt and braces: even two owners (separate lock folders) claim each job once."""
    from tests.seed import seed_small_shop
    from tools.receipt_crash_check import add_appointments

    shop = seed_small_shop(any_database, clock.now())
    ids = [shop.morning_appt_id, shop.afternoon_appt_id]
    ids += add_appointments(any_database, shop.morning_appt_id, 38, clock.now())
    desk = SignedIn(shop.receptionist_id, "Rita Reception", Role.RECEPTIONIST)
    connections = [MemoryConnection(), MemoryConnection()]
    printers = [
        ReceiptPrinter(
            any_database,
            clock,
            lambda c=c: c,  # type: ignore[misc]
            PAPER_80MM,
            station="till-1",
            lock=PrinterLock(tmp_path / f"locks-{n}" / "printer.lock"),
        )
        for n, c in enumerate(connections)
    ]
    for printer in printers:
        printer.flush()  # both own "their" lock now
    for appointment_id in ids:
        _sell(any_database, clock, desk, appointment_id)
    start = threading.Barrier(2)

    def run(printer: ReceiptPrinter) -> None:
        start.wait()
        printer.flush()

    threads = [threading.Thread(target=run, args=(p,)) for p in printers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = [re.search(rb"R-\d{6}", data).group() for c in connections for data in c.sent]  # type: ignore[union-attr]
    assert len(numbers) == 40
    assert len(set(numbers)) == 40
    assert {state for _st, state, _a, _e in _jobs(any_database)} == {"printed"}


def test_a_job_the_printer_took_without_confirming_is_listed_not_resent(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
) -> None:
    printer = RecordingPrinter(answers=2)  # answers before the job, then falls silent
    printer.start()
    config = PrinterConfig(kind="network", host="127.0.0.1", port=printer.port, status_timeout=0.3)
    receipts = make_printer(lambda: open_connection(config))
    try:
        job_id = _sell(database, clock, desk, shop.morning_appt_id)
        run = receipts.flush()
        assert run.outcomes == {job_id: "failed"}
        assert run.status.condition == "not_responding"
        [item] = receipts.unprinted()
        assert item.reason == "no_confirmation"
        assert printer.wait_for_jobs(1)  # it did reach the printer
        receipts.flush()
        assert len(printer.jobs) == 1  # never sent again on its own
    finally:
        printer.close()


def _legacy_job(folder: Path, name: str, label: str, data: bytes) -> Path:
    """A job file as FrontDesk 0.1's print spool wrote it (magic, JSON header, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.job"
    header = f'{{"label": "{label}", "created_at": "2026-11-23T09:00:00+00:00"}}'
    path.write_bytes(b"FRONTDESK-PRINT-JOB 1\n" + header.encode() + b"\n" + data)
    return path


def test_receipts_left_in_the_old_spool_folder_print_once_and_drawer_kicks_never(
    database: UnitOfWork,
    clock: FixedClock,
    desk: SignedIn,
    shop: SeededShop,
    make_printer: MakePrinter,
    tmp_path: Path,
) -> None:
    # A sale made by FrontDesk 0.1: committed, its receipt still waiting in the spool folder.
    CheckoutService(database, clock).complete_sale(
        shop.morning_appt_id, PaymentMethod.CASH, 10000, desk
    )
    spool = tmp_path / "locks"  # the old spool folder is where the printer lock now lives
    receipt = _legacy_job(spool, "00000000000000000001-abcdef", "Receipt R-000001", b"old\x1bp")
    kick = _legacy_job(spool, "00000000000000000002-abcdef", "Open cash drawer", b"\x1bp\x00")

    printer = MemoryConnection()
    owner = make_printer(printer)
    run = owner.flush()

    assert len(printer.sent) == 1  # rendered afresh from the stored sale
    assert b"R-000001" in printer.sent[0]
    assert b"\x1bp" not in printer.sent[0]  # a late receipt never opens the drawer
    assert list(run.outcomes.values()) == ["printed"]
    assert not receipt.exists()
    assert not kick.exists()
    # A crash after adopting, before the file was set aside: the next flush prints nothing.
    _legacy_job(spool, "00000000000000000001-abcdef", "Receipt R-000001", b"old")
    assert owner.flush().outcomes == {}
    assert not (spool / "00000000000000000001-abcdef.job").exists()
    assert len(printer.sent) == 1
