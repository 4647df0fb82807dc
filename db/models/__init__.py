"""All models, imported so that `Base.metadata` knows every table."""

from db.base import Base
from db.models.appointments import Appointment
from db.models.audit import AuditEntry
from db.models.catalog import Product, Service, ServiceCategory
from db.models.changes import ChangeLogEntry
from db.models.counters import Counter
from db.models.customers import Allergy, Customer, Preference
from db.models.printing import PrintJob, PrintJobKind, PrintJobState
from db.models.rooms import Resource, Room
from db.models.sales import Payment, Sale, SaleLine
from db.models.shop import ShopProfile
from db.models.staff import Staff, WorkingHours

__all__ = [
    "Allergy",
    "Appointment",
    "AuditEntry",
    "Base",
    "ChangeLogEntry",
    "Counter",
    "Customer",
    "Payment",
    "Preference",
    "PrintJob",
    "PrintJobKind",
    "PrintJobState",
    "Product",
    "Resource",
    "Room",
    "Sale",
    "SaleLine",
    "Service",
    "ServiceCategory",
    "ShopProfile",
    "Staff",
    "WorkingHours",
]
