"""Placeholder: this terminal's printer and scanner set-up is being built on its own branch."""

from __future__ import annotations

from frontdesk.settings import Settings


class DeviceSetup:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
