"""Rooms and equipment: what their forms may hold.

A room has a kind ("treatment", "couples", "sauna"...) that services name when they need a room,
and a capacity (a sauna for 6, a couples room for 2). Equipment (a stone kit, a steamer) has a
kind and how many the shop has.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import FormErrors, ValidationError, words
from frontdesk.domain.text import clean_line

MAX_ROOM_NAME = 80  # db/models/rooms.py
MAX_KIND = 40
#: No room in a salon, spa or bathhouse holds more; a bigger number is a typing slip.
MAX_CAPACITY = 200
MAX_QUANTITY = 10_000

#: Kinds offered for completion before the shop has named its own.
COMMON_ROOM_KINDS = ("treatment", "couples", "sauna", "steam", "hair", "nails", "pool")


#: The form field of a room's or equipment's kind (errors are shown beside it).
KIND = "resource_kind"


@dataclass(frozen=True)
class RoomDraft:
    name: str
    kind: str = ""
    capacity: int = 1


@dataclass(frozen=True)
class EquipmentDraft:
    name: str
    kind: str = ""
    quantity: int = 1


def _name(raw: str, errors: dict[str, ValidationError], required: str) -> str:
    try:
        return clean_line(raw, "name", "The name", MAX_ROOM_NAME, required=required, strict=True)
    except ValidationError as error:
        errors["name"] = error
        return ""


def _kind(raw: str, errors: dict[str, ValidationError]) -> str:
    try:
        return clean_line(raw, KIND, "The kind", MAX_KIND, strict=True)
    except ValidationError as error:
        errors[KIND] = error
        return ""


def validate_room(draft: RoomDraft) -> RoomDraft:
    """The room as it may be stored, or FormErrors naming every bad field."""
    errors: dict[str, ValidationError] = {}
    name = _name(draft.name, errors, words("Enter the room's name."))
    kind = _kind(draft.kind, errors)
    if draft.capacity < 1:
        errors["capacity"] = ValidationError("capacity", "A room holds at least 1 person.")
    elif draft.capacity > MAX_CAPACITY:
        errors["capacity"] = ValidationError(
            "capacity", "A room holds at most {most} people.", most=MAX_CAPACITY
        )
    if errors:
        raise FormErrors(errors)
    return RoomDraft(name, kind, draft.capacity)


def validate_equipment(draft: EquipmentDraft) -> EquipmentDraft:
    """The equipment as it may be stored, or FormErrors naming every bad field."""
    errors: dict[str, ValidationError] = {}
    name = _name(draft.name, errors, words("Enter the equipment's name."))
    kind = _kind(draft.kind, errors)
    if draft.quantity < 0:
        errors["quantity"] = ValidationError("quantity", "The quantity cannot be below zero.")
    elif draft.quantity > MAX_QUANTITY:
        errors["quantity"] = ValidationError(
            "quantity", "At most {most} of one kind.", most=MAX_QUANTITY
        )
    if errors:
        raise FormErrors(errors)
    return EquipmentDraft(name, kind, draft.quantity)


def same_name(a: str, b: str) -> bool:
    """Two names a person would take for the same one."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
