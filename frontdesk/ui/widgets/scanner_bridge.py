"""Brings scans and scanner state changes from the scanner's thread onto the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from frontdesk.devices.scanner import Scanner, ScannerState, ScanResult


class ScannerBridge(QObject):
    """Owns the scanner for the app's lifetime (windows come and go with sign-in/sign-out).

    The scanner's thread only ever emits the private ``_arrived`` signal, whose one receiver is
    this object's own slot on the GUI thread (so the call is queued there); that slot emits the
    public ``scanned`` / ``state_changed`` signals on the GUI thread. Outside receivers are thus
    always called directly on the GUI thread and never have a queued call pending when they
    disconnect (PySide6 6.10 can crash delivering a queued call to a disconnected plain-Python
    slot). Nothing here waits on the device.

    A receiver that also wants the current state connects first, then reads ``state``.
    """

    scanned = Signal(object)  # ScanResult
    state_changed = Signal(object)  # ScannerState
    _arrived = Signal(object)  # a ScanResult or a ScannerState, from the scanner's thread

    def __init__(self, scanner: Scanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self._arrived.connect(self._on_gui_thread)

    @property
    def state(self) -> ScannerState:
        """The scanner's state now (read from the scanner, safe from any thread)."""
        return self.scanner.state

    def start(self) -> None:
        """Start the scanner; it connects (and reconnects) on its own thread."""
        self.scanner.start(self._arrived.emit, self._arrived.emit)
        self.state_changed.emit(self.state)  # for receivers that exist already

    def stop(self) -> None:
        self.scanner.stop()

    @Slot(object)
    def _on_gui_thread(self, item: ScanResult | ScannerState) -> None:
        if isinstance(item, ScanResult):
            self.scanned.emit(item)
        else:
            self.state_changed.emit(item)
