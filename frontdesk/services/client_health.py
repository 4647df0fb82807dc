"""Allergies, contraindications, patch tests and the consent to keep them, sealed with the
shop key (services/health_vault.py): no health text is ever stored, logged or audited plain.

Seeing health data needs VIEW_HEALTH, recording it EDIT_HEALTH. Health data is kept only with
the client's consent: without it, recording asks for consent first; withdrawing it removes every
health entry, patch test and treatment note of the client in the same unit of work (audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import Allergy, Customer, PatchTest, Staff, TreatmentNote
from frontdesk.domain.errors import DomainError
from frontdesk.domain.health import (
    ALLERGENS,
    allergen,
    validate_entry,
    validate_patch_test,
)
from frontdesk.domain.roles import Permission
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault, ensure_key_check
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

__all__ = [
    "ALLERGENS",
    "ClientHealthService",
    "ConsentNeeded",
    "HealthEntry",
    "HealthRecord",
    "PatchTestView",
    "alerts_for",
]


class ConsentNeeded(DomainError):
    """Health data for a client who has not consented to keeping it."""


CONSENT_FIRST = (
    "Record the client's consent to keep health data first (on the card, Contact and consent)."
)


@dataclass(frozen=True)
class HealthEntry:
    """An allergy or contraindication. `code`: the listed allergen (domain/health.py ALLERGENS)
    or "" for free text; `substance`: the allergen's English name, or the free text."""

    id: int
    kind: str  # "allergy" | "contraindication"
    substance: str
    severity: str  # "mild" | "moderate" | "severe"
    notes: str
    recorded_at: datetime
    recorded_by_name: str
    code: str = ""


@dataclass(frozen=True)
class PatchTestView:
    id: int
    tested_on: date
    product: str
    result: str
    recorded_at: datetime
    recorded_by_name: str


@dataclass(frozen=True)
class HealthRecord:
    entries: tuple[HealthEntry, ...]
    patch_tests: tuple[PatchTestView, ...]
    consent: bool
    consent_at: datetime | None


def _plain(vault: HealthVault, sealed: bytes | None, plain: str) -> str:
    """A sealed column's text (an older row not sealed yet: its plain column)."""
    return vault.unseal(bytes(sealed)) if sealed is not None else plain


def _entry(row: Allergy, vault: HealthVault, names: dict[int, str]) -> HealthEntry:
    text = _plain(vault, row.substance_sealed, row.substance)
    listed = allergen(text)
    return HealthEntry(
        id=row.id,
        kind=row.kind,
        substance=listed.name if listed else text,
        severity=row.severity,
        notes=_plain(vault, row.notes_sealed, row.notes),
        recorded_at=row.recorded_at,
        recorded_by_name=names.get(row.recorded_by, "") if row.recorded_by else "",
        code=listed.code if listed else "",
    )


def _staff_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Staff.id, Staff.display_name).where(Staff.id.in_(wanted)))
    return {int(i): str(n) for i, n in rows.tuples()}


def alerts_for(
    session: Session, vault: HealthVault, customer_ids: Iterable[int]
) -> dict[int, tuple[HealthEntry, ...]]:
    """Every client's allergies and contraindications in one read (severe first), for the
    therapist's brief, the safety gate and the calendar's allergy mark. Clients without any
    are left out. The caller checks the viewer's permission."""
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(Allergy).where(Allergy.customer_id.in_(ids)).order_by(Allergy.id)
    ).all()
    names = _staff_names(session, (r.recorded_by for r in rows))
    found: dict[int, list[HealthEntry]] = {}
    for row in rows:
        found.setdefault(row.customer_id, []).append(_entry(row, vault, names))
    order = {"severe": 0, "moderate": 1, "mild": 2}
    return {
        cid: tuple(sorted(entries, key=lambda e: order.get(e.severity, 3)))
        for cid, entries in found.items()
    }


