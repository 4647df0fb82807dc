"""Clients in and out: CSV import and export, one client's data as JSON, erasure.

Reading the file is frontdesk/domain/client_file.py (the price list's machinery: encodings,
header synonyms). An import is one unit of work: clients are saved through ClientService.save
(its rules, its search keys, its audit entries), allergies through ClientHealthService (sealed,
only with the client's consent); any refused row leaves nothing saved. A re-import updates the
client it matches (by card number, then phone, then e-mail) rather than adding another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.models import (
    Allergy,
    Appointment,
    ClientTag,
    Customer,
    LoyaltyEntry,
    PatchTest,
    Preference,
    Sale,
    Service,
    TreatmentNote,
)
from frontdesk.domain.cards import normalize_card_number
from frontdesk.domain.client_file import (
    MAX_CLIENT_FILE_BYTES,
    NOTES_TOPIC,
    ClientColumn,
    ClientFileError,
    ClientRow,
    RowError,
    decode,
    guess_mapping,
    preferences_cell,
    read_client_rows,
    read_table,
    write_clients_csv,
    yes_no,
)
from frontdesk.domain.clients import (
    PREFERENCE_TOPICS,
    ClientForm,
    format_phone,
    same_preference,
    topic_code,
    validate_preference,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.health import entry_key
from frontdesk.domain.roles import Permission
from frontdesk.domain.search_text import client_search_keys
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.clients import ClientService
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.price_list import ImportRefused
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

__all__ = [
    "ClientTransferService",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "pseudonym",
]

SAMPLE_ROWS = 8
NO_ROWS = words("The file has a header but no rows.")
UNKNOWN_CLIENT = words("No client has the number or card “{client}”.")
GONE = words("That client no longer exists.")
ERASED_NAME = words("Erased client #{id}")


def pseudonym(customer_id: int) -> str:
    """The name an erased client's sales and visits are kept under."""
    return ERASED_NAME.format(id=customer_id)


@dataclass(frozen=True)
class ImportPreview:
    """A file as it will be read (nothing is written by a preview)."""

    encoding: str
    tried: tuple[str, ...]
    delimiter: str
    headers: tuple[str, ...]
    mapping: tuple[ClientColumn | None, ...]
    sample: tuple[tuple[int, tuple[str, ...]], ...]
    rows: int
    new: int
    updated: int
    errors: tuple[RowError, ...]

    @property
    def importable(self) -> bool:
        return not self.errors and self.new + self.updated > 0


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    encoding: str


