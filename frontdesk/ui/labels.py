"""Names of the program's enums as people read them, in the window's language."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.checkout import PaymentMethod
from frontdesk.domain.roles import Permission, Role

_LABELS: dict[Enum, object] = {  # QT_TRANSLATE_NOOP: found by lupdate, translated on use
    Role.OWNER: QT_TRANSLATE_NOOP("Labels", "Owner"),
    Role.MANAGER: QT_TRANSLATE_NOOP("Labels", "Manager"),
    Role.RECEPTIONIST: QT_TRANSLATE_NOOP("Labels", "Receptionist"),
    Role.THERAPIST: QT_TRANSLATE_NOOP("Labels", "Therapist"),
    Permission.VIEW_CALENDAR: QT_TRANSLATE_NOOP("Labels", "seeing the calendar"),
    Permission.BOOK_APPOINTMENTS: QT_TRANSLATE_NOOP("Labels", "booking appointments"),
    Permission.VIEW_CLIENTS: QT_TRANSLATE_NOOP("Labels", "opening client cards"),
    Permission.EDIT_CLIENTS: QT_TRANSLATE_NOOP("Labels", "editing clients"),
    Permission.VIEW_HEALTH: QT_TRANSLATE_NOOP("Labels", "seeing allergies and health notes"),
    Permission.EDIT_HEALTH: QT_TRANSLATE_NOOP("Labels", "recording allergies and health notes"),
    Permission.CHECKOUT: QT_TRANSLATE_NOOP("Labels", "taking payments"),
    Permission.REFUND: QT_TRANSLATE_NOOP("Labels", "giving refunds"),
    Permission.OPEN_DRAWER: QT_TRANSLATE_NOOP("Labels", "opening the cash drawer"),
    Permission.REPRINT_RECEIPTS: QT_TRANSLATE_NOOP("Labels", "reprinting receipts"),
    Permission.VIEW_MONEY_REPORTS: QT_TRANSLATE_NOOP("Labels", "seeing money reports"),
    Permission.MANAGE_PRICES: QT_TRANSLATE_NOOP("Labels", "changing services and prices"),
    Permission.MANAGE_STAFF: QT_TRANSLATE_NOOP("Labels", "managing staff"),
    AppointmentStatus.BOOKED: QT_TRANSLATE_NOOP("Labels", "Booked"),
    AppointmentStatus.CHECKED_IN: QT_TRANSLATE_NOOP("Labels", "Checked in"),
    AppointmentStatus.COMPLETED: QT_TRANSLATE_NOOP("Labels", "Completed"),
    AppointmentStatus.CANCELLED: QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    AppointmentStatus.NO_SHOW: QT_TRANSLATE_NOOP("Labels", "No-show"),
    PaymentMethod.CASH: QT_TRANSLATE_NOOP("Labels", "Cash"),
    PaymentMethod.CARD: QT_TRANSLATE_NOOP("Labels", "Card"),
}


def label(value: Enum) -> str:
    """`value`'s name in the window's language (its code when no name is known)."""
    text = _LABELS.get(value)
    if text is None:
        return str(value.value)
    return QCoreApplication.translate("Labels", str(text))
