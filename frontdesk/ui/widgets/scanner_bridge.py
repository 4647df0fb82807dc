"""Brings scans from the scanner's reading thread onto the GUI thread as a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from frontdesk.devices.scanner import Scanner, ScannerUnavailable, ScanResult


class ScannerBridge(QObject):
    scanned = Signal(object)  # ScanResult, delivered queued on the GUI thread

    def __init__(self, scanner: Scanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self.problem: str | None = None

    def start(self) -> None:
        """Start reading; a scanner that cannot be opened is reported, not fatal."""
        try:
            self.scanner.start(self._from_reader_thread)
        except ScannerUnavailable as exc:
            self.problem = str(exc)

    def _from_reader_thread(self, result: ScanResult) -> None:
        self.scanned.emit(result)

    def stop(self) -> None:
        self.scanner.stop()
