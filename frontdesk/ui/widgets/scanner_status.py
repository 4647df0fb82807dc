"""The scanner's state in the status bar: connected, waiting for the device, or why not.

The words are the window's: the device reports a condition, a port and (for an error) a short
reason; the known reasons and what to do about them are translated here. An operating-system
reason nobody foresaw is shown as the system gave it.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.devices.scanner import (
    NullScanner,
    ScannerCondition,
    ScannerState,
    SerialScanner,
    SwitchableScanner,
)
from frontdesk.ui.widgets.scanner_bridge import ScannerBridge

_COLOURS = {
    ScannerCondition.CONNECTED: "#1d7a35",
    ScannerCondition.WAITING: "#8a5a00",
    ScannerCondition.ERROR: "#b3261e",
}


class ScannerStatus(QLabel):
    """Shows "Scanner: connected", "Scanner: waiting for /dev/ttyACM0", "Scanner: error (…)".

    Follows the bridge's state_changed signal live; the tooltip says what to do about it.
    """

    def __init__(self, bridge: ScannerBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scannerState")
        self._bridge = bridge
        # Connect first, then read: a change in between arrives by signal, none is missed.
        bridge.state_changed.connect(self.show_state)
        self.show_state(bridge.state)

    def description(self) -> str:
        """Which scanner this is (the one in place now: the settings can replace it)."""
        scanner = self._bridge.scanner
        if isinstance(scanner, SwitchableScanner):
            scanner = scanner.current
        if isinstance(scanner, SerialScanner):
            return self.tr("Serial scanner on {port}").format(port=scanner.port)
        if isinstance(scanner, NullScanner):
            return self.tr("No scanner configured")
        return scanner.describe()  # a fake's own name, in tests and demos

    def summary(self, state: ScannerState) -> str:
        condition, port = state.condition, state.port
        if condition is ScannerCondition.NOT_SET_UP:
            return self.tr("Scanner: not set up")
        if condition is ScannerCondition.STOPPED:
            return self.tr("Scanner: stopped")
        if condition is ScannerCondition.OPENING:
            return self.tr("Scanner: opening {port}").format(port=port)
        if condition is ScannerCondition.CONNECTED:
            return self.tr("Scanner: connected")
        if condition is ScannerCondition.WAITING:
            return self.tr("Scanner: waiting for {port}").format(port=port)
        if not state.reason:
            return self.tr("Scanner: error")
        return self.tr("Scanner: error ({reason})").format(reason=self._reason(state.reason))

    def _reason(self, reason: str) -> str:
        known = {
            "permission denied": self.tr("permission denied"),
            "in use by another program": self.tr("in use by another program"),
            "not a serial port": self.tr("not a serial port"),
            "not a valid port setting": self.tr("not a valid port setting"),
        }
        return known.get(reason, reason)

    def advice(self, state: ScannerState) -> str:
        """What to do about `state`, in the window's language."""
        condition, port = state.condition, state.port
        if condition is ScannerCondition.NOT_SET_UP:
            return self.tr("Set up a serial barcode scanner in Back office → Printer and scanner.")
        if condition is ScannerCondition.WAITING:
            return self.tr(
                "Plug the scanner in, or check the scanner_port setting. FrontDesk connects by "
                "itself as soon as the device appears."
            )
        if condition is not ScannerCondition.ERROR:
            return ""
        return {
            "permission denied": self.tr(
                "On Linux, add this user to the 'dialout' group and log in again."
            ),
            "in use by another program": self.tr(
                "Close the other program that uses the scanner (or another FrontDesk window); "
                "FrontDesk keeps trying."
            ),
            "not a serial port": self.tr(
                "Check the port name in the scanner_port setting: {port} is not a serial port."
            ).format(port=port),
            "not a valid port setting": self.tr(
                "Check the scanner_port setting: {port} is neither a device path nor a pyserial "
                "URL."
            ).format(port=port),
        }.get(
            state.reason,
            self.tr("FrontDesk keeps trying. Check the cable and the scanner_port setting."),
        )

    @Slot(object)
    def show_state(self, state: ScannerState) -> None:
        self.setText(self.summary(state))
        colour = _COLOURS.get(state.condition)
        self.setStyleSheet(f"QLabel {{ color: {colour}; }}" if colour else "")
        self.setToolTip(
            "\n".join(part for part in (self.description(), self.advice(state)) if part)
        )
