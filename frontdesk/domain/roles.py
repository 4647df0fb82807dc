"""Who may do what: one table for every role."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    RECEPTIONIST = "receptionist"
    THERAPIST = "therapist"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Permission(StrEnum):
    VIEW_CALENDAR = "view_calendar"
    BOOK_APPOINTMENTS = "book_appointments"
    VIEW_CLIENTS = "view_clients"
    EDIT_CLIENTS = "edit_clients"
    VIEW_HEALTH = "view_health"
    EDIT_HEALTH = "edit_health"
    CHECKOUT = "checkout"
    REFUND = "refund"
    OPEN_DRAWER = "open_drawer"
    REPRINT_RECEIPTS = "reprint_receipts"
    VIEW_MONEY_REPORTS = "view_money_reports"
    VIEW_BACK_OFFICE = "view_back_office"
    MANAGE_SHOP = "manage_shop"  # the shop's details, hours, tax and rounding
    MANAGE_STAFF = "manage_staff"  # managers may not touch an owner's account (services)
    MANAGE_CATALOGUE = "manage_catalogue"  # services, prices, rooms, equipment, products
    ADJUST_STOCK = "adjust_stock"
    MANAGE_DEVICES = "manage_devices"  # this terminal's printer and scanner
    #: Book anyway past a booking rule (therapist busy, room full, outside hours), with a reason.
    OVERRIDE_BOOKING_RULES = "override_booking_rules"
    #: Mark arrivals and a service started or finished (the room board, the calendar).
    SERVE_APPOINTMENTS = "serve_appointments"
    #: A client's lifetime spend and money figures on the card (not therapists).
    VIEW_CLIENT_SPEND = "view_client_spend"
    READ_TREATMENT_NOTES = "read_treatment_notes"
    WRITE_TREATMENT_NOTES = "write_treatment_notes"
    MERGE_CLIENTS = "merge_clients"
    #: Import and export the client list (CSV), export one client's data.
    TRANSFER_CLIENTS = "transfer_clients"
    #: Erase a client at their request (personal data removed, sales kept under a pseudonym).
    ERASE_CLIENTS = "erase_clients"
    #: Export or restore the key that seals health data.
    MANAGE_HEALTH_KEY = "manage_health_key"
    ADJUST_POINTS = "adjust_points"


_ALL = frozenset(Permission)

#: The single source of truth for role rights; the ui hides or disables what is not here.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: _ALL,
    Role.MANAGER: _ALL
    - {Permission.MANAGE_SHOP, Permission.ERASE_CLIENTS, Permission.MANAGE_HEALTH_KEY},
    Role.RECEPTIONIST: frozenset(
        {
            Permission.VIEW_CALENDAR,
            Permission.BOOK_APPOINTMENTS,
            Permission.SERVE_APPOINTMENTS,
            Permission.VIEW_CLIENTS,
            Permission.EDIT_CLIENTS,
            Permission.VIEW_CLIENT_SPEND,
            Permission.VIEW_HEALTH,
            Permission.CHECKOUT,
            Permission.OPEN_DRAWER,
            Permission.REPRINT_RECEIPTS,
        }
    ),
    Role.THERAPIST: frozenset(
        {
            Permission.VIEW_CALENDAR,
            Permission.SERVE_APPOINTMENTS,
            Permission.VIEW_CLIENTS,
            Permission.VIEW_HEALTH,
            Permission.EDIT_HEALTH,
            Permission.READ_TREATMENT_NOTES,
            Permission.WRITE_TREATMENT_NOTES,
        }
    ),
}


def can(role: Role, permission: Permission) -> bool:
    """Whether `role` may do `permission`."""
    return permission in PERMISSIONS[role]
