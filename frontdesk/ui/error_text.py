"""Known errors in the reader's language, with Qt Core alone (the command line uses it too).

A known error carries an English template and its parameters (frontdesk/domain/errors.py); the
template is translated in the "errors" context and filled with parameters written for the
reader: enum names translated, money in the window's formats, a field's name from FIELD_LABELS.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.errors import DatabaseProblem
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.formats import Formats
from frontdesk.domain.money import Money
from frontdesk.ui.labels import label

#: What a form field is called inside an error sentence ("{label} is at most 60 characters.").
FIELD_LABELS = {
    "first_name": QT_TRANSLATE_NOOP("Fields", "The first name"),
    "last_name": QT_TRANSLATE_NOOP("Fields", "The last name"),
    "phone": QT_TRANSLATE_NOOP("Fields", "The phone number"),
    "email": QT_TRANSLATE_NOOP("Fields", "The e-mail address"),
    "birthday": QT_TRANSLATE_NOOP("Fields", "The birthday"),
    "card_number": QT_TRANSLATE_NOOP("Fields", "The card number"),
    "substance": QT_TRANSLATE_NOOP("Fields", "The allergy"),
    "notes": QT_TRANSLATE_NOOP("Fields", "The notes"),
    "topic": QT_TRANSLATE_NOOP("Fields", "The preference"),
    "value": QT_TRANSLATE_NOOP("Fields", "What the client prefers"),
    "name": QT_TRANSLATE_NOOP("Fields", "The name"),
    # The back office's fields, one block per page (kept apart so each grows on its own).
    # -- shop
    "address": QT_TRANSLATE_NOOP("Fields", "The address"),
    "tax_id": QT_TRANSLATE_NOOP("Fields", "The tax number"),
    "currency": QT_TRANSLATE_NOOP("Fields", "The currency"),
    "locale": QT_TRANSLATE_NOOP("Fields", "The language"),
    "timezone": QT_TRANSLATE_NOOP("Fields", "The time zone"),
    "receipt_header": QT_TRANSLATE_NOOP("Fields", "The receipt header"),
    "receipt_footer": QT_TRANSLATE_NOOP("Fields", "The receipt footer"),
    "logo": QT_TRANSLATE_NOOP("Fields", "The logo"),
    "default_tax_rate": QT_TRANSLATE_NOOP("Fields", "The default tax rate"),
    "rounding_step": QT_TRANSLATE_NOOP("Fields", "The rounding step"),
    "rounding_mode": QT_TRANSLATE_NOOP("Fields", "The rounding rule"),
    "closed_days": QT_TRANSLATE_NOOP("Fields", "The closed days"),
    "late_cancel_hours": QT_TRANSLATE_NOOP("Fields", "The late-cancellation hours"),
    "hours_0": QT_TRANSLATE_NOOP("Fields", "Monday's hours"),
    "hours_1": QT_TRANSLATE_NOOP("Fields", "Tuesday's hours"),
    "hours_2": QT_TRANSLATE_NOOP("Fields", "Wednesday's hours"),
    "hours_3": QT_TRANSLATE_NOOP("Fields", "Thursday's hours"),
    "hours_4": QT_TRANSLATE_NOOP("Fields", "Friday's hours"),
    "hours_5": QT_TRANSLATE_NOOP("Fields", "Saturday's hours"),
    "hours_6": QT_TRANSLATE_NOOP("Fields", "Sunday's hours"),
    # -- staff
    "absence_note": QT_TRANSLATE_NOOP("Fields", "The note"),
    # -- services
    "service_category": QT_TRANSLATE_NOOP("Fields", "The category"),
    "category_name": QT_TRANSLATE_NOOP("Fields", "The category's name"),
    "duration": QT_TRANSLATE_NOOP("Fields", "The duration"),
    "buffer": QT_TRANSLATE_NOOP("Fields", "The buffer"),
    "service_price": QT_TRANSLATE_NOOP("Fields", "The price"),
    "service_tax_rate": QT_TRANSLATE_NOOP("Fields", "The tax rate"),
    "price_from": QT_TRANSLATE_NOOP("Fields", "The day the new price starts"),
    "room_kind": QT_TRANSLATE_NOOP("Fields", "The room kind"),
    "capacity_used": QT_TRANSLATE_NOOP("Fields", "The places it uses"),
    "equipment": QT_TRANSLATE_NOOP("Fields", "The equipment"),
    "ingredients": QT_TRANSLATE_NOOP("Fields", "Each ingredient"),
    "contraindications": QT_TRANSLATE_NOOP("Fields", "Each contraindication"),
    "display_order": QT_TRANSLATE_NOOP("Fields", "The display order"),
    # -- rooms and equipment
    "resource_kind": QT_TRANSLATE_NOOP("Fields", "The kind"),
    # -- products
    "sku": QT_TRANSLATE_NOOP("Fields", "The SKU"),
    "barcode": QT_TRANSLATE_NOOP("Fields", "The barcode"),
    "product_ingredients": QT_TRANSLATE_NOOP("Fields", "An ingredient"),
    "product_contraindications": QT_TRANSLATE_NOOP("Fields", "A contraindication"),
    "stock_note": QT_TRANSLATE_NOOP("Fields", "The note"),
    # -- devices
    "printer_kind": QT_TRANSLATE_NOOP("Fields", "The printer connection"),
    "printer_host": QT_TRANSLATE_NOOP("Fields", "The printer's address"),
    "printer_port": QT_TRANSLATE_NOOP("Fields", "The TCP port"),
    "printer_device": QT_TRANSLATE_NOOP("Fields", "The printer's serial port"),
    "printer_baudrate": QT_TRANSLATE_NOOP("Fields", "The printer's baud rate"),
    "printer_usb_vendor": QT_TRANSLATE_NOOP("Fields", "The USB vendor id"),
    "printer_usb_product": QT_TRANSLATE_NOOP("Fields", "The USB product id"),
    "printer_path": QT_TRANSLATE_NOOP("Fields", "The file or device"),
    "paper_mm": QT_TRANSLATE_NOOP("Fields", "The paper width"),
    "printer_profile": QT_TRANSLATE_NOOP("Fields", "The printer model"),
    "scanner_port": QT_TRANSLATE_NOOP("Fields", "The scanner's port"),
    "scanner_baudrate": QT_TRANSLATE_NOOP("Fields", "The scanner's baud rate"),
    # -- price list
    "price_list_name": QT_TRANSLATE_NOOP("Fields", "The name"),
    "price_list_category": QT_TRANSLATE_NOOP("Fields", "The category"),
    "price_list_sku": QT_TRANSLATE_NOOP("Fields", "The SKU"),
    "price_list_barcode": QT_TRANSLATE_NOOP("Fields", "The barcode"),
    "price_list_room_kind": QT_TRANSLATE_NOOP("Fields", "The room kind"),
    "price_list_tag": QT_TRANSLATE_NOOP("Fields", "A tag"),
    # -- first run
    "owner_name": QT_TRANSLATE_NOOP("Fields", "The owner's name"),
    # -- engine (booking, moving, resizing)
    "room": QT_TRANSLATE_NOOP("Fields", "The room"),
    "ends": QT_TRANSLATE_NOOP("Fields", "The end time"),
    "override_reason": QT_TRANSLATE_NOOP("Fields", "The reason"),
    # -- status (statuses, cancellations, room board)
    "cancel_reason": QT_TRANSLATE_NOOP("Fields", "The reason"),
    # -- slots (next free slot)
    "window": QT_TRANSLATE_NOOP("Fields", "The time window"),
    "slot_days": QT_TRANSLATE_NOOP("Fields", "The number of days"),
    "step": QT_TRANSLATE_NOOP("Fields", "The step"),
    "weekdays": QT_TRANSLATE_NOOP("Fields", "The days of the week"),
    # -- repeat (recurring appointments, waitlist)
    "every_weeks": QT_TRANSLATE_NOOP("Fields", "The number of weeks"),
    "repeat_until": QT_TRANSLATE_NOOP("Fields", "The last day"),
    "repeat_count": QT_TRANSLATE_NOOP("Fields", "The number of times"),
    "waitlist_first_day": QT_TRANSLATE_NOOP("Fields", "The first day"),
    "waitlist_last_day": QT_TRANSLATE_NOOP("Fields", "The last day"),
    "waitlist_to": QT_TRANSLATE_NOOP("Fields", "The latest start"),
    "waitlist_days": QT_TRANSLATE_NOOP("Fields", "The days of the week"),
    "waitlist_note": QT_TRANSLATE_NOOP("Fields", "The note"),
    # -- dialog (the booking dialog)
    # -- grid (the calendar's views)
    # -- views (week, month)
    "category_color": QT_TRANSLATE_NOOP("Fields", "The category's colour"),
    # -- search (issue 9)
    # -- card (issue 9)
    "marketing_channel": QT_TRANSLATE_NOOP("Fields", "How the client agreed"),
    "pressure": QT_TRANSLATE_NOOP("Fields", "The pressure"),
    "room_temperature": QT_TRANSLATE_NOOP("Fields", "The room temperature"),
    "music": QT_TRANSLATE_NOOP("Fields", "The music"),
    "liked": QT_TRANSLATE_NOOP("Fields", "What the client likes"),
    "disliked": QT_TRANSLATE_NOOP("Fields", "What the client dislikes"),
    "avoid_topics": QT_TRANSLATE_NOOP("Fields", "Topics to avoid"),
    "preferred_staff": QT_TRANSLATE_NOOP("Fields", "The preferred therapist"),
    "tag": QT_TRANSLATE_NOOP("Fields", "The tag"),
    # -- therapist (issue 9)
    "safety_reason": QT_TRANSLATE_NOOP("Fields", "The reason to go ahead"),
    # -- vault (issue 9)
    "kind": QT_TRANSLATE_NOOP("Fields", "Allergy or contraindication"),
    "severity": QT_TRANSLATE_NOOP("Fields", "The severity"),
    "tested_on": QT_TRANSLATE_NOOP("Fields", "The patch test date"),
    "product": QT_TRANSLATE_NOOP("Fields", "The product tested"),
    "result": QT_TRANSLATE_NOOP("Fields", "The result"),
    "key_text": QT_TRANSLATE_NOOP("Fields", "The health data key"),
    # -- io (issue 9)
    # -- loyalty (issue 9)
}


def error_text(error: DomainError | DatabaseProblem, formats: Formats | None = None) -> str:
    """A known error in the window's language: its template translated (context "errors"),
    then filled with its parameters, themselves written for the reader (enum names translated,
    money in `formats`, a field's name from FIELD_LABELS)."""
    if isinstance(error, FormErrors):
        return " ".join(error_text(e, formats) for e in error.errors.values())
    params = dict(error.params)
    count = params.get("n")
    text = QCoreApplication.translate(
        "errors", error.text, None, count if isinstance(count, int) else -1
    )
    for name, value in params.items():
        if isinstance(value, Enum):
            params[name] = label(value)
        elif isinstance(value, Money) and formats is not None:
            params[name] = formats.money(value)
        elif isinstance(value, datetime) and formats is not None:
            params[name] = formats.time(value)
    if isinstance(error, ValidationError) and error.field in FIELD_LABELS:
        params["label"] = QCoreApplication.translate("Fields", str(FIELD_LABELS[error.field]))
    return text.format(**params) if params else text


def field_texts(error: FormErrors, formats: Formats | None = None) -> dict[str, str]:
    """Each field's error of a form, in the window's language."""
    return {field: error_text(e, formats) for field, e in error.errors.items()}
