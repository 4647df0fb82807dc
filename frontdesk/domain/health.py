"""Health data rules: the maintained list of allergens and contraindications a salon meets,
and what makes an entry valid (pure rules; sealing is the services' business).

An entry names either an allergen of the list by its code (the safety gate matches codes against
the tags of services and products) or anything else in free text. Two entries of one client for
the same allergen (the same code, or the same free text once folded) are one too many.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.text import clean_block, clean_line

#: What a health entry is (db/models/customers.py HEALTH_KINDS).
KINDS = ("allergy", "contraindication")
SEVERITIES = ("mild", "moderate", "severe")
MAX_SUBSTANCE = 120
MAX_NOTES = 2000
MAX_PRODUCT = 120
MAX_RESULT = 400

SUBSTANCE_NEEDED = words("Choose an allergen from the list or type what it is.")
DUPLICATE_ENTRY = words("This is already recorded for this client.")
PRODUCT_NEEDED = words("Name the product that was tested.")
RESULT_NEEDED = words("Say how the patch test went.")


@dataclass(frozen=True)
class Allergen:
    """One entry of the maintained list: a stable code and the kind it is."""

    code: str
    kind: str  # "allergy" or "contraindication"
    name: str  # English name (the window shows ui/labels.py's translation)


#: The maintained list, most common first within each kind. Codes never change (tags of services
#: and products and stored entries use them); names are for English and for matching free text.
ALLERGENS: tuple[Allergen, ...] = (
    Allergen("nuts", "allergy", "Nuts (almond, macadamia, shea)"),
    Allergen("lanolin", "allergy", "Lanolin (wool wax)"),
    Allergen("fragrance", "allergy", "Fragrance / perfume"),
    Allergen("ppd", "allergy", "PPD hair dye"),
    Allergen("latex", "allergy", "Latex"),
    Allergen("essential_oils", "allergy", "Essential oils"),
    Allergen("nickel", "allergy", "Nickel / metals"),
    Allergen("acrylates", "allergy", "Acrylates (nail products)"),
    Allergen("formaldehyde", "allergy", "Formaldehyde (keratin, nail hardener)"),
    Allergen("parabens", "allergy", "Parabens / preservatives"),
    Allergen("salicylic_acid", "allergy", "Salicylic acid / aspirin"),
    Allergen("aha", "allergy", "AHA fruit acids (glycolic, lactic)"),
    Allergen("wax_resin", "allergy", "Wax and colophony (resin)"),
    Allergen("henna", "allergy", "Henna"),
    Allergen("lash_glue", "allergy", "Eyelash glue (cyanoacrylate)"),
    Allergen("seafood_iodine", "allergy", "Seafood / iodine (seaweed wraps)"),
    Allergen("soy", "allergy", "Soy"),
    Allergen("gluten_wheat", "allergy", "Wheat / gluten"),
    Allergen("pregnancy", "contraindication", "Pregnancy"),
    Allergen("high_blood_pressure", "contraindication", "High blood pressure"),
    Allergen("recent_surgery", "contraindication", "Recent surgery"),
    Allergen("heart_condition", "contraindication", "Heart condition / pacemaker"),
    Allergen("diabetes", "contraindication", "Diabetes"),
    Allergen("epilepsy", "contraindication", "Epilepsy"),
    Allergen("blood_thinners", "contraindication", "Blood thinners"),
    Allergen("retinoids", "contraindication", "Retinoids / isotretinoin (Roaccutane)"),
    Allergen("skin_condition", "contraindication", "Eczema, psoriasis or broken skin"),
    Allergen("varicose_veins", "contraindication", "Varicose veins / thrombosis"),
    Allergen("cancer_treatment", "contraindication", "Cancer treatment"),
    Allergen("recent_sunburn", "contraindication", "Recent sunburn or tanning"),
    Allergen("metal_implants", "contraindication", "Metal implants"),
)

_BY_CODE = {a.code: a for a in ALLERGENS}


def allergen(code: str) -> Allergen | None:
    """The listed allergen with `code`, or None."""
    return _BY_CODE.get(code)


def fold(text: str) -> str:
    """`text` folded for comparing two entries: case, accents, width and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def entry_key(substance: str) -> str:
    """The key two entries for the same allergen share: its code for a listed allergen (typed
    as its code or its English name), else the folded free text."""
    folded = fold(substance)
    for a in ALLERGENS:
        if folded in (a.code, fold(a.name)):
            return a.code
    return folded


@dataclass(frozen=True)
class ValidEntry:
    kind: str
    substance: str  # a listed allergen's code, or free text
    severity: str
    notes: str


def validate_entry(
    kind: str, substance: str, severity: str, notes: str, existing: tuple[str, ...] = ()
) -> ValidEntry:
    """A health entry as stored. `existing`: the client's recorded substances, so an allergen
    entered twice is refused at its field. Every bad field is reported at once."""
    errors: dict[str, DomainError] = {}
    what = kept = ""
    if kind not in KINDS:
        errors["kind"] = ValidationError("kind", "Choose allergy or contraindication.")
    try:
        what = clean_line(
            substance, "substance", "The allergen", MAX_SUBSTANCE, required=SUBSTANCE_NEEDED
        )
    except ValidationError as exc:
        errors["substance"] = exc
    else:
        key = entry_key(what)
        if key in _BY_CODE:
            what = key
        if any(entry_key(e) == key for e in existing):
            errors["substance"] = ValidationError("substance", DUPLICATE_ENTRY)
    if severity not in SEVERITIES:
        errors["severity"] = ValidationError("severity", "Choose mild, moderate or severe.")
    try:
        kept = clean_block(notes, "notes", "The notes", MAX_NOTES)
    except ValidationError as exc:
        errors["notes"] = exc
    if errors:
        raise FormErrors(errors)
    return ValidEntry(kind, what, severity, kept)


@dataclass(frozen=True)
class ValidPatchTest:
    tested_on: date
    product: str
    result: str


def validate_patch_test(
    tested_on: date | None, product: str, result: str, today: date
) -> ValidPatchTest:
    """A patch test as stored: a date not in the future, what was tested and how it went."""
    errors: dict[str, DomainError] = {}
    clean: dict[str, str] = {}
    if tested_on is None:
        errors["tested_on"] = ValidationError("tested_on", "Enter the date of the patch test.")
    elif tested_on > today:
        errors["tested_on"] = ValidationError(
            "tested_on", "A patch test cannot be dated in the future."
        )
    for field, raw, label, limit, needed in (
        ("product", product, "The product tested", MAX_PRODUCT, PRODUCT_NEEDED),
        ("result", result, "The result", MAX_RESULT, RESULT_NEEDED),
    ):
        try:
            clean[field] = clean_line(raw, field, label, limit, required=needed)
        except ValidationError as exc:
            errors[field] = exc
    if errors or tested_on is None:
        raise FormErrors(errors)
    return ValidPatchTest(tested_on, clean["product"], clean["result"])
