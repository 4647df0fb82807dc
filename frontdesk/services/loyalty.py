"""Loyalty points (a ledger) and tiers.

Points are earned inside checkout's own unit of work (`earn_for_sale`), so a sale and its
points commit together or not at all; a refunded sale's points are taken back
(`reverse_for_sale`). The balance is always the ledger's sum: entries are only ever added.
Changing the scheme (points per currency unit, tiers) is MANAGE_CATALOGUE: like prices, it is
a manager's business, not only the owner's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import Customer, LoyaltyEntry, LoyaltyTier, Sale, ShopProfile, Staff
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.loyalty import (
    Tier,
    TierDraft,
    check_change,
    percent_at,
    points_for,
    reversal,
    tier_at,
    validate_scheme,
)
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

MAX_REASON = 200


@dataclass(frozen=True)
class Standing:
    """A client's points, tier and lifetime spend (None where the viewer may not see spend)."""

    points: int
    tier_name: str | None
    lifetime_spend_minor: int | None


@dataclass(frozen=True)
class EntryView:
    """One change to a client's points, newest first in a history."""

    id: int
    at: datetime  # aware, UTC
    points: int
    reason: str  # LOYALTY_REASONS: earned, redeemed, adjusted, imported, merged, reversed
    note: str
    staff_name: str
    receipt_number: str | None


@dataclass(frozen=True)
class LoyaltyHistory:
    standing: Standing
    entries: tuple[EntryView, ...]
    #: The viewer may not see spend (VIEW_CLIENT_SPEND): points are earned per currency unit,
    #: so the balance and the ledger would tell it. Only the tier name is given then.
    points_hidden: bool = False


@dataclass(frozen=True)
class LoyaltyScheme:
    """The shop's scheme: points per whole currency unit (0: off) and tiers by spend."""

    points_per_unit: int
    tiers: tuple[Tier, ...]

    @property
    def active(self) -> bool:
        return self.points_per_unit > 0


@dataclass(frozen=True)
class SalePoints:
    """What a receipt shows: points earned with a sale and the balance after it."""

    earned: int
    balance: int


def _balance(session: Session, customer_id: int, *, up_to_id: int | None = None) -> int:
    query = select(func.coalesce(func.sum(LoyaltyEntry.points), 0)).where(
        LoyaltyEntry.customer_id == customer_id
    )
    if up_to_id is not None:
        query = query.where(LoyaltyEntry.id <= up_to_id)
    return int(session.scalar(query) or 0)


def _lifetime_spend(session: Session, customer_id: int, *, before_sale: int | None = None) -> int:
    query = select(func.coalesce(func.sum(Sale.total_minor), 0)).where(
        Sale.customer_id == customer_id
    )
    if before_sale is not None:
        query = query.where(Sale.id != before_sale)
    return int(session.scalar(query) or 0)


def load_scheme(session: Session) -> LoyaltyScheme:
    profile = session.scalars(select(ShopProfile).order_by(ShopProfile.id).limit(1)).first()
    rows = session.scalars(select(LoyaltyTier).order_by(LoyaltyTier.min_spend_minor)).all()
    return LoyaltyScheme(
        points_per_unit=profile.points_per_unit if profile is not None else 0,
        tiers=tuple(Tier(r.name, r.min_spend_minor, r.points_percent) for r in rows),
    )


def standing_of(session: Session, customer_id: int) -> Standing:
    """Points, tier and lifetime spend of a client, read in the caller's session."""
    spend = _lifetime_spend(session, customer_id)
    tier = tier_at(load_scheme(session).tiers, spend)
    return Standing(
        points=_balance(session, customer_id),
        tier_name=tier.name if tier is not None else None,
        lifetime_spend_minor=spend,
    )


