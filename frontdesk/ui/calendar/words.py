"""How the window writes the calendar's values: status names, working hours, counts.

The calendar service returns the domain's `AppointmentStatus`, minutes and numbers; the words
for them are chosen here, in the window's language.
"""

from __future__ import annotations

import functools
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.formats import Formats
from frontdesk.services.calendar import TherapistColumn
from frontdesk.ui.labels import label


def status_name(status: AppointmentStatus | str, paid: bool = False) -> str:
    """The one word shown for an appointment's status everywhere (calendar, visit history):
    'Paid' once checkout took payment, else the program's name for the status (a finished
    visit is 'Completed' until it is paid)."""
    status = AppointmentStatus(status)
    if paid:
        return QCoreApplication.translate("AppointmentStatus", "Paid")
    return label(status)


def working_hours(therapist: TherapistColumn, formats: Formats) -> str:
    """'09:00–18:00' (or several spans), or 'Off' on a day the therapist does not work."""
    if therapist.off:
        return QCoreApplication.translate("DayGrid", "Off")
    return ", ".join(f"{formats.clock(a)}–{formats.clock(b)}" for a, b in therapist.hours)


def time_range(formats: Formats, start: datetime, end: datetime) -> str:
    """'10:00–11:00' as `formats` writes it; each time is written by babel once, then
    remembered (babel parses the locale and pattern on every call: most of a busy day's
    drawing, and a day holds only a few dozen distinct times)."""
    return f"{_time(formats, start)}–{_time(formats, end)}"


@functools.lru_cache(maxsize=4096)
def _time(formats: Formats, moment: datetime) -> str:
    return formats.time(moment)
