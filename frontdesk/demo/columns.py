"""Column order of the rows the demo hands to the driver as tuples, table by table."""

from __future__ import annotations

CUSTOMER_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "search_name",
    "search_name_rev",
    "phone",
    "phone_digits",
    "email",
    "birthday",
    "card_number",
    "marketing_consent",
    "marketing_consent_at",
    "created_at",
    "search_initials",
    "email_folded",
    "phone_national",
)
PREFERENCE_COLUMNS = ("id", "customer_id", "topic", "value")
ALLERGY_COLUMNS = ("id", "customer_id", "substance", "severity", "notes", "recorded_at")
APPOINTMENT_COLUMNS = (
    "id",
    "customer_id",
    "staff_id",
    "room_id",
    "service_id",
    "starts_at",
    "ends_at",
    "status",
    "price_minor",
    "notes",
)
SALE_COLUMNS = (
    "id",
    "receipt_number",
    "customer_id",
    "cashier_id",
    "created_at",
    "currency",
    "total_minor",
    "tax_minor",
)
LINE_COLUMNS = (
    "id",
    "sale_id",
    "appointment_id",
    "service_id",
    "product_id",
    "staff_id",
    "description",
    "quantity",
    "unit_price_minor",
    "tax_rate_bp",
    "total_minor",
    "tax_minor",
)
PAYMENT_COLUMNS = ("id", "sale_id", "method", "amount_minor", "tendered_minor", "change_minor")