def sale_points(session: Session, sale_id: int) -> SalePoints | None:
    """Points earned with a sale and the client's balance right after them (for the receipt,
    printed again the same on a reprint); None when the sale earned none."""
    entry = session.scalars(
        select(LoyaltyEntry)
        .where(LoyaltyEntry.sale_id == sale_id, LoyaltyEntry.reason == "earned")
        .order_by(LoyaltyEntry.id)
        .limit(1)
    ).first()
    if entry is None:
        return None
    return SalePoints(entry.points, _balance(session, entry.customer_id, up_to_id=entry.id))


def earn_for_sale(session: Session, sale_id: int, now: datetime) -> int:
    """Add the points a sale earns to its client's ledger, in the sale's own transaction.

    The tier is the one reached before this sale. Nothing for a sale without a client, a shop
    with the scheme off, or a sale that has earned already. Returns the points added."""
    sale = session.get(Sale, sale_id)
    if sale is None or sale.customer_id is None:
        return 0
    already = session.scalar(
        select(func.count(LoyaltyEntry.id)).where(
            LoyaltyEntry.sale_id == sale_id, LoyaltyEntry.reason == "earned"
        )
    )
    if already:
        return 0
    scheme = load_scheme(session)
    if not scheme.active:
        return 0
    spend_before = _lifetime_spend(session, sale.customer_id, before_sale=sale_id)
    points = points_for(
        sale.total_minor,
        sale.currency,
        scheme.points_per_unit,
        percent_at(scheme.tiers, spend_before),
    )
    if points <= 0:
        return 0
    session.add(
        LoyaltyEntry(
            customer_id=sale.customer_id,
            at=now,
            points=points,
            reason="earned",
            sale_id=sale_id,
            staff_id=sale.cashier_id,
        )
    )
    session.flush()
    return points


def reverse_for_sale(
    session: Session, sale_id: int, now: datetime, staff_id: int | None = None
) -> int:
    """Take back the points a refunded sale earned (as many as the client still has), in the
    refund's transaction. Returns the (negative or zero) points entered."""
    earned = session.scalars(
        select(LoyaltyEntry).where(LoyaltyEntry.sale_id == sale_id, LoyaltyEntry.reason == "earned")
    ).first()
    if earned is None:
        return 0
    taken = session.scalar(
        select(func.count(LoyaltyEntry.id)).where(
            LoyaltyEntry.sale_id == sale_id, LoyaltyEntry.reason == "reversed"
        )
    )
    if taken:
        return 0
    _lock_client(session, earned.customer_id)
    points = reversal(earned.points, _balance(session, earned.customer_id))
    session.add(
        LoyaltyEntry(
            customer_id=earned.customer_id,
            at=now,
            points=points,
            reason="reversed",
            sale_id=sale_id,
            staff_id=staff_id,
        )
    )
    session.flush()
    return points


def _lock_client(session: Session, customer_id: int) -> Customer:
    """The client's row, locked until commit: two adjustments of one balance run one after
    the other, so neither can take it below zero (SQLite: BEGIN IMMEDIATE already does)."""
    customer = session.get(Customer, customer_id, with_for_update=True)
    if customer is None or customer.erased_at is not None:
        raise DomainError("That client no longer exists.")
    return customer