class ClientTransferService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService,
        vault: HealthVault,
        clients: ClientService | None = None,
        health: ClientHealthService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault
        self._clients = clients or ClientService(uow, clock, shop)
        self._health = health or ClientHealthService(uow, clock, shop, vault)

    # -- import ----------------------------------------------------------------------------------

    @reads
    def preview_import(
        self,
        data: bytes,
        viewer: SignedIn,
        *,
        encoding: str | None = None,
        mapping: Sequence[ClientColumn | None] | None = None,
    ) -> ImportPreview:
        """How `data` reads (encoding guessed when None, mapping guessed from the header when
        None); ClientFileError when the file as a whole cannot be read."""
        viewer.require(Permission.TRANSFER_CLIENTS)
        decoded = decode(data, encoding or "auto", max_bytes=MAX_CLIENT_FILE_BYTES)
        table = read_table(decoded.text)
        chosen = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        if len(chosen) != len(table.headers):
            chosen = guess_mapping(table.headers)
        shop = self._shop.info()
        read = read_client_rows(table, chosen, shop.phone_region, shop.today(self._clock.now()))
        new = updated = 0
        with self._uow.read() as session:
            matched: set[int] = set()
            for row in read.rows:
                found = _match(session, row)
                if found is None or found in matched:
                    new += found is None
                else:
                    matched.add(found)
                    updated += 1
        return ImportPreview(
            encoding=decoded.encoding,
            tried=decoded.tried,
            delimiter=table.delimiter,
            headers=table.headers,
            mapping=chosen,
            sample=table.rows[:SAMPLE_ROWS],
            rows=len(table.rows),
            new=new,
            updated=updated,
            errors=read.errors,
        )

    @writes
    def import_clients(
        self,
        data: bytes,
        mapping: Sequence[ClientColumn | None] | None,
        by: SignedIn,
        *,
        encoding: str | None = None,
    ) -> ImportResult:
        """Add or update every row's client, all or nothing: ImportRefused (nothing saved)
        when any row has an error, here or in the client's and health data's own rules."""
        by.require(Permission.TRANSFER_CLIENTS)
        by.require(Permission.EDIT_CLIENTS)
        decoded = decode(data, encoding or "auto", max_bytes=MAX_CLIENT_FILE_BYTES)
        table = read_table(decoded.text)
        chosen = tuple(mapping) if mapping is not None else guess_mapping(table.headers)
        shop = self._shop.info()
        now = self._clock.now()
        read = read_client_rows(table, chosen, shop.phone_region, shop.today(now))
        if read.errors:
            raise ImportRefused(read.errors)
        if not read.rows:
            raise ClientFileError(NO_ROWS)
        headers = {column: table.headers[i] for i, column in enumerate(chosen) if column}
        if any(row.allergies for row in read.rows):
            by.require(Permission.EDIT_HEALTH)
        errors: list[RowError] = []
        added = updated = 0
        with self._uow.write() as session:
            for row in read.rows:
                try:
                    created = self._import_row(session, row, by, shop.phone_region)
                except DomainError as error:
                    errors.extend(_row_errors(row.line, error, headers))
                    continue
                added += created
                updated += not created
            if errors:
                raise ImportRefused(errors)
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                action="clients.imported",
                entity="customer",
                detail=f"+{added} ~{updated}; encoding {decoded.encoding}",
            )
        return ImportResult(added, updated, decoded.encoding)

    def _import_row(self, session: Session, row: ClientRow, by: SignedIn, region: str) -> bool:
        """Save one row's client; True when it was added."""
        found = _match(session, row)
        stored = session.get(Customer, found) if found is not None else None
        valid = row.client

        def pick(field: str, new: str, old: str) -> str:
            return new if field in row.given or stored is None else old

        form = ClientForm(
            first_name=pick("first_name", valid.first_name, stored.first_name if stored else ""),
            last_name=pick("last_name", valid.last_name, stored.last_name if stored else ""),
            phone=pick("phone", valid.phone or "", (stored.phone or "") if stored else ""),
            email=pick("email", valid.email or "", (stored.email or "") if stored else ""),
            birthday=pick(
                "birthday",
                valid.birthday.isoformat() if valid.birthday else "",
                stored.birthday.isoformat() if stored and stored.birthday else "",
            ),
            card_number=pick(
                "card_number", valid.card_number or "", (stored.card_number or "") if stored else ""
            ),
            marketing_consent=valid.marketing_consent
            if "marketing_consent" in row.given or stored is None
            else stored.marketing_consent,
        )
        customer_id = self._clients.save(form, by, found)
        customer = session.get(Customer, customer_id)
        assert customer is not None
        if row.visits is not None:
            customer.imported_visits = row.visits
        if row.health_consent is not None and row.health_consent != customer.health_consent:
            self._health.set_consent(customer_id, row.health_consent, by)
        if row.allergies:
            stored_keys = {
                entry_key(self._vault.unseal(bytes(a.substance_sealed)))
                if a.substance_sealed
                else entry_key(a.substance)
                for a in session.scalars(select(Allergy).where(Allergy.customer_id == customer_id))
            }
            for substance in row.allergies:
                if entry_key(substance) not in stored_keys:
                    self._health.add_entry(customer_id, "allergy", substance, "moderate", "", by)
        wanted = list(row.preferences)
        if row.notes:
            wanted.append((NOTES_TOPIC, row.notes))
        _import_preferences(customer, wanted)
        session.flush()
        return found is None

    # -- export ----------------------------------------------------------------------------------

    @writes
    def export_csv(self, by: SignedIn) -> bytes:
        """Every client (erased and merged ones left out) as CSV in UTF-8 with a BOM. Health
        data stays sealed in the database: it is not written to the file."""
        by.require(Permission.TRANSFER_CLIENTS)
        region = self._shop.info().phone_region
        rows: list[list[str]] = []
        with self._uow.write() as session:
            prefs: dict[int, list[tuple[str, str]]] = {}
            for p in session.scalars(select(Preference).order_by(Preference.id)):
                prefs.setdefault(p.customer_id, []).append((p.topic, p.value))
            for c in session.scalars(
                select(Customer)
                .where(Customer.erased_at.is_(None), Customer.merged_into_id.is_(None))
                .order_by(Customer.id)
            ):
                own = prefs.get(c.id, [])
                rows.append(
                    [
                        c.first_name,
                        c.last_name,
                        format_phone(c.phone, region) if c.phone else "",
                        c.email or "",
                        c.birthday.isoformat() if c.birthday else "",
                        c.card_number or "",
                        str(c.imported_visits or 0),
                        yes_no(c.marketing_consent),
                        preferences_cell([p for p in own if p[0] != NOTES_TOPIC]),
                        "\n".join(v for t, v in own if t == NOTES_TOPIC),
                    ]
                )
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                action="clients.exported",
                entity="customer",
                detail=f"{len(rows)} clients",
            )
        return write_clients_csv(rows)

    @reads
    def find_client(self, client: str, viewer: SignedIn) -> int:
        """A client's id from a card number or an id (as typed on a command line)."""
        viewer.require(Permission.VIEW_CLIENTS)
        text = client.strip()
        with self._uow.read() as session:
            try:
                code = normalize_card_number(text)
            except ValidationError:
                code = None
            if code:
                found = session.scalar(select(Customer.id).where(Customer.card_number == code))
                if found is not None:
                    return int(found)
            if text.isdigit() and session.get(Customer, int(text)) is not None:
                return int(text)
        raise DomainError(UNKNOWN_CLIENT, client=text[:40])

    @writes
    def export_one(self, customer_id: int, by: SignedIn) -> dict[str, Any]:
        """All a client's data (the right of access): contact, consents, preferences, tags,
        health (unsealed, for the client), treatment notes, visits, sales and points."""
        by.require(Permission.TRANSFER_CLIENTS)
        shop = self._shop.info()
        with self._uow.write() as session:
            c = session.get(Customer, customer_id)
            if c is None or c.erased_at is not None:
                raise DomainError(GONE)
            health = self._health.health(customer_id, by)
            notes = session.scalars(
                select(TreatmentNote)
                .where(TreatmentNote.customer_id == customer_id)
                .order_by(TreatmentNote.written_at)
            ).all()
            visits = session.execute(
                select(Appointment, Service.name)
                .join(Service, Service.id == Appointment.service_id)
                .where(Appointment.customer_id == customer_id)
                .order_by(Appointment.starts_at)
            ).all()
            sales = session.scalars(
                select(Sale).where(Sale.customer_id == customer_id).order_by(Sale.created_at)
            ).all()
            points = session.scalars(
                select(LoyaltyEntry)
                .where(LoyaltyEntry.customer_id == customer_id)
                .order_by(LoyaltyEntry.at)
            ).all()
            tags = session.scalars(
                select(ClientTag.tag).where(ClientTag.customer_id == customer_id)
            ).all()
            result: dict[str, Any] = {
                "id": c.id,
                "contact": {
                    "first_name": c.first_name,
                    "last_name": c.last_name,
                    "phone": c.phone or "",
                    "email": c.email or "",
                    "birthday": _iso(c.birthday),
                    "card_number": c.card_number or "",
                    "client_since": _iso(c.created_at),
                    "photo": c.photo_png is not None,
                },
                "consents": {
                    "marketing": c.marketing_consent,
                    "marketing_at": _iso(c.marketing_consent_at),
                    "marketing_channel": c.marketing_consent_channel,
                    "health_data": c.health_consent,
                    "health_data_at": _iso(c.health_consent_at),
                },
                "preferences": [{"topic": p.topic, "value": p.value} for p in c.preferences],
                "tags": list(tags),
                "health": {
                    "entries": [
                        {
                            "kind": e.kind,
                            "substance": e.substance,
                            "severity": e.severity,
                            "notes": e.notes,
                            "recorded_at": _iso(e.recorded_at),
                        }
                        for e in health.entries
                    ],
                    "patch_tests": [
                        {
                            "tested_on": _iso(t.tested_on),
                            "product": t.product,
                            "result": t.result,
                        }
                        for t in health.patch_tests
                    ],
                },
                "treatment_notes": [
                    {
                        "written_at": _iso(n.written_at),
                        "appointment_id": n.appointment_id,
                        "text": self._vault.unseal(bytes(n.body_sealed)),
                    }
                    for n in notes
                ],
                "visits": [
                    {
                        "starts_at": _iso(a.starts_at),
                        "service": name,
                        "status": a.status,
                        "price": shop.amount(a.price_minor).minor,
                    }
                    for a, name in visits
                ],
                "imported_visits": c.imported_visits,
                "sales": [
                    {
                        "receipt": s.receipt_number,
                        "at": _iso(s.created_at),
                        "total_minor": s.total_minor,
                        "currency": s.currency,
                        "lines": [
                            {"description": line.description, "quantity": line.quantity}
                            for line in s.lines
                        ],
                    }
                    for s in sales
                ],
                "points": {
                    "balance": sum(p.points for p in points),
                    "entries": [
                        {"at": _iso(p.at), "points": p.points, "reason": p.reason} for p in points
                    ],
                },
            }
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="customer.exported",
            )
            return result

    # -- erasure ---------------------------------------------------------------------------------

    @writes
    def erase(self, customer_id: int, by: SignedIn) -> None:
        """Remove a client's personal data: the name becomes a pseudonym, contact, card,
        photo, preferences, tags, health data and treatment notes go; sales, visits and points
        stay under the pseudonym. Audited (which record, never what it held)."""
        by.require(Permission.ERASE_CLIENTS)
        now = self._clock.now()
        with self._uow.write() as session:
            c = session.get(Customer, customer_id)
            if c is None or c.erased_at is not None:
                raise DomainError(GONE)
            name = pseudonym(customer_id)
            c.first_name, c.last_name = name, ""
            c.phone = None
            c.email = None
            keys = client_search_keys(name, "", None, None, self._shop.info().phone_region)
            for column, value in keys.as_columns().items():
                setattr(c, column, value)
            c.birthday = None
            c.card_number = None
            c.photo_png = None
            c.marketing_consent = False
            c.marketing_consent_at = None
            c.marketing_consent_channel = ""
            c.health_consent = False
            c.health_consent_at = None
            c.preferred_staff_id = None
            c.erased_at = now
            for model in (Preference, Allergy, PatchTest, TreatmentNote, ClientTag):
                session.execute(delete(model).where(model.customer_id == customer_id))
            session.execute(
                update(Appointment).where(Appointment.customer_id == customer_id).values(notes="")
            )
            session.expire(c, ["preferences", "allergies"])
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="customer.erased",
            )

    @reads
    def count_clients(self) -> int:
        with self._uow.read() as session:
            return int(session.scalar(select(func.count(Customer.id))) or 0)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _import_preferences(customer: Customer, wanted: Sequence[tuple[str, str]]) -> None:
    """A row's preferences on the client's card. A topic the card edits as a field (pressure,
    music, ..., and the notes: the file's notes are the card's free-text preference, "Anything
    else") takes that field's place, as a Save on the card would: a re-import with newer notes
    replaces them rather than leaving a second row that the card lists under "Also noted" and
    drops at its next Save. Any other topic is added beside them, once."""
    stored = customer.preferences
    for topic, value in wanted:
        if topic == NOTES_TOPIC:  # read and checked with the card's own limit (client_file)
            clean_topic, clean_value = topic, value
        else:
            clean_topic, clean_value = validate_preference(topic, value)
        code = topic_code(clean_topic)
        if code in PREFERENCE_TOPICS:
            old = [p for p in stored if topic_code(p.topic) == code]
            if len(old) == 1 and same_preference(code, old[0].value, clean_value):
                continue  # as the card has it (an older "Pressure: Firm" row stays as it is)
            for preference in old:
                stored.remove(preference)
            stored.append(Preference(topic=code, value=clean_value))
        elif not any(
            (p.topic.casefold(), p.value.casefold())
            == (clean_topic.casefold(), clean_value.casefold())
            for p in stored
        ):
            stored.append(Preference(topic=clean_topic, value=clean_value))


