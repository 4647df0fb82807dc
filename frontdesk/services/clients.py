"""The client card: search, open, create and edit clients; health data only for those allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Allergy, Appointment, Customer, Preference, SaleLine, Service, Staff
from db.search_index import phone_digits, search_keys
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.cards import normalize_card_number
from frontdesk.domain.clients import (
    ClientForm,
    format_phone,
    validate_allergy,
    validate_client,
    validate_preference,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.text import visible_text
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.client_health import sealed_text
from frontdesk.services.client_search import SummaryRow, load_summaries, search_customer_ids
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault, open_vault
from frontdesk.services.shop import ShopInfo, ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes


class UnknownCard(DomainError):
    """No client holds the scanned card."""


@dataclass(frozen=True)
class ClientSummary:
    """One row of a search: enough to tell apart clients with the same name."""

    id: int
    name: str
    phone: str  # as people write it in the shop's region, or ""
    card_number: str
    has_allergies: bool
    last_visit: datetime | None = None  # the start of the last completed visit


@dataclass(frozen=True)
class AllergyView:
    substance: str
    severity: str  # a code: one of frontdesk.domain.clients.SEVERITIES
    notes: str


@dataclass(frozen=True)
class PreferenceView:
    topic: str
    value: str


@dataclass(frozen=True)
class VisitView:
    appointment_id: int
    starts_at: datetime
    service: str
    therapist: str
    status: AppointmentStatus
    price: Money


@dataclass(frozen=True)
class ClientCard:
    """Everything the desk shows about one client. `health_hidden` when the role may not see it."""

    id: int
    name: str
    form: ClientForm
    preferences: tuple[PreferenceView, ...]
    allergies: tuple[AllergyView, ...]
    health_hidden: bool
    visits: tuple[VisitView, ...]
    visit_count: int
    total_spent: Money
    member_since: date  # the shop-local day the client was first recorded
    birthday: date | None = None


def _summary(
    row: Customer | SummaryRow, has_allergies: bool, shop: ShopInfo, last_visit: datetime | None
) -> ClientSummary:
    return ClientSummary(
        id=row.id,
        name=display_name(row.first_name, row.last_name),
        phone=format_phone(row.phone, shop.phone_region),
        card_number=row.card_number or "",
        has_allergies=has_allergies,
        last_visit=last_visit,
    )


class ClientService:
    """Use cases of the Clients area."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        shop: ShopService | None = None,
        vault: HealthVault | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)
        self._vault = vault or open_vault()  # health text sealed (vault lane's bridge)

    VISITS_SHOWN = 50

    @reads
    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        cleaned = visible_text(query)  # a pasted NUL or direction mark is no part of a name
        with self._uow.read() as session:
            ids = search_customer_ids(session, cleaned, limit)
            shop = self._shop.info()
            return [
                _summary(r, r.has_allergies, shop, r.last_visit)
                for r in load_summaries(session, ids)
            ]

    @reads
    def find_by_card(self, raw_code: str) -> ClientSummary:
        """The holder of a scanned or typed card; ValidationError or UnknownCard otherwise."""
        code = normalize_card_number(raw_code)
        with self._uow.read() as session:
            customer = session.scalars(select(Customer).where(Customer.card_number == code)).first()
            if customer is None:
                raise UnknownCard("No client has loyalty card {code}.", code=code)
            has_allergy = session.scalar(
                select(func.count(Allergy.id)).where(Allergy.customer_id == customer.id)
            )
            return _summary(customer, bool(has_allergy), self._shop.info(), None)

    @reads
    def card(self, customer_id: int, viewer: SignedIn) -> ClientCard:
        viewer.require(Permission.VIEW_CLIENTS)
        with self._uow.read() as session:
            customer = session.get(Customer, customer_id)
            if customer is None:
                raise DomainError("That client no longer exists.")
            shop = self._shop.info()
            show_health = viewer.can(Permission.VIEW_HEALTH)
            visits = self._visits(session, customer_id, shop)
            count, spent = session.execute(
                select(func.count(SaleLine.id), func.coalesce(func.sum(SaleLine.total_minor), 0))
                .join(Appointment, Appointment.id == SaleLine.appointment_id)
                .where(Appointment.customer_id == customer_id)
            ).one()
            return ClientCard(
                id=customer.id,
                name=display_name(customer.first_name, customer.last_name),
                form=ClientForm(
                    first_name=customer.first_name,
                    last_name=customer.last_name,
                    phone=format_phone(customer.phone, shop.phone_region),
                    email=customer.email or "",
                    birthday=customer.birthday.isoformat() if customer.birthday else "",
                    card_number=customer.card_number or "",
                    marketing_consent=customer.marketing_consent,
                ),
                preferences=tuple(PreferenceView(p.topic, p.value) for p in customer.preferences),
                allergies=tuple(
                    AllergyView(
                        sealed_text(self._vault, a.substance_sealed, a.substance),
                        a.severity,
                        sealed_text(self._vault, a.notes_sealed, a.notes),
                    )
                    for a in customer.allergies
                )
                if show_health
                else (),
                health_hidden=not show_health,
                visits=visits,
                visit_count=int(count),
                total_spent=shop.amount(int(spent)),
                member_since=shop.local(customer.created_at).date(),
                birthday=customer.birthday,
            )

    def _visits(self, session: Session, customer_id: int, shop: ShopInfo) -> tuple[VisitView, ...]:
        rows = session.execute(
            select(Appointment, Service.name, Staff.display_name)
            .join(Service, Service.id == Appointment.service_id)
            .join(Staff, Staff.id == Appointment.staff_id)
            .where(Appointment.customer_id == customer_id)
            .order_by(Appointment.starts_at.desc())
            .limit(self.VISITS_SHOWN)
        ).all()
        return tuple(
            VisitView(
                appointment_id=appt.id,
                starts_at=appt.starts_at,
                service=service,
                therapist=therapist,
                status=AppointmentStatus(appt.status),
                price=shop.amount(appt.price_minor),
            )
            for appt, service, therapist in rows
        )

    @writes
    def save(self, form: ClientForm, by: SignedIn, customer_id: int | None = None) -> int:
        """Create (customer_id None) or update a client; FormErrors leaves everything unchanged."""
        by.require(Permission.EDIT_CLIENTS)
        now = self._clock.now()
        with self._uow.write() as session:
            shop = self._shop.info()
            valid = validate_client(form, shop.phone_region, shop.today(now))
            if valid.card_number is not None:
                holder = session.scalar(
                    select(Customer.id).where(Customer.card_number == valid.card_number)
                )
                if holder is not None and holder != customer_id:
                    raise FormErrors(
                        {
                            "card_number": ValidationError(
                                "card_number", "Another client already has that card."
                            )
                        }
                    )
            if customer_id is None:
                customer = Customer(created_at=now)
                session.add(customer)
            else:
                found = session.get(Customer, customer_id)
                if found is None:
                    raise DomainError("That client no longer exists.")
                customer = found
            if valid.marketing_consent and not customer.marketing_consent:
                customer.marketing_consent_at = now
            elif not valid.marketing_consent:
                customer.marketing_consent_at = None
            customer.first_name = valid.first_name
            customer.last_name = valid.last_name
            customer.search_name, customer.search_name_rev = search_keys(
                valid.first_name, valid.last_name
            )
            customer.phone = valid.phone
            customer.phone_digits = phone_digits(valid.phone)
            customer.email = valid.email
            customer.birthday = valid.birthday
            customer.card_number = valid.card_number
            customer.marketing_consent = valid.marketing_consent
            session.flush()
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer.id,
                action="customer.created" if customer_id is None else "customer.updated",
            )
            return customer.id

    @writes
    def add_allergy(
        self, customer_id: int, substance: str, severity: str, notes: str, by: SignedIn
    ) -> None:
        """Record an allergy; the audit log says who added one, never what it is."""
        by.require(Permission.EDIT_HEALTH)
        allergy = validate_allergy(substance, severity, notes)
        now = self._clock.now()
        with self._uow.write() as session:
            if session.get(Customer, customer_id) is None:
                raise DomainError("That client no longer exists.")
            session.add(
                Allergy(
                    customer_id=customer_id,
                    substance="",
                    substance_sealed=self._vault.seal(allergy.substance),
                    severity=allergy.severity,
                    notes="",
                    notes_sealed=self._vault.seal(allergy.notes),
                    recorded_at=now,
                )
            )
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="health.allergy_added",
            )

    @writes
    def add_preference(self, customer_id: int, topic: str, value: str, by: SignedIn) -> None:
        by.require(Permission.EDIT_CLIENTS)
        topic, value = validate_preference(topic, value)
        with self._uow.write() as session:
            if session.get(Customer, customer_id) is None:
                raise DomainError("That client no longer exists.")
            session.add(Preference(customer_id=customer_id, topic=topic, value=value))
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="customer.preference_added",
            )
