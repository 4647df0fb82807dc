"""Placeholder: the guided start is being built on its own branch."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.ui.desk import Desk


def open_guided_start(desk: Desk, parent: QWidget) -> None:
    """Open the guided start over `parent`."""