class ClientHealthService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault

    @reads
    def health(self, customer_id: int, viewer: SignedIn) -> HealthRecord:
        viewer.require(Permission.VIEW_HEALTH)
        with self._uow.read() as session:
            customer = _customer(session, customer_id)
            entries = session.scalars(
                select(Allergy).where(Allergy.customer_id == customer_id).order_by(Allergy.id)
            ).all()
            tests = session.scalars(
                select(PatchTest)
                .where(PatchTest.customer_id == customer_id)
                .order_by(PatchTest.tested_on.desc(), PatchTest.id.desc())
            ).all()
            names = _staff_names(
                session, [e.recorded_by for e in entries] + [t.recorded_by for t in tests]
            )
            return HealthRecord(
                entries=tuple(_entry(e, self._vault, names) for e in entries),
                patch_tests=tuple(
                    PatchTestView(
                        id=t.id,
                        tested_on=t.tested_on,
                        product=self._vault.unseal(bytes(t.product_sealed)),
                        result=self._vault.unseal(bytes(t.result_sealed)),
                        recorded_at=t.recorded_at,
                        recorded_by_name=names.get(t.recorded_by, "") if t.recorded_by else "",
                    )
                    for t in tests
                ),
                consent=customer.health_consent,
                consent_at=customer.health_consent_at,
            )

    @writes
    def add_entry(
        self,
        customer_id: int,
        kind: str,
        substance: str,
        severity: str,
        notes: str,
        by: SignedIn,
    ) -> int:
        """Record an allergy or contraindication (a listed allergen's code or free text),
        sealed. The same allergen twice is refused at the substance field; the audit entry
        says that one was added, never what."""
        by.require(Permission.EDIT_HEALTH)
        now = self._clock.now()
        with self._uow.write() as session:
            customer = _customer(session, customer_id)
            existing = tuple(
                _plain(self._vault, r.substance_sealed, r.substance)
                for r in session.scalars(select(Allergy).where(Allergy.customer_id == customer_id))
            )
            valid = validate_entry(kind, substance, severity, notes, existing)
            if not customer.health_consent:
                raise ConsentNeeded(CONSENT_FIRST)
            ensure_key_check(session, self._vault)
            row = Allergy(
                customer_id=customer_id,
                kind=valid.kind,
                substance="",
                notes="",
                substance_sealed=self._vault.seal(valid.substance),
                notes_sealed=self._vault.seal(valid.notes),
                severity=valid.severity,
                recorded_at=now,
                recorded_by=by.staff_id,
            )
            session.add(row)
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action=f"health.{valid.kind}_added",
                detail="kind, substance, severity, notes",
            )
            return row.id

    @writes
    def remove_entry(self, entry_id: int, by: SignedIn) -> None:
        by.require(Permission.EDIT_HEALTH)
        with self._uow.write() as session:
            row = session.get(Allergy, entry_id)
            if row is None:
                raise DomainError("That health entry no longer exists.")
            session.delete(row)
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=row.customer_id,
                action=f"health.{row.kind}_removed",
            )

    @writes
    def add_patch_test(
        self,
        customer_id: int,
        tested_on: date | None,
        product: str,
        result: str,
        by: SignedIn,
    ) -> int:
        by.require(Permission.EDIT_HEALTH)
        now = self._clock.now()
        valid = validate_patch_test(tested_on, product, result, self._shop.info().local(now).date())
        with self._uow.write() as session:
            customer = _customer(session, customer_id)
            if not customer.health_consent:
                raise ConsentNeeded(CONSENT_FIRST)
            ensure_key_check(session, self._vault)
            row = PatchTest(
                customer_id=customer_id,
                tested_on=valid.tested_on,
                product_sealed=self._vault.seal(valid.product),
                result_sealed=self._vault.seal(valid.result),
                recorded_at=now,
                recorded_by=by.staff_id,
            )
            session.add(row)
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="health.patch_test_added",
                detail="tested_on, product, result",
            )
            return row.id

    @writes
    def remove_patch_test(self, patch_test_id: int, by: SignedIn) -> None:
        by.require(Permission.EDIT_HEALTH)
        with self._uow.write() as session:
            row = session.get(PatchTest, patch_test_id)
            if row is None:
                raise DomainError("That patch test no longer exists.")
            session.delete(row)
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=row.customer_id,
                action="health.patch_test_removed",
            )

    @writes
    def set_consent(self, customer_id: int, given: bool, by: SignedIn) -> None:
        """Record consent to keep health data (with its date), or its withdrawal: withdrawing
        removes every health entry, patch test and treatment note of the client."""
        by.require(Permission.EDIT_HEALTH)
        now = self._clock.now()
        with self._uow.write() as session:
            customer = _customer(session, customer_id)
            if given == customer.health_consent:
                return
            customer.health_consent = given
            customer.health_consent_at = now if given else None
            removed = 0
            if not given:
                for model in (Allergy, PatchTest, TreatmentNote):
                    result = session.execute(delete(model).where(model.customer_id == customer_id))
                    removed += int(getattr(result, "rowcount", 0) or 0)
                session.expire(customer)
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="health.consent_given" if given else "health.consent_withdrawn",
                detail="" if given else f"{removed} health records removed",
            )


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.erased_at is not None:
        raise DomainError("That client no longer exists.")
    return customer
