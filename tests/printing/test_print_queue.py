"""The durable print queue: spool first, keep order, survive failures and restarts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from printing import atomic
from printing.connections import (
    MemoryConnection,
    PrinterConfig,
    PrinterConnection,
    PrinterUnavailable,
    open_connection,
)
from printing.print_queue import PrintQueue, QueueStatus
from tests.printing.fake_printers import RecordingPrinter


def _queue(spool: Path, printer: PrinterConnection) -> PrintQueue:
    return PrintQueue(spool, lambda: printer)


def test_submit_spools_the_job_before_any_attempt(tmp_path: Path) -> None:
    def connect() -> PrinterConnection:
        raise AssertionError("submit must not touch the printer")

    queue = PrintQueue(tmp_path / "spool", connect)

    job_id = queue.submit("Receipt R-000123", b"\x1b@hello")

    [job] = queue.pending()
    assert job.id == job_id
    assert job.label == "Receipt R-000123"
    assert job.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - job.created_at).total_seconds()) < 60
    assert [path.name for path in (tmp_path / "spool").iterdir()] == [f"{job_id}.job"]
    assert queue.status == QueueStatus("waiting", "1 job waiting to print", 1)


def test_flush_sends_oldest_first_and_empties_the_spool(tmp_path: Path) -> None:
    printer = MemoryConnection()
    queue = _queue(tmp_path, printer)
    for n in range(5):
        queue.submit(f"job {n}", f"data {n}".encode())

    status = queue.flush()

    assert printer.sent == [f"data {n}".encode() for n in range(5)]
    assert status == QueueStatus("ready", "Printer ready", 0)
    assert queue.pending() == []
    assert list(tmp_path.iterdir()) == []


def test_failed_send_keeps_the_job_and_says_why(tmp_path: Path) -> None:
    printer = MemoryConnection(failure="Printer at 10.0.0.7:9100 is not answering (timed out)")
    queue = _queue(tmp_path, printer)
    queue.submit("Receipt", b"data")

    status = queue.flush()

    assert status.state == "offline"
    assert status.pending == 1
    assert status.message == (
        "Printer at 10.0.0.7:9100 is not answering (timed out); 1 job will print when it is back"
    )
    assert [job.label for job in queue.pending()] == ["Receipt"]


def test_flush_stops_at_the_first_failure_and_keeps_the_rest_in_order(tmp_path: Path) -> None:
    printer = MemoryConnection(fail_after=1)
    queue = _queue(tmp_path, printer)
    for label in ("first", "second", "third"):
        queue.submit(label, label.encode())

    assert queue.flush().state == "offline"
    assert printer.sent == [b"first"]
    assert [job.label for job in queue.pending()] == ["second", "third"]

    printer.recover()
    assert queue.flush().state == "ready"
    assert printer.sent == [b"first", b"second", b"third"]


def test_jobs_survive_a_restart(tmp_path: Path) -> None:
    first = _queue(tmp_path, MemoryConnection(failure="off"))
    ids = [first.submit(f"job {n}", bytes([n])) for n in range(3)]
    first.flush()

    printer = MemoryConnection()
    second = _queue(tmp_path, printer)  # as after the program was restarted

    assert [job.id for job in second.pending()] == ids
    assert second.status.state == "waiting"
    assert second.flush().state == "ready"
    assert printer.sent == [b"\x00", b"\x01", b"\x02"]


def test_everything_prints_once_the_network_printer_is_back(
    tmp_path: Path, switched_off_printer: RecordingPrinter
) -> None:
    config = PrinterConfig(kind="network", host="127.0.0.1", port=switched_off_printer.port)
    queue = PrintQueue(tmp_path, lambda: open_connection(config))
    jobs = [f"receipt {n}".encode() for n in range(3)]
    for n, data in enumerate(jobs):
        queue.submit(f"R-{n}", data)

    offline = queue.flush()
    assert offline.state == "offline"
    assert "connection refused" in offline.message
    assert offline.pending == 3

    switched_off_printer.start()
    restarted = PrintQueue(tmp_path, lambda: open_connection(config))
    assert restarted.flush() == QueueStatus("ready", "Printer ready", 0)
    assert switched_off_printer.wait_for_jobs(3) == jobs


def test_no_printer_set_up_leaves_jobs_waiting(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path, lambda: open_connection(PrinterConfig(kind="none")))
    queue.submit("Receipt", b"data")

    status = queue.flush()

    assert status.state == "offline"
    assert status.message.startswith("No receipt printer is set up")
    assert len(queue.pending()) == 1


def test_listeners_hear_every_submit_flush_and_discard(tmp_path: Path) -> None:
    printer = MemoryConnection(failure="off")
    queue = _queue(tmp_path, printer)
    heard: list[QueueStatus] = []
    unsubscribe = queue.subscribe(heard.append)

    first = queue.submit("a", b"a")
    queue.submit("b", b"b")
    queue.flush()
    queue.discard(first)
    printer.recover()
    queue.flush()
    unsubscribe()
    queue.submit("c", b"c")

    assert [(s.state, s.pending) for s in heard] == [
        ("waiting", 1),
        ("waiting", 2),
        ("offline", 2),
        ("offline", 1),
        ("ready", 0),
    ]


def test_a_failing_listener_does_not_break_the_queue(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_status: QueueStatus) -> None:
        raise RuntimeError("listener bug")

    queue = _queue(tmp_path, MemoryConnection())
    queue.subscribe(broken)

    queue.submit("a", b"a")

    assert len(queue.pending()) == 1
    assert "listener failed" in caplog.text


def test_discard_removes_only_real_jobs(tmp_path: Path) -> None:
    queue = _queue(tmp_path, MemoryConnection())
    keep = queue.submit("keep", b"1")
    drop = queue.submit("drop", b"2")

    assert queue.discard(drop) is True
    assert queue.discard(drop) is False
    assert queue.discard("../../etc/passwd") is False
    assert [job.id for job in queue.pending()] == [keep]


def test_an_unreadable_spool_file_is_set_aside_not_printed(tmp_path: Path) -> None:
    printer = MemoryConnection()
    queue = _queue(tmp_path, printer)
    queue.submit("good", b"good")
    (tmp_path / "00000000000000000001-abcdef.job").write_bytes(b"garbage")

    assert [job.label for job in queue.pending()] == ["good"]
    assert queue.flush().state == "ready"
    assert printer.sent == [b"good"]
    assert (tmp_path / "00000000000000000001-abcdef.job.broken").exists()


def test_a_crash_while_spooling_leaves_no_partial_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = _queue(tmp_path, MemoryConnection())

    def power_cut(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", power_cut)
    with pytest.raises(OSError, match="disk full"):
        queue.submit("lost", b"data")

    assert list(tmp_path.iterdir()) == []


def test_concurrent_submits_and_flushes_print_each_job_once_in_order(tmp_path: Path) -> None:
    printer = MemoryConnection()
    queue = _queue(tmp_path, printer)
    start = threading.Barrier(6)

    def cashier(name: str) -> None:
        start.wait()
        for n in range(25):
            queue.submit(name, f"{name}:{n:02d}".encode())

    def worker() -> None:
        start.wait()
        for _ in range(20):
            queue.flush()

    threads = [threading.Thread(target=cashier, args=(f"till{t}",)) for t in range(4)]
    threads += [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.flush()

    assert len(printer.sent) == 100
    assert len(set(printer.sent)) == 100
    for till in range(4):
        mine = [data for data in printer.sent if data.startswith(f"till{till}:".encode())]
        assert mine == sorted(mine)
    assert queue.status == QueueStatus("ready", "Printer ready", 0)


def test_connect_failure_is_reported_like_a_send_failure(tmp_path: Path) -> None:
    def connect() -> PrinterConnection:
        raise PrinterUnavailable("Printer on serial port COM3 is not available (no such device)")

    queue = PrintQueue(tmp_path, connect)
    queue.submit("Receipt", b"x")

    assert queue.flush().message.startswith("Printer on serial port COM3 is not available")
