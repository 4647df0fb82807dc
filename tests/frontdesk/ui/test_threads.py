"""Work and scans from other threads arrive on the GUI thread, through real threads."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from frontdesk.devices.scanner import ScannerCondition, ScannerState, ScanResult, SerialScanner
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge
from frontdesk.ui.workers import ThreadPoolExecutor


def test_serial_scan_reaches_the_gui_thread(qtbot: QtBot) -> None:
    scanner = SerialScanner("loop://")
    bridge = ScannerBridge(scanner)
    seen_on: list[bool] = []
    bridge.scanned.connect(lambda _r: seen_on.append(QThread.currentThread().isMainThread()))
    with qtbot.waitSignal(
        bridge.state_changed,
        timeout=5000,
        check_params_cb=lambda state: state.condition is ScannerCondition.CONNECTED,
    ):
        bridge.start()
    try:
        with qtbot.waitSignal(bridge.scanned, timeout=5000) as signal:
            scanner.serial_port.write(b"FD-0000001\r")
        result = signal.args[0]
        assert isinstance(result, ScanResult)
        assert result.code == "FD-0000001"
        assert seen_on == [True]
    finally:
        bridge.stop()


def test_a_missing_scanner_is_waited_for_off_the_gui_thread(qtbot: QtBot) -> None:
    # Long retry waits: if start() or any retry ran on the GUI thread, this would hang.
    scanner = SerialScanner("/dev/frontdesk-no-such-scanner", retry_initial=60, retry_max=60)
    bridge = ScannerBridge(scanner)
    seen: list[tuple[ScannerState, bool]] = []
    bridge.state_changed.connect(
        lambda state: seen.append((state, QThread.currentThread().isMainThread()))
    )
    try:
        bridge.start()
        qtbot.waitUntil(lambda: bridge.state.condition is ScannerCondition.WAITING, timeout=5000)
        assert bridge.state.summary == "waiting for /dev/frontdesk-no-such-scanner"
        qtbot.waitUntil(
            lambda: bool(seen) and seen[-1][0].condition is ScannerCondition.WAITING,
            timeout=5000,
        )
        assert all(on_gui for _, on_gui in seen)
        # "opening" (from start(), unless the thread was quicker), then "waiting".
        assert {state.condition for state, _ in seen} <= {
            ScannerCondition.OPENING,
            ScannerCondition.WAITING,
        }
    finally:
        bridge.stop()
    assert not scanner.is_running


def test_thread_pool_runs_work_off_the_gui_thread(qtbot: QtBot) -> None:
    executor = ThreadPoolExecutor()
    gui_thread = threading.get_ident()
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def work() -> int:
        return threading.get_ident()

    executor.submit(
        work,
        lambda worker: results.append((worker, threading.get_ident() == gui_thread)),
        errors.append,
    )
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    worker_thread, delivered_on_gui = results[0]
    assert worker_thread != gui_thread
    assert delivered_on_gui

    def fail() -> None:
        raise OSError("disk full")

    executor.submit(fail, results.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "disk full"
    assert executor.wait(5000)
