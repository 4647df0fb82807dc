"""All models, imported so that `Base.metadata` knows every table."""

from db.base import Base
from db.models.appointments import (
    Appointment,
    AppointmentResource,
    AppointmentSeries,
    Booking,
    WaitlistEntry,
)
from db.models.audit import AuditEntry
from db.models.catalog import (
    Product,
    ProductTag,
    Service,
    ServiceCategory,
    ServiceEquipment,
    ServicePrice,
    ServiceTag,
    StockMovement,
)
from db.models.changes import ChangeLogEntry
from db.models.counters import Counter
from db.models.customers import (
    Allergy,
    ClientTag,
    Customer,
    LoyaltyEntry,
    LoyaltyTier,
    PatchTest,
    Preference,
    SafetyOverride,
    TreatmentNote,
)
from db.models.printing import PrintJob, PrintJobKind, PrintJobState
from db.models.rooms import Resource, Room
from db.models.sales import Payment, Sale, SaleLine
from db.models.shop import ClosedDay, OpeningHours, ShopProfile
from db.models.staff import (
    Staff,
    StaffAbsence,
    StaffBreak,
    StaffCommission,
    StaffService,
    WorkingHours,
)

__all__ = [
    "Allergy",
    "Appointment",
    "AppointmentResource",
    "AppointmentSeries",
    "AuditEntry",
    "Base",
    "Booking",
    "ChangeLogEntry",
    "ClientTag",
    "ClosedDay",
    "Counter",
    "Customer",
    "LoyaltyEntry",
    "LoyaltyTier",
    "OpeningHours",
    "PatchTest",
    "Payment",
    "Preference",
    "PrintJob",
    "PrintJobKind",
    "PrintJobState",
    "Product",
    "ProductTag",
    "Resource",
    "Room",
    "SafetyOverride",
    "Sale",
    "SaleLine",
    "Service",
    "ServiceCategory",
    "ServiceEquipment",
    "ServicePrice",
    "ServiceTag",
    "ShopProfile",
    "Staff",
    "StaffAbsence",
    "StaffBreak",
    "StaffCommission",
    "StaffService",
    "StockMovement",
    "TreatmentNote",
    "WaitlistEntry",
    "WorkingHours",
]
