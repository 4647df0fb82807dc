"""The client card: search, open, create and edit clients; health data only for those allowed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from db.models import (
    Allergy,
    Appointment,
    AuditEntry,
    ClientTag,
    Customer,
    Preference,
    Sale,
    SaleLine,
    Service,
    Staff,
)
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.cards import normalize_card_number
from frontdesk.domain.clients import (
    PREFERENCE_TOPICS,
    CardEdit,
    CardPreferences,
    ClientForm,
    format_phone,
    initials,
    read_preferences,
    same_preference,
    topic_code,
    validate_card_edit,
    validate_client,
    validate_tag,
)
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.money import Money
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission, Role
from frontdesk.domain.search_text import client_search_keys
from frontdesk.domain.text import visible_text
from frontdesk.services.audit import record
from frontdesk.services.auth import SignedIn
from frontdesk.services.client_health import ClientHealthService, HealthEntry, HealthRecord
from frontdesk.services.client_search import SummaryRow, load_summaries, search_customer_ids
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault, VaultError, open_vault
from frontdesk.services.loyalty import Standing, standing_of
from frontdesk.services.shop import ShopInfo, ShopService
from frontdesk.services.treatment_notes import read_notes
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
    severity: str  # a code: one of frontdesk.domain.health.SEVERITIES
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
    #: None for a role that may not see money figures (VIEW_CLIENT_SPEND).
    price: Money | None
    #: Checkout has taken payment for it (a finished visit may still be waiting for payment).
    paid: bool = False
    ends_at: datetime | None = None


@dataclass(frozen=True)
class HistoryItem:
    """One line of the card's timeline: a visit (an appointment) or a purchase (a product)."""

    at: datetime
    kind: str  # "visit" | "purchase"
    what: str  # the service or the product
    therapist: str  # "" for a purchase
    status: AppointmentStatus | None  # None for a purchase
    price: Money | None  # None without VIEW_CLIENT_SPEND
    paid: bool = False
    quantity: int = 1
    appointment_id: int | None = None


@dataclass(frozen=True)
class NoteLine:
    """A treatment note as the card shows it (read here; written in the therapist's view)."""

    written_at: datetime
    author: str
    visit: str  # the visit's service, or ""
    text: str


@dataclass(frozen=True)
class ClientCard:
    """Everything the desk shows about one client. `health_hidden` when the role may not see
    health data; `lifetime_spend` and every price None when it may not see money figures."""

    id: int
    name: str
    form: ClientForm
    preferences: tuple[PreferenceView, ...]
    allergies: tuple[AllergyView, ...]
    health_hidden: bool
    visits: tuple[VisitView, ...]
    visit_count: int  # ours and those brought over from another system
    lifetime_spend: Money | None
    member_since: date  # the shop-local day the client was first recorded
    birthday: date | None = None
    #: Appointments the client never came to, and cancellations inside the late window.
    no_shows: int = 0
    late_cancellations: int = 0
    # -- issue 9
    initials: str = ""
    photo_png: bytes | None = None
    tier_name: str = ""
    points: int = 0  # 0 with `points_hidden`
    last_visit: datetime | None = None
    tags: tuple[str, ...] = ()
    #: Without VIEW_CLIENT_SPEND: points tell the spend (earned per currency unit): tier only.
    points_hidden: bool = False
    marketing_channel: str = ""
    marketing_consent_at: datetime | None = None
    health_consent: bool = False
    health_consent_at: datetime | None = None
    structured: CardPreferences = field(default_factory=CardPreferences)
    other_preferences: tuple[tuple[str, str], ...] = ()  # older free topics: (topic, value)
    therapists: tuple[tuple[int, str], ...] = ()  # the choices for "preferred therapist"
    preferred_therapist: str = ""
    health: HealthRecord | None = None  # None without VIEW_HEALTH (or when locked)
    #: The health data is sealed with a key this computer does not have.
    health_locked: bool = False
    #: When this client's alert was acknowledged today, and by whom (None: not yet).
    alert_acknowledged_at: datetime | None = None
    alert_acknowledged_by: str = ""
    history: tuple[HistoryItem, ...] = ()
    upcoming: tuple[VisitView, ...] = ()
    notes: tuple[NoteLine, ...] = ()
    notes_hidden: bool = True

    @property
    def alerts(self) -> tuple[HealthEntry, ...]:
        """Allergies and contraindications for the alert band (empty without VIEW_HEALTH)."""
        return self.health.entries if self.health is not None else ()


ALERT_ACKNOWLEDGED = "health.alert_acknowledged"


def _ends(visit: VisitView) -> datetime:
    return visit.ends_at or visit.starts_at