class LoyaltyService:
    """Standing, history and adjustment of a client's points; the shop's scheme."""

    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault | None = None
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault

    # -- for other services, inside their unit of work ----------------------------------------

    @staticmethod
    def standing(session: Session, customer_id: int) -> Standing:
        """The card header's points, tier and lifetime spend (the caller hides the spend from
        viewers without VIEW_CLIENT_SPEND)."""
        return standing_of(session, customer_id)

    def earn_for_sale(self, session: Session, sale_id: int) -> int:
        return earn_for_sale(session, sale_id, self._clock.now())

    def reverse_for_sale(self, session: Session, sale_id: int, staff_id: int | None = None) -> int:
        return reverse_for_sale(session, sale_id, self._clock.now(), staff_id)

    # -- use cases -------------------------------------------------------------------------------

    @reads
    def history(self, customer_id: int, viewer: SignedIn, limit: int = 200) -> LoyaltyHistory:
        """The client's standing and their latest ledger entries, newest first."""
        viewer.require(Permission.VIEW_CLIENTS)
        with self._uow.read() as session:
            if session.get(Customer, customer_id) is None:
                raise DomainError("That client no longer exists.")
            standing = standing_of(session, customer_id)
            if not viewer.can(Permission.VIEW_CLIENT_SPEND):
                return LoyaltyHistory(Standing(0, standing.tier_name, None), (), True)
            rows = session.execute(
                select(LoyaltyEntry, Staff.display_name, Sale.receipt_number)
                .outerjoin(Staff, Staff.id == LoyaltyEntry.staff_id)
                .outerjoin(Sale, Sale.id == LoyaltyEntry.sale_id)
                .where(LoyaltyEntry.customer_id == customer_id)
                .order_by(LoyaltyEntry.at.desc(), LoyaltyEntry.id.desc())
                .limit(limit)
            ).tuples()
            entries = tuple(
                EntryView(
                    id=e.id,
                    at=e.at,
                    points=e.points,
                    reason=e.reason,
                    note=e.note,
                    staff_name=name or "",
                    receipt_number=number,
                )
                for e, name, number in rows
            )
            return LoyaltyHistory(standing, entries)

    @writes
    def adjust(self, customer_id: int, points: int, reason: str, by: SignedIn) -> int:
        """Add (or take off, negative) points by hand with a reason; returns the new balance.
        Refused at the field when the reason is missing or the balance would go below zero."""
        by.require(Permission.ADJUST_POINTS)
        note = " ".join(reason.split())
        errors: dict[str, DomainError] = {}
        if not note:
            errors["reason"] = ValidationError("reason", "Say why the points change.")
        elif len(note) > MAX_REASON:
            errors["reason"] = ValidationError(
                "reason", "Use at most {limit} characters.", limit=MAX_REASON
            )
        now = self._clock.now()
        with self._uow.write() as session:
            _lock_client(session, customer_id)
            current = _balance(session, customer_id)
            try:
                check_change(current, points)
            except ValidationError as error:
                errors["points"] = error
            if errors:
                raise FormErrors(errors)
            entry = LoyaltyEntry(
                customer_id=customer_id,
                at=now,
                points=points,
                reason="adjusted",
                staff_id=by.staff_id,
                note=note,
            )
            session.add(entry)
            session.flush()
            # The amount only: the reason is the staff's free text and may name the client.
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action="loyalty.adjusted",
                entity="customer",
                entity_id=customer_id,
                detail=f"{points:+d} points",
            )
            return current + points

    @reads
    def tiers(self, viewer: SignedIn) -> LoyaltyScheme:
        """The shop's scheme, for the back office."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            return load_scheme(session)

    @writes
    def save_tiers(
        self, points_per_unit: int, tiers: Sequence[TierDraft], by: SignedIn
    ) -> LoyaltyScheme:
        """Replace the scheme; FormErrors (every bad field) changes nothing."""
        by.require(Permission.MANAGE_CATALOGUE)
        clean = validate_scheme(points_per_unit, tiers)
        now = self._clock.now()
        with self._uow.write() as session:
            profile = session.scalars(select(ShopProfile).order_by(ShopProfile.id).limit(1)).first()
            if profile is None:
                raise DomainError("Set up the shop first.")
            before = load_scheme(session)
            profile.points_per_unit = points_per_unit
            session.execute(delete(LoyaltyTier))
            session.flush()
            session.add_all(
                LoyaltyTier(
                    name=t.name, min_spend_minor=t.min_spend_minor, points_percent=t.points_percent
                )
                for t in clean
            )
            session.flush()
            changed = []
            if before.points_per_unit != points_per_unit:
                changed.append("points_per_unit")
            if before.tiers != clean:
                changed.append("tiers")
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action="loyalty.scheme_saved",
                entity="shop",
                entity_id=profile.id,
                detail=", ".join(changed),
            )
            return LoyaltyScheme(points_per_unit, clean)
