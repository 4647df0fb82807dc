"""Names of the program's enums as people read them, in the window's language."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# Keyed by the enum's class name and value, so this module imports no domain rules (the first
# window uses it before they are loaded).
_LABELS: dict[tuple[str, str], object] = {  # found by lupdate, translated on use
    ("Role", "owner"): QT_TRANSLATE_NOOP("Labels", "Owner"),
    ("Role", "manager"): QT_TRANSLATE_NOOP("Labels", "Manager"),
    ("Role", "receptionist"): QT_TRANSLATE_NOOP("Labels", "Receptionist"),
    ("Role", "therapist"): QT_TRANSLATE_NOOP("Labels", "Therapist"),
    ("Permission", "view_calendar"): QT_TRANSLATE_NOOP("Labels", "seeing the calendar"),
    ("Permission", "book_appointments"): QT_TRANSLATE_NOOP("Labels", "booking appointments"),
    ("Permission", "view_clients"): QT_TRANSLATE_NOOP("Labels", "opening client cards"),
    ("Permission", "edit_clients"): QT_TRANSLATE_NOOP("Labels", "editing clients"),
    ("Permission", "view_health"): QT_TRANSLATE_NOOP("Labels", "seeing allergies and health notes"),
    ("Permission", "edit_health"): QT_TRANSLATE_NOOP(
        "Labels", "recording allergies and health notes"
    ),
    ("Permission", "checkout"): QT_TRANSLATE_NOOP("Labels", "taking payments"),
    ("Permission", "refund"): QT_TRANSLATE_NOOP("Labels", "giving refunds"),
    ("Permission", "open_drawer"): QT_TRANSLATE_NOOP("Labels", "opening the cash drawer"),
    ("Permission", "reprint_receipts"): QT_TRANSLATE_NOOP("Labels", "reprinting receipts"),
    ("Permission", "view_money_reports"): QT_TRANSLATE_NOOP("Labels", "seeing money reports"),
    ("Permission", "view_back_office"): QT_TRANSLATE_NOOP("Labels", "opening the back office"),
    ("Permission", "manage_shop"): QT_TRANSLATE_NOOP("Labels", "changing the shop's details"),
    ("Permission", "manage_staff"): QT_TRANSLATE_NOOP("Labels", "managing staff"),
    ("Permission", "manage_catalogue"): QT_TRANSLATE_NOOP(
        "Labels", "changing services, products and prices"
    ),
    ("Permission", "adjust_stock"): QT_TRANSLATE_NOOP("Labels", "adjusting stock"),
    ("Permission", "manage_devices"): QT_TRANSLATE_NOOP(
        "Labels", "setting up the printer and scanner"
    ),
    ("Permission", "override_booking_rules"): QT_TRANSLATE_NOOP(
        "Labels", "booking past a calendar rule"
    ),
    ("Permission", "serve_appointments"): QT_TRANSLATE_NOOP(
        "Labels", "marking arrivals and services started or finished"
    ),
    ("Permission", "view_client_spend"): QT_TRANSLATE_NOOP("Labels", "seeing what clients spend"),
    ("Permission", "read_treatment_notes"): QT_TRANSLATE_NOOP("Labels", "reading treatment notes"),
    ("Permission", "write_treatment_notes"): QT_TRANSLATE_NOOP("Labels", "writing treatment notes"),
    ("Permission", "merge_clients"): QT_TRANSLATE_NOOP("Labels", "merging client records"),
    ("Permission", "transfer_clients"): QT_TRANSLATE_NOOP(
        "Labels", "importing and exporting clients"
    ),
    ("Permission", "erase_clients"): QT_TRANSLATE_NOOP("Labels", "erasing a client's data"),
    ("Permission", "manage_health_key"): QT_TRANSLATE_NOOP(
        "Labels", "exporting or restoring the health data key"
    ),
    ("Permission", "adjust_points"): QT_TRANSLATE_NOOP("Labels", "adjusting loyalty points"),
    ("AppointmentStatus", "booked"): QT_TRANSLATE_NOOP("Labels", "Booked"),
    ("AppointmentStatus", "confirmed"): QT_TRANSLATE_NOOP("Labels", "Confirmed"),
    ("AppointmentStatus", "checked_in"): QT_TRANSLATE_NOOP("Labels", "Arrived"),
    ("AppointmentStatus", "in_service"): QT_TRANSLATE_NOOP("Labels", "In service"),
    ("AppointmentStatus", "completed"): QT_TRANSLATE_NOOP("Labels", "Completed"),
    ("AppointmentStatus", "cancelled"): QT_TRANSLATE_NOOP("Labels", "Cancelled"),
    ("AppointmentStatus", "no_show"): QT_TRANSLATE_NOOP("Labels", "No-show"),
    ("PaymentMethod", "cash"): QT_TRANSLATE_NOOP("Labels", "Cash"),
    ("PaymentMethod", "card"): QT_TRANSLATE_NOOP("Labels", "Card"),
    # -- price list: what a file column is read as
    ("PriceColumn", "type"): QT_TRANSLATE_NOOP("Labels", "Type (service or product)"),
    ("PriceColumn", "category"): QT_TRANSLATE_NOOP("Labels", "Category"),
    ("PriceColumn", "name"): QT_TRANSLATE_NOOP("Labels", "Name"),
    ("PriceColumn", "sku"): QT_TRANSLATE_NOOP("Labels", "SKU"),
    ("PriceColumn", "barcode"): QT_TRANSLATE_NOOP("Labels", "Barcode"),
    ("PriceColumn", "price"): QT_TRANSLATE_NOOP("Labels", "Price"),
    ("PriceColumn", "tax"): QT_TRANSLATE_NOOP("Labels", "Tax rate, %"),
    ("PriceColumn", "duration"): QT_TRANSLATE_NOOP("Labels", "Duration, minutes"),
    ("PriceColumn", "buffer"): QT_TRANSLATE_NOOP("Labels", "Buffer, minutes"),
    ("PriceColumn", "room_kind"): QT_TRANSLATE_NOOP("Labels", "Room kind"),
    ("PriceColumn", "capacity"): QT_TRANSLATE_NOOP("Labels", "Capacity used"),
    ("PriceColumn", "ingredients"): QT_TRANSLATE_NOOP("Labels", "Ingredients"),
    ("PriceColumn", "contraindications"): QT_TRANSLATE_NOOP("Labels", "Contraindications"),
    ("PriceColumn", "stock"): QT_TRANSLATE_NOOP("Labels", "Stock on hand"),
    ("PriceColumn", "low_stock"): QT_TRANSLATE_NOOP("Labels", "Low-stock level"),
    # -- vault: allergens and contraindications (frontdesk/domain/health.py ALLERGENS)
    ("HealthKind", "allergy"): QT_TRANSLATE_NOOP("Labels", "Allergy"),
    ("HealthKind", "contraindication"): QT_TRANSLATE_NOOP("Labels", "Contraindication"),
    ("Allergen", "nuts"): QT_TRANSLATE_NOOP("Labels", "Nuts (almond, macadamia, shea)"),
    ("Allergen", "lanolin"): QT_TRANSLATE_NOOP("Labels", "Lanolin (wool wax)"),
    ("Allergen", "fragrance"): QT_TRANSLATE_NOOP("Labels", "Fragrance / perfume"),
    ("Allergen", "ppd"): QT_TRANSLATE_NOOP("Labels", "PPD hair dye"),
    ("Allergen", "latex"): QT_TRANSLATE_NOOP("Labels", "Latex"),
    ("Allergen", "essential_oils"): QT_TRANSLATE_NOOP("Labels", "Essential oils"),
    ("Allergen", "nickel"): QT_TRANSLATE_NOOP("Labels", "Nickel / metals"),
    ("Allergen", "acrylates"): QT_TRANSLATE_NOOP("Labels", "Acrylates (nail products)"),
    ("Allergen", "formaldehyde"): QT_TRANSLATE_NOOP(
        "Labels", "Formaldehyde (keratin, nail hardener)"
    ),
    ("Allergen", "parabens"): QT_TRANSLATE_NOOP("Labels", "Parabens / preservatives"),
    ("Allergen", "salicylic_acid"): QT_TRANSLATE_NOOP("Labels", "Salicylic acid / aspirin"),
    ("Allergen", "aha"): QT_TRANSLATE_NOOP("Labels", "AHA fruit acids (glycolic, lactic)"),
    ("Allergen", "wax_resin"): QT_TRANSLATE_NOOP("Labels", "Wax and colophony (resin)"),
    ("Allergen", "henna"): QT_TRANSLATE_NOOP("Labels", "Henna"),
    ("Allergen", "lash_glue"): QT_TRANSLATE_NOOP("Labels", "Eyelash glue (cyanoacrylate)"),
    ("Allergen", "seafood_iodine"): QT_TRANSLATE_NOOP("Labels", "Seafood / iodine (seaweed wraps)"),
    ("Allergen", "soy"): QT_TRANSLATE_NOOP("Labels", "Soy"),
    ("Allergen", "gluten_wheat"): QT_TRANSLATE_NOOP("Labels", "Wheat / gluten"),
    ("Allergen", "pregnancy"): QT_TRANSLATE_NOOP("Labels", "Pregnancy"),
    ("Allergen", "high_blood_pressure"): QT_TRANSLATE_NOOP("Labels", "High blood pressure"),
    ("Allergen", "recent_surgery"): QT_TRANSLATE_NOOP("Labels", "Recent surgery"),
    ("Allergen", "heart_condition"): QT_TRANSLATE_NOOP("Labels", "Heart condition / pacemaker"),
    ("Allergen", "diabetes"): QT_TRANSLATE_NOOP("Labels", "Diabetes"),
    ("Allergen", "epilepsy"): QT_TRANSLATE_NOOP("Labels", "Epilepsy"),
    ("Allergen", "blood_thinners"): QT_TRANSLATE_NOOP("Labels", "Blood thinners"),
    ("Allergen", "retinoids"): QT_TRANSLATE_NOOP("Labels", "Retinoids / isotretinoin (Roaccutane)"),
    ("Allergen", "skin_condition"): QT_TRANSLATE_NOOP("Labels", "Eczema, psoriasis or broken skin"),
    ("Allergen", "varicose_veins"): QT_TRANSLATE_NOOP("Labels", "Varicose veins / thrombosis"),
    ("Allergen", "cancer_treatment"): QT_TRANSLATE_NOOP("Labels", "Cancer treatment"),
    ("Allergen", "recent_sunburn"): QT_TRANSLATE_NOOP("Labels", "Recent sunburn or tanning"),
    ("Allergen", "metal_implants"): QT_TRANSLATE_NOOP("Labels", "Metal implants"),
}


def label(value: Enum) -> str:
    """`value`'s name in the window's language (its code when no name is known)."""
    text = _LABELS.get((type(value).__name__, str(value.value)))
    if text is None:
        return str(value.value)
    return QCoreApplication.translate("Labels", str(text))


def allergen_label(code: str) -> str:
    """A listed allergen's or contraindication's name in the window's language (domain/health.py
    ALLERGENS); a code not on the list as it is."""
    text = _LABELS.get(("Allergen", code))
    if text is None:
        return code
    return QCoreApplication.translate("Labels", str(text))


def health_kind_label(kind: str) -> str:
    """ "allergy" or "contraindication" in the window's language."""
    text = _LABELS.get(("HealthKind", kind))
    return QCoreApplication.translate("Labels", str(text)) if text is not None else kind
