"""Requests between areas, which the main window turns into navigation (open this client, check
out this appointment). Data changes never travel here: they are announced on the change bus
(frontdesk/ui/change_bus.py), and each screen refreshes itself from it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    open_client = Signal(int)  # customer id
    checkout_requested = Signal(int)  # appointment id