def _match(session: Session, row: ClientRow) -> int | None:
    """The stored client a row is: same card number, else same phone, else same e-mail."""
    valid = row.client
    live = Customer.erased_at.is_(None) & Customer.merged_into_id.is_(None)
    if valid.card_number:
        found = session.scalar(
            select(Customer.id).where(Customer.card_number == valid.card_number, live)
        )
        if found is not None:
            return int(found)
    if valid.phone:
        found = session.scalar(
            select(Customer.id).where(Customer.phone == valid.phone, live).order_by(Customer.id)
        )
        if found is not None:
            return int(found)
    if valid.email:
        found = session.scalar(
            select(Customer.id)
            .where(func.lower(Customer.email) == valid.email.lower(), live)
            .order_by(Customer.id)
        )
        if found is not None:
            return int(found)
    return None


_FIELD_COLUMNS = {
    "first_name": ClientColumn.FIRST_NAME,
    "last_name": ClientColumn.LAST_NAME,
    "phone": ClientColumn.PHONE,
    "email": ClientColumn.EMAIL,
    "birthday": ClientColumn.BIRTHDAY,
    "card_number": ClientColumn.CARD,
    "substance": ClientColumn.ALLERGIES,
    "topic": ClientColumn.PREFERENCES,
    "value": ClientColumn.PREFERENCES,
}


def _row_errors(line: int, error: DomainError, headers: dict[ClientColumn, str]) -> list[RowError]:
    def column(field: object) -> str:
        found = _FIELD_COLUMNS.get(field) if isinstance(field, str) else None
        if found == ClientColumn.FIRST_NAME and found not in headers:
            found = ClientColumn.NAME
        return headers.get(found, "") if found else ""

    if isinstance(error, FormErrors):
        return [RowError(line, column(name), each) for name, each in error.errors.items()]
    return [RowError(line, column(getattr(error, "field", None)), error)]
