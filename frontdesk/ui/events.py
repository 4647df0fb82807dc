"""What changed, announced once; each screen refreshes itself. No screen reaches into another."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

APPOINTMENTS = "appointments"
CLIENTS = "clients"
SALES = "sales"


class AppEvents(QObject):
    changed = Signal(str)  # APPOINTMENTS, CLIENTS or SALES
    open_client = Signal(int)  # customer id
    checkout_requested = Signal(int)  # appointment id
    reprint_requested = Signal(str)  # receipt number
