"""The calendar's view choices kept per terminal (this computer, not the shop): the time step,
the zoom and day columns per therapist or per room. A small INI file beside window.ini: one
desk may prefer 5-minute rows on its big screen while the tablet keeps half hours."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QSettings

from frontdesk.ui.calendar.grid_items import ZOOMS
from frontdesk.ui.calendar.grid_layout import DEFAULT_STEP, STEPS


def calendar_file() -> Path:
    return Path(user_config_dir("FrontDesk", appauthor=False)) / "calendar.ini"


@dataclass(frozen=True)
class GridChoices:
    step: int = DEFAULT_STEP
    zoom: float = 1.0
    by_room: bool = False


def load_choices(path: Path | None = None) -> GridChoices:
    settings = QSettings(str(path or calendar_file()), QSettings.Format.IniFormat)
    try:
        step = int(str(settings.value("grid/step", DEFAULT_STEP)))
        zoom = float(str(settings.value("grid/zoom", 1.0)))
    except ValueError:  # edited by hand: the defaults
        return GridChoices()
    by_room = str(settings.value("grid/by_room", "false")).lower() == "true"
    return GridChoices(
        step if step in STEPS else DEFAULT_STEP,
        zoom if zoom in ZOOMS else 1.0,
        by_room,
    )


def save_choices(choices: GridChoices, path: Path | None = None) -> None:
    settings = QSettings(str(path or calendar_file()), QSettings.Format.IniFormat)
    settings.setValue("grid/step", choices.step)
    settings.setValue("grid/zoom", choices.zoom)
    settings.setValue("grid/by_room", "true" if choices.by_room else "false")
    settings.sync()
