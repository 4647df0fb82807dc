"""Therapists' notes on visits (or on the client between visits), sealed with the shop's health
key: the text is never stored, logged or audited plain. Writing needs WRITE_TREATMENT_NOTES,
reading READ_TREATMENT_NOTES (therapists, managers, owners; not the counter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Appointment, Customer, Service, Staff, TreatmentNote
from frontdesk.domain.errors import DomainError, ValidationError, words
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import clean_block
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault, ensure_key_check
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

#: The longest note kept.
MAX_NOTE = 4000
NOTE_NEEDED = words("Write the note first.")


@dataclass(frozen=True)
class NoteView:
    """A treatment note as read: who wrote it, when, on which visit, and the text."""

    id: int
    customer_id: int
    appointment_id: int | None
    service_name: str  # the visit's service, "" for a note between visits
    author_name: str
    written_at: datetime  # aware, UTC
    text: str


def read_notes(
    session: Session, vault: HealthVault, customer_ids: list[int], limit: int
) -> dict[int, tuple[NoteView, ...]]:
    """The newest `limit` notes of each client, newest first (one query for all of them).
    The caller checks READ_TREATMENT_NOTES."""
    if not customer_ids:
        return {}
    rows = session.execute(
        select(TreatmentNote, Staff.display_name, Service.name)
        .outerjoin(Staff, Staff.id == TreatmentNote.staff_id)
        .outerjoin(Appointment, Appointment.id == TreatmentNote.appointment_id)
        .outerjoin(Service, Service.id == Appointment.service_id)
        .where(TreatmentNote.customer_id.in_(customer_ids))
        .order_by(TreatmentNote.written_at.desc(), TreatmentNote.id.desc())
    ).tuples()
    found: dict[int, list[NoteView]] = {}
    for note, author, service in rows:
        mine = found.setdefault(note.customer_id, [])
        if len(mine) < limit:
            mine.append(
                NoteView(
                    id=note.id,
                    customer_id=note.customer_id,
                    appointment_id=note.appointment_id,
                    service_name=service or "",
                    author_name=author or "",
                    written_at=note.written_at,
                    text=vault.unseal(bytes(note.body_sealed)),
                )
            )
    return {cid: tuple(notes) for cid, notes in found.items()}


class TreatmentNoteService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault

    @writes
    def write(
        self, customer_id: int, body: str, by: SignedIn, *, appointment_id: int | None = None
    ) -> int:
        """Keep a note (sealed) on the client, on the visit `appointment_id` when given; its
        id. The audit entry says a note was written, never what."""
        by.require(Permission.WRITE_TREATMENT_NOTES)
        text = clean_block(body, "note", "The note", MAX_NOTE)
        if not text:
            raise ValidationError("note", NOTE_NEEDED)
        now = self._clock.now()
        with self._uow.write() as session:
            customer = session.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise DomainError("That client no longer exists.")
            if appointment_id is not None:
                appt = session.get(Appointment, appointment_id)
                if appt is None or appt.customer_id != customer_id:
                    raise DomainError("That appointment no longer exists.")
            ensure_key_check(session, self._vault)
            note = TreatmentNote(
                customer_id=customer_id,
                appointment_id=appointment_id,
                staff_id=by.staff_id,
                written_at=now,
                body_sealed=self._vault.seal(text),
            )
            session.add(note)
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="note.written",
                detail=f"appointment {appointment_id}" if appointment_id else "",
            )
            return note.id

    @reads
    def notes(self, customer_id: int, viewer: SignedIn, limit: int = 20) -> tuple[NoteView, ...]:
        """The client's notes, newest first."""
        viewer.require(Permission.READ_TREATMENT_NOTES)
        with self._uow.read() as session:
            return read_notes(session, self._vault, [customer_id], limit).get(customer_id, ())
