"""Brings scans and scanner state changes from the scanner's thread onto the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from frontdesk.devices.scanner import Scanner, ScannerState, ScanResult


class ScannerBridge(QObject):
    """Owns the scanner for the app's lifetime (windows come and go with sign-in/sign-out).

    Both signals are emitted on the scanner's own thread and so reach GUI-thread receivers
    queued; nothing here ever waits on the device. A queued signal reaches only the receivers
    connected when it was emitted, so a receiver connects first and then reads ``state``.
    """

    scanned = Signal(object)  # ScanResult
    state_changed = Signal(object)  # ScannerState

    def __init__(self, scanner: Scanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner

    @property
    def state(self) -> ScannerState:
        """The scanner's state now (read from the scanner, safe from any thread)."""
        return self.scanner.state

    def start(self) -> None:
        """Start the scanner; it connects (and reconnects) on its own thread."""
        self.scanner.start(self._scan_from_scanner_thread, self._state_from_scanner_thread)
        self.state_changed.emit(self.state)  # for receivers that exist already

    def stop(self) -> None:
        self.scanner.stop()

    def _scan_from_scanner_thread(self, result: ScanResult) -> None:
        self.scanned.emit(result)

    def _state_from_scanner_thread(self, state: ScannerState) -> None:
        self.state_changed.emit(state)
