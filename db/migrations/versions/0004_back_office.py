"""The back office: opening hours, closed days, staff breaks, absences, qualifications and
commissions, dated service prices, tags, equipment, room kinds and stock movements.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 06:13:27.898772
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closed_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_days")),
        sa.UniqueConstraint("day", name=op.f("uq_closed_days_day")),
    )
    op.create_table(
        "opening_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("open_minute", sa.Integer(), nullable=False),
        sa.Column("close_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "open_minute < close_minute", name=op.f("ck_opening_hours_open_before_close")
        ),
        sa.CheckConstraint(
            "open_minute >= 0 AND close_minute <= 1440", name=op.f("ck_opening_hours_minute_range")
        ),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_opening_hours_weekday_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_hours")),
        sa.UniqueConstraint("weekday", "open_minute", name=op.f("uq_opening_hours_weekday")),
    )
    op.create_table(
        "product_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.CheckConstraint(
            "kind IN ('ingredient', 'contraindication')", name=op.f("ck_product_tags_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_tags_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_tags")),
        sa.UniqueConstraint("product_id", "kind", "tag", name=op.f("uq_product_tags_product_id")),
    )
    with op.batch_alter_table("product_tags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_tags_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "staff_absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "kind IN ('day_off', 'holiday', 'sick', 'training', 'other')",
            name=op.f("ck_staff_absences_kind_known"),
        ),
        sa.CheckConstraint(
            "first_day <= last_day", name=op.f("ck_staff_absences_first_before_last")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_absences_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_absences")),
    )
    with op.batch_alter_table("staff_absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_absences_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "staff_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "start_minute < end_minute", name=op.f("ck_staff_breaks_start_before_end")
        ),
        sa.CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440", name=op.f("ck_staff_breaks_minute_range")
        ),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_staff_breaks_weekday_range")),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_breaks_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_breaks")),
        sa.UniqueConstraint(
            "staff_id", "weekday", "start_minute", name=op.f("uq_staff_breaks_staff_id")
        ),
    )
    with op.batch_alter_table("staff_breaks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_breaks_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "staff_commissions",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "rate_bp BETWEEN 0 AND 10000", name=op.f("ck_staff_commissions_rate_range")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["service_categories.id"],
            name=op.f("fk_staff_commissions_category_id_service_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_commissions_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "category_id", name=op.f("pk_staff_commissions")),
    )
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("change", sa.Integer(), nullable=False),
        sa.Column("stock_after", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "reason IN ('delivery', 'count', 'damage', 'sale', 'return', 'correction')",
            name=op.f("ck_stock_movements_reason_known"),
        ),
        sa.CheckConstraint(
            "stock_after >= 0", name=op.f("ck_stock_movements_stock_after_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_movements_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_stock_movements_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movements_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "service_equipment",
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_service_equipment_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_service_equipment_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_equipment_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "resource_id", name=op.f("pk_service_equipment")),
    )
    with op.batch_alter_table("service_equipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_equipment_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "service_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.CheckConstraint("price_minor >= 0", name=op.f("ck_service_prices_price_not_negative")),
        sa.CheckConstraint(
            "tax_rate_bp BETWEEN 0 AND 10000", name=op.f("ck_service_prices_tax_rate_range")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_prices_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_prices")),
        sa.UniqueConstraint("service_id", "starts_on", name=op.f("uq_service_prices_service_id")),
    )
    with op.batch_alter_table("service_prices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_prices_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "service_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.CheckConstraint(
            "kind IN ('ingredient', 'contraindication')", name=op.f("ck_service_tags_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_tags_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_tags")),
        sa.UniqueConstraint("service_id", "kind", "tag", name=op.f("uq_service_tags_service_id")),
    )
    with op.batch_alter_table("service_tags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_tags_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "staff_services",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_staff_services_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_services_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", "service_id", name=op.f("pk_staff_services")),
    )
    with op.batch_alter_table("staff_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_services_service_id"), ["service_id"], unique=False
        )

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("low_stock_level", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_check_constraint(
            op.f("ck_products_low_stock_not_negative"), "low_stock_level >= 0"
        )

    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=40), nullable=False, server_default="")
        )

    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=40), nullable=False, server_default="")
        )

    with op.batch_alter_table("service_categories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )

    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("room_kind", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("capacity_used", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("bookable", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("sort_order", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_check_constraint(
            op.f("ck_services_capacity_used_positive"), "capacity_used >= 1"
        )

    with op.batch_alter_table("shop_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_header", sa.String(length=400), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("logo_png", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("default_tax_rate_bp", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("rounding_step_minor", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column(
                "rounding_mode", sa.String(length=16), nullable=False, server_default="half_up"
            )
        )
        batch_op.add_column(
            sa.Column("rounding_cash_only", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("setup_steps_done", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.create_check_constraint(
            op.f("ck_shop_profile_default_tax_rate_range"),
            "default_tax_rate_bp BETWEEN 0 AND 10000",
        )
        batch_op.create_check_constraint(
            op.f("ck_shop_profile_rounding_step_positive"), "rounding_step_minor >= 1"
        )
        batch_op.create_check_constraint(
            op.f("ck_shop_profile_rounding_mode_known"),
            "rounding_mode IN ('half_up', 'half_even', 'down', 'up')",
        )


def downgrade() -> None:
    with op.batch_alter_table("shop_profile", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_shop_profile_rounding_mode_known"), type_="check")
        batch_op.drop_constraint(op.f("ck_shop_profile_rounding_step_positive"), type_="check")
        batch_op.drop_constraint(op.f("ck_shop_profile_default_tax_rate_range"), type_="check")
        batch_op.drop_column("setup_steps_done")
        batch_op.drop_column("rounding_cash_only")
        batch_op.drop_column("rounding_mode")
        batch_op.drop_column("rounding_step_minor")
        batch_op.drop_column("default_tax_rate_bp")
        batch_op.drop_column("logo_png")
        batch_op.drop_column("receipt_header")

    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_services_capacity_used_positive"), type_="check")
        batch_op.drop_column("sort_order")
        batch_op.drop_column("bookable")
        batch_op.drop_column("capacity_used")
        batch_op.drop_column("room_kind")

    with op.batch_alter_table("service_categories", schema=None) as batch_op:
        batch_op.drop_column("active")

    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_column("kind")

    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("kind")

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_products_low_stock_not_negative"), type_="check")
        batch_op.drop_column("low_stock_level")

    with op.batch_alter_table("staff_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_services_service_id"))

    op.drop_table("staff_services")
    with op.batch_alter_table("service_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_tags_service_id"))

    op.drop_table("service_tags")
    with op.batch_alter_table("service_prices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_prices_service_id"))

    op.drop_table("service_prices")
    with op.batch_alter_table("service_equipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_equipment_resource_id"))

    op.drop_table("service_equipment")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_movements_product_id"))

    op.drop_table("stock_movements")
    op.drop_table("staff_commissions")
    with op.batch_alter_table("staff_breaks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_breaks_staff_id"))

    op.drop_table("staff_breaks")
    with op.batch_alter_table("staff_absences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_absences_staff_id"))

    op.drop_table("staff_absences")
    with op.batch_alter_table("product_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_tags_product_id"))

    op.drop_table("product_tags")
    op.drop_table("opening_hours")
    op.drop_table("closed_days")
