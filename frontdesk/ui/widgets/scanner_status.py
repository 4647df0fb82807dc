"""The scanner's state in the status bar: connected, waiting for the device, or why not."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.devices.scanner import ScannerCondition, ScannerState
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
        self._description = bridge.scanner.describe()
        # Connect first, then read: a change in between arrives by signal, none is missed.
        bridge.state_changed.connect(self.show_state)
        self.show_state(bridge.state)

    @Slot(object)
    def show_state(self, state: ScannerState) -> None:
        self.setText(f"Scanner: {state.summary}")
        colour = _COLOURS.get(state.condition)
        self.setStyleSheet(f"QLabel {{ color: {colour}; }}" if colour else "")
        self.setToolTip("\n".join(part for part in (self._description, state.advice) if part))
