"""The demo shop's loyalty scheme: two tiers in the shop's language, and every client's points
from their past sales, written in one statement (one ledger entry per client, "imported")."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, literal, select

from db.models import LoyaltyEntry, LoyaltyTier, Sale
from frontdesk.domain.money import minor_digits

#: Tier names as shops there say them, and the lifetime spend (whole units) that reaches them.
TIERS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "GBP": (("Silver", 500, 120), ("Gold", 2000, 150)),
    "RUB": (("Серебряный", 50_000, 120), ("Золотой", 200_000, 150)),
    "CNY": (("银卡会员", 5_000, 120), ("金卡会员", 20_000, 150)),
}


def write_loyalty(connection: Connection, currency: str, points_per_unit: int = 1) -> None:
    """Tiers for `currency`'s shop, and one opening entry per client who has paid: their
    whole currency units paid x `points_per_unit` (tier bonuses are not replayed)."""
    unit = 10 ** minor_digits(currency)
    tiers = TIERS.get(currency, TIERS["GBP"])
    connection.execute(
        insert(LoyaltyTier),
        [
            {"name": name, "min_spend_minor": units * unit, "points_percent": percent}
            for name, units, percent in tiers
        ],
    )
    if points_per_unit <= 0:
        return
    points = (func.sum(Sale.total_minor) // unit) * points_per_unit
    paid = (
        select(
            Sale.customer_id,
            func.max(Sale.created_at),
            points,
            literal("imported"),
            literal(""),
        )
        .where(Sale.customer_id.is_not(None))
        .group_by(Sale.customer_id)
        .having(points > 0)
    )
    connection.execute(
        insert(LoyaltyEntry).from_select(["customer_id", "at", "points", "reason", "note"], paid)
    )