def _card_fields(customer: Customer) -> dict[str, object]:
    """The customer's own columns one Save may change, by field name (for the audit)."""
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "email": customer.email,
        "birthday": customer.birthday,
        "card_number": customer.card_number,
        "marketing_consent": customer.marketing_consent,
        "marketing_channel": customer.marketing_consent_channel,
        "preferred_staff": customer.preferred_staff_id,
    }


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
        *,
        health: ClientHealthService | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop or ShopService(uow, clock)
        self._vault = vault or open_vault()  # allergies added here are sealed too
        self._health = health

    VISITS_SHOWN = 50

    @reads
    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        cleaned = visible_text(query)  # a pasted NUL or direction mark is no part of a name
        with self._uow.read() as session:
            shop = self._shop.info()
            ids = search_customer_ids(session, cleaned, limit, shop.phone_region)
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
        """The whole card in one read; health only with VIEW_HEALTH, money figures only with
        VIEW_CLIENT_SPEND, treatment notes only with READ_TREATMENT_NOTES."""
        viewer.require(Permission.VIEW_CLIENTS)
        now = self._clock.now()
        with self._uow.read() as session:
            customer = session.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise DomainError("That client no longer exists.")
            shop = self._shop.info()
            show_health = viewer.can(Permission.VIEW_HEALTH)
            show_money = viewer.can(Permission.VIEW_CLIENT_SPEND)
            visits = self._visits(session, customer_id, shop, show_money)
            paid_visits, last_paid = session.execute(
                select(func.count(SaleLine.id), func.max(Appointment.starts_at))
                .join(Appointment, Appointment.id == SaleLine.appointment_id)
                .where(Appointment.customer_id == customer_id)
            ).one()
            no_shows, late = self._attendance(session, customer_id)
            standing = self._standing(session, customer_id)
            health: HealthRecord | None = None
            health_locked = False
            if show_health:
                try:
                    health = self._health_record(customer_id, viewer)
                except VaultError:
                    # Sealed health data without its key: the card opens and says so loudly
                    # (never "no allergies").
                    health_locked = True
            prefs, others = read_preferences([(p.topic, p.value) for p in customer.preferences])
            prefs = replace(prefs, preferred_staff_id=customer.preferred_staff_id)
            therapists = self._therapists(session)
            acknowledged = self._acknowledged_today(session, customer_id, shop, now)
            upcoming = tuple(v for v in visits if v.status.holds_time and _ends(v) > now)
            past = tuple(v for v in visits if v not in upcoming)
            notes_shown = viewer.can(Permission.READ_TREATMENT_NOTES)
            last_visit = max(
                (t for t in (customer.last_visit_at, last_paid) if t is not None), default=None
            )
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
                    AllergyView(e.substance, e.severity, e.notes) for e in health.entries
                )
                if health is not None
                else (),
                health_hidden=not show_health,
                visits=visits,
                visit_count=int(paid_visits) + customer.imported_visits,
                lifetime_spend=shop.amount(standing.lifetime_spend_minor)
                if show_money and standing.lifetime_spend_minor is not None
                else None,
                member_since=shop.local(customer.created_at).date(),
                birthday=customer.birthday,
                no_shows=no_shows,
                late_cancellations=late,
                initials=initials(customer.first_name, customer.last_name),
                photo_png=customer.photo_png,
                tier_name=standing.tier_name or "",
                points=standing.points if show_money else 0,
                points_hidden=not show_money,
                last_visit=last_visit,
                tags=tuple(
                    session.scalars(
                        select(ClientTag.tag)
                        .where(ClientTag.customer_id == customer_id)
                        .order_by(ClientTag.tag)
                    )
                ),
                marketing_channel=customer.marketing_consent_channel,
                marketing_consent_at=customer.marketing_consent_at,
                health_consent=customer.health_consent,
                health_consent_at=customer.health_consent_at,
                structured=prefs,
                other_preferences=others,
                therapists=therapists,
                preferred_therapist=dict(therapists).get(customer.preferred_staff_id or 0, ""),
                health=health,
                health_locked=health_locked,
                alert_acknowledged_at=acknowledged[0] if acknowledged else None,
                alert_acknowledged_by=acknowledged[1] if acknowledged else "",
                history=self._history(session, customer_id, shop, past, show_money),
                upcoming=tuple(sorted(upcoming, key=lambda v: v.starts_at)),
                notes=self._card_notes(session, customer_id, shop) if notes_shown else (),
                notes_hidden=not viewer.can(Permission.READ_TREATMENT_NOTES),
            )

    NOTES_SHOWN = 20

    def _card_notes(
        self, session: Session, customer_id: int, shop: ShopInfo
    ) -> tuple[NoteLine, ...]:
        """The newest treatment notes, opened with the vault (READ_TREATMENT_NOTES checked)."""
        found = read_notes(session, self._vault, [customer_id], self.NOTES_SHOWN)
        return tuple(
            NoteLine(shop.local(n.written_at), n.author_name, n.service_name, n.text)
            for n in found.get(customer_id, ())
        )

    def _health_record(self, customer_id: int, viewer: SignedIn) -> HealthRecord:
        if self._health is not None:
            return self._health.health(customer_id, viewer)
        return HealthRecord(entries=(), patch_tests=(), consent=False, consent_at=None)

    def _standing(self, session: Session, customer_id: int) -> Standing:
        return standing_of(session, customer_id)

    @staticmethod
    def _attendance(session: Session, customer_id: int) -> tuple[int, int]:
        no_shows, late = session.execute(
            select(
                func.coalesce(
                    func.sum(case((Appointment.status == AppointmentStatus.NO_SHOW.value, 1))),
                    0,
                ),
                func.coalesce(
                    func.sum(
                        case(
                            (
                                (Appointment.status == AppointmentStatus.CANCELLED.value)
                                & Appointment.late_cancel,
                                1,
                            )
                        )
                    ),
                    0,
                ),
            ).where(Appointment.customer_id == customer_id)
        ).one()
        return int(no_shows), int(late)

    @staticmethod
    def _therapists(session: Session) -> tuple[tuple[int, str], ...]:
        rows = session.execute(
            select(Staff.id, Staff.display_name)
            .where(Staff.role == Role.THERAPIST.value, Staff.active.is_(True))
            .order_by(Staff.display_name)
        ).tuples()
        return tuple((int(i), str(n)) for i, n in rows)

    @staticmethod
    def _acknowledged_today(
        session: Session, customer_id: int, shop: ShopInfo, now: datetime
    ) -> tuple[datetime, str] | None:
        midnight = shop.local(now).replace(hour=0, minute=0, second=0, microsecond=0)
        row = session.execute(
            select(AuditEntry.at, Staff.display_name)
            .outerjoin(Staff, Staff.id == AuditEntry.staff_id)
            .where(
                AuditEntry.action == ALERT_ACKNOWLEDGED,
                AuditEntry.entity == "customer",
                AuditEntry.entity_id == customer_id,
                AuditEntry.at >= midnight,
            )
            .order_by(AuditEntry.at.desc())
            .limit(1)
        ).first()
        return (row[0], row[1] or "") if row is not None else None

    def _history(
        self,
        session: Session,
        customer_id: int,
        shop: ShopInfo,
        visits: tuple[VisitView, ...],
        show_money: bool,
    ) -> tuple[HistoryItem, ...]:
        """Visits and purchases, newest first."""
        bought = session.execute(
            select(Sale.created_at, SaleLine.description, SaleLine.quantity, SaleLine.total_minor)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.customer_id == customer_id, SaleLine.product_id.is_not(None))
            .order_by(Sale.created_at.desc())
            .limit(self.VISITS_SHOWN)
        ).tuples()
        items = [
            HistoryItem(
                at=v.starts_at,
                kind="visit",
                what=v.service,
                therapist=v.therapist,
                status=v.status,
                price=v.price,
                paid=v.paid,
                appointment_id=v.appointment_id,
            )
            for v in visits
        ] + [
            HistoryItem(
                at=at,
                kind="purchase",
                what=what,
                therapist="",
                status=None,
                price=shop.amount(total) if show_money else None,
                paid=True,
                quantity=quantity,
            )
            for at, what, quantity, total in bought
        ]
        items.sort(key=lambda item: item.at, reverse=True)
        return tuple(items[: self.VISITS_SHOWN])

    def _visits(
        self, session: Session, customer_id: int, shop: ShopInfo, show_money: bool = True
    ) -> tuple[VisitView, ...]:
        rows = session.execute(
            select(
                Appointment,
                Service.name,
                Staff.display_name,
                exists().where(SaleLine.appointment_id == Appointment.id),
            )
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
                price=shop.amount(appt.price_minor) if show_money else None,
                paid=bool(paid),
                ends_at=appt.ends_at,
            )
            for appt, service, therapist, paid in rows
        )

    # -- saving the card ------------------------------------------------------------------

    @writes
    def save_card(self, customer_id: int, edit: CardEdit, by: SignedIn) -> None:
        """One Save on the card: contact, consent and preferences in one unit of work. Every
        bad field is reported at once (FormErrors) and nothing is saved; the audit entry names
        the fields that changed, never their values."""
        by.require(Permission.EDIT_CLIENTS)
        if edit.health_consent is not None:
            by.require(Permission.EDIT_HEALTH)
        now = self._clock.now()
        with self._uow.write() as session:
            shop = self._shop.info()
            valid = validate_card_edit(edit, shop.phone_region, shop.today(now))
            customer = session.get(Customer, customer_id)
            if customer is None or customer.erased_at is not None:
                raise DomainError("That client no longer exists.")
            staff_id = valid.preferences.preferred_staff_id
            if staff_id is not None and session.get(Staff, staff_id) is None:
                raise FormErrors(
                    {
                        "preferred_staff": ValidationError(
                            "preferred_staff", "That therapist no longer works here."
                        )
                    }
                )
            before = _card_fields(customer)
            self.save(edit.form, by, customer_id)  # joins this unit of work: keys kept current
            if customer.marketing_consent_channel != valid.marketing_channel:
                customer.marketing_consent_channel = valid.marketing_channel
            customer.preferred_staff_id = staff_id
            changed = [name for name, old in before.items() if _card_fields(customer)[name] != old]
            changed += self._save_preferences(session, customer, valid.preferences)
            if edit.health_consent is not None and edit.health_consent != customer.health_consent:
                if self._health is None:
                    raise DomainError("Health data cannot be changed here.")
                self._health.set_consent(customer_id, edit.health_consent, by)
                changed.append("health_consent")
            if changed:
                record(
                    session,
                    at=now,
                    staff_id=by.staff_id,
                    entity="customer",
                    entity_id=customer_id,
                    action="customer.card_saved",
                    detail=", ".join(changed),
                )

    @staticmethod
    def _save_preferences(
        session: Session, customer: Customer, prefs: CardPreferences
    ) -> list[str]:
        """Write the structured topics and return those that changed. Older free rows of the
        same topics ("Pressure: Firm") are replaced by the structured ones; others are kept."""
        new = prefs.texts()
        rows = [p for p in customer.preferences if topic_code(p.topic) in PREFERENCE_TOPICS]
        old: dict[str, str] = {}
        for row in rows:
            old.setdefault(topic_code(row.topic), row.value)
        changed = [t for t in PREFERENCE_TOPICS if not same_preference(t, old.get(t, ""), new[t])]
        if not changed and all(row.topic in PREFERENCE_TOPICS for row in rows):
            return []
        for row in rows:
            customer.preferences.remove(row)
        session.flush()
        for topic, value in new.items():
            if value:
                customer.preferences.append(Preference(topic=topic, value=value))
        session.flush()
        return changed

    @writes
    def add_tag(self, customer_id: int, tag: str, by: SignedIn) -> None:
        """Add a tag ("VIP"); a tag the client already has is left as it is."""
        by.require(Permission.EDIT_CLIENTS)
        try:
            clean = validate_tag(tag)
        except ValidationError as exc:
            raise FormErrors({"tag": exc}) from None
        with self._uow.write() as session:
            if session.get(Customer, customer_id) is None:
                raise DomainError("That client no longer exists.")
            tags = session.scalars(
                select(ClientTag.tag).where(ClientTag.customer_id == customer_id)
            ).all()
            if clean.casefold() in {t.casefold() for t in tags}:
                return
            session.add(ClientTag(customer_id=customer_id, tag=clean))
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="customer.tag_added",
                detail="tags",
            )

    @writes
    def remove_tag(self, customer_id: int, tag: str, by: SignedIn) -> None:
        by.require(Permission.EDIT_CLIENTS)
        with self._uow.write() as session:
            row = session.scalars(
                select(ClientTag).where(ClientTag.customer_id == customer_id, ClientTag.tag == tag)
            ).first()
            if row is None:
                return
            session.delete(row)
            record(
                session,
                at=self._clock.now(),
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action="customer.tag_removed",
                detail="tags",
            )

    @writes
    def acknowledge_alert(self, customer_id: int, by: SignedIn) -> datetime:
        """The person at the desk has read the client's allergies and contraindications for
        this visit. Audited (who, when); the alert's text never is."""
        by.require(Permission.VIEW_HEALTH)
        now = self._clock.now()
        with self._uow.write() as session:
            if session.get(Customer, customer_id) is None:
                raise DomainError("That client no longer exists.")
            record(
                session,
                at=now,
                staff_id=by.staff_id,
                entity="customer",
                entity_id=customer_id,
                action=ALERT_ACKNOWLEDGED,
            )
            # The audit log is not a change kind: touch nothing, the ui reloads the card.
            return now

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
            customer.phone = valid.phone
            customer.email = valid.email
            keys = client_search_keys(
                valid.first_name, valid.last_name, valid.phone, valid.email, shop.phone_region
            )
            for column, value in keys.as_columns().items():
                setattr(customer, column, value)
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
