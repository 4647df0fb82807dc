"""The back office's staff use cases: people, their PINs, weeks, absences, skills and terms.

Every public method is one unit of work, checks MANAGE_STAFF (a manager may not create, edit,
archive or re-PIN an owner), writes an audit entry for each change and returns frozen values.
People are archived (active=False), never deleted: appointments and sales point to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import (
    Appointment,
    Customer,
    Service,
    ServiceCategory,
    Staff,
    StaffAbsence,
    StaffBreak,
    StaffCommission,
    StaffService,
    WorkingHours,
)
from frontdesk.domain.appointments import LIVE_STATUS_VALUES
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission, Role
from frontdesk.domain.shop_time import to_local
from frontdesk.domain.staff_rules import (
    AbsenceDraft,
    WeekSpan,
    check_absence,
    check_color,
    check_commissions,
    check_new_pin,
    check_week,
)
from frontdesk.domain.text import clean_line
from frontdesk.services.audit import record
from frontdesk.services.auth import MAX_STAFF_NAME, NotPermitted, SignedIn, hash_pin
from frontdesk.services.clock import Clock
from frontdesk.services.shop import ShopService
from frontdesk.services.unit_of_work import UnitOfWork, reads, writes

DEFAULT_COLOR = "#5b8def"
#: Appointments that still need their therapist (archiving is refused while any is ahead).


@dataclass(frozen=True)
class StaffDraft:
    """What the staff form says about one person.

    `hours` and `breaks` are (weekday 0 = Monday, start minute, end minute) from local midnight;
    `commissions` (service category id, rate in basis points: 1250 = 12.5 %).
    """

    name: str
    role: Role = Role.THERAPIST
    color: str = DEFAULT_COLOR
    hours: tuple[WeekSpan, ...] = ()
    breaks: tuple[WeekSpan, ...] = ()
    qualified_service_ids: tuple[int, ...] = ()
    commissions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class StaffSummary:
    """One line of the staff list."""

    id: int
    name: str
    role: Role
    color: str
    active: bool
    has_pin: bool


@dataclass(frozen=True)
class Absence:
    id: int
    first_day: date
    last_day: date
    kind: str
    note: str


@dataclass(frozen=True)
class StaffRecord:
    """One person in full, for the form."""

    id: int
    draft: StaffDraft
    active: bool
    has_pin: bool
    absences: tuple[Absence, ...]


@dataclass(frozen=True)
class ServiceChoice:
    id: int
    name: str


@dataclass(frozen=True)
class CategoryChoices:
    """A service category and its active services: one group of the qualifications checklist
    and one row of the commission table."""

    id: int
    name: str
    services: tuple[ServiceChoice, ...]


@dataclass(frozen=True)
class FutureAppointment:
    """An appointment that still needs its therapist, in the shop's time."""

    id: int
    client_name: str
    starts: datetime  # aware, in the shop's zone
    service_name: str


class HasFutureAppointments(DomainError):
    """Archiving refused: the person still has appointments ahead (`appointments`)."""

    def __init__(self, name: str, appointments: tuple[FutureAppointment, ...]) -> None:
        super().__init__(
            words("{name} still has appointments ahead. Move or cancel them first:"),
            name=name,
            appointments=appointments,
        )
        self.appointments = appointments


class StaffAdminService:
    """Use cases of the back office's Staff page (and the guided start's staff step)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, shop: ShopService) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop

    # -- reading --------------------------------------------------------------------------

    @reads
    def list(self, viewer: SignedIn) -> tuple[StaffSummary, ...]:
        """Everyone, archived people included, by name."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            rows = session.execute(
                select(
                    Staff.id,
                    Staff.display_name,
                    Staff.role,
                    Staff.color,
                    Staff.active,
                    Staff.pin_hash,
                ).order_by(Staff.display_name, Staff.id)
            ).all()
        return tuple(
            StaffSummary(r.id, r.display_name, Role(r.role), r.color, r.active, bool(r.pin_hash))
            for r in rows
        )

    @reads
    def get(self, staff_id: int, viewer: SignedIn) -> StaffRecord:
        """One person in full."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            hours = session.execute(
                select(WorkingHours.weekday, WorkingHours.start_minute, WorkingHours.end_minute)
                .where(WorkingHours.staff_id == staff_id)
                .order_by(WorkingHours.weekday, WorkingHours.start_minute)
            ).tuples()
            breaks = session.execute(
                select(StaffBreak.weekday, StaffBreak.start_minute, StaffBreak.end_minute)
                .where(StaffBreak.staff_id == staff_id)
                .order_by(StaffBreak.weekday, StaffBreak.start_minute)
            ).tuples()
            services = session.scalars(
                select(StaffService.service_id)
                .where(StaffService.staff_id == staff_id)
                .order_by(StaffService.service_id)
            )
            commissions = session.execute(
                select(StaffCommission.category_id, StaffCommission.rate_bp)
                .where(StaffCommission.staff_id == staff_id)
                .order_by(StaffCommission.category_id)
            ).tuples()
            absences = session.scalars(
                select(StaffAbsence)
                .where(StaffAbsence.staff_id == staff_id)
                .order_by(StaffAbsence.first_day, StaffAbsence.id)
            )
            draft = StaffDraft(
                name=staff.display_name,
                role=Role(staff.role),
                color=staff.color,
                hours=tuple(hours),
                breaks=tuple(breaks),
                qualified_service_ids=tuple(services),
                commissions=tuple(commissions),
            )
            return StaffRecord(
                id=staff.id,
                draft=draft,
                active=staff.active,
                has_pin=bool(staff.pin_hash),
                absences=tuple(
                    Absence(a.id, a.first_day, a.last_day, a.kind, a.note) for a in absences
                ),
            )

    @reads
    def service_choices(self, viewer: SignedIn) -> tuple[CategoryChoices, ...]:
        """Active categories with their active services, in display order."""
        viewer.require(Permission.VIEW_BACK_OFFICE)
        with self._uow.read() as session:
            categories = session.execute(
                select(ServiceCategory.id, ServiceCategory.name)
                .where(ServiceCategory.active.is_(True))
                .order_by(ServiceCategory.sort_order, ServiceCategory.name)
            ).all()
            services = session.execute(
                select(Service.id, Service.name, Service.category_id)
                .where(Service.active.is_(True))
                .order_by(Service.sort_order, Service.name)
            ).all()
        by_category: dict[int, list[ServiceChoice]] = {}
        for s in services:
            by_category.setdefault(s.category_id, []).append(ServiceChoice(s.id, s.name))
        return tuple(
            CategoryChoices(c.id, c.name, tuple(by_category.get(c.id, ()))) for c in categories
        )

    # -- changing -------------------------------------------------------------------------

    @writes
    def save(self, draft: StaffDraft, by: SignedIn, staff_id: int | None = None) -> int:
        """Create (staff_id None) or update a person; FormErrors naming every bad field.

        A new person has no PIN and cannot sign in until `set_pin`."""
        by.require(Permission.MANAGE_STAFF)
        values = check_draft(draft)
        with self._uow.write() as session:
            if staff_id is None:
                _may_touch(by, draft.role)
                staff = Staff(
                    display_name=values.name,
                    role=draft.role.value,
                    pin_hash="",
                    active=True,
                    failed_pin_attempts=0,
                    color=values.color,
                )
                session.add(staff)
                session.flush()
                action = "staff.created"
            else:
                found = session.get(Staff, staff_id)
                if found is None:
                    raise DomainError("No such staff member.")
                staff = found
                _may_touch(by, Role(staff.role))
                _may_touch(by, draft.role)
                if staff.role == Role.OWNER.value and draft.role != Role.OWNER:
                    _keep_an_owner(session, staff.id)
                staff.display_name = values.name
                staff.role = draft.role.value
                staff.color = values.color
                action = "staff.updated"
            _unknown_ids(session, draft)
            _replace_week(session, staff.id, draft)
            record(
                session,
                at=self._clock.now(),
                action=action,
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff.id,
            )
            return staff.id

    @writes
    def set_pin(self, staff_id: int, pin: str, pin_again: str, by: SignedIn) -> None:
        """Set or reset a person's PIN, typed twice; clears a lock-out."""
        by.require(Permission.MANAGE_STAFF)
        new_hash = hash_pin(check_new_pin(pin, pin_again))
        with self._uow.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            _may_touch(by, Role(staff.role))
            staff.pin_hash = new_hash
            staff.failed_pin_attempts = 0
            staff.locked_until = None
            record(
                session,
                at=self._clock.now(),
                action="staff.pin_set",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff_id,
            )

    @writes
    def set_active(self, staff_id: int, active: bool, by: SignedIn) -> None:
        """Archive (False) or restore (True); archiving is refused with the list of the person's
        appointments still ahead (HasFutureAppointments), and for the last active owner."""
        by.require(Permission.MANAGE_STAFF)
        now = self._clock.now()
        with self._uow.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            _may_touch(by, Role(staff.role))
            if staff.active == active:
                return
            if not active:
                if by.staff_id == staff_id:
                    raise DomainError("You cannot archive yourself.")
                if staff.role == Role.OWNER.value:
                    _keep_an_owner(session, staff_id)
                ahead = self._future_appointments(session, staff_id, now)
                if ahead:
                    raise HasFutureAppointments(staff.display_name, ahead)
            staff.active = active
            record(
                session,
                at=now,
                action="staff.restored" if active else "staff.archived",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff_id,
            )

    @writes
    def add_absence(self, staff_id: int, absence: AbsenceDraft, by: SignedIn) -> int:
        """Record days away (a day off, holiday, sick days, training); returns its id."""
        by.require(Permission.MANAGE_STAFF)
        errors: dict[str, DomainError] = {}
        try:
            check_absence(absence)
        except ValidationError as exc:
            errors[exc.field] = exc
        note = ""
        try:
            note = clean_line(absence.note, "absence_note", "The note", 120)
        except ValidationError as exc:
            errors["absence_note"] = exc
        if errors:
            raise FormErrors(errors)
        with self._uow.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            _may_touch(by, Role(staff.role))
            row = StaffAbsence(
                staff_id=staff_id,
                first_day=absence.first_day,
                last_day=absence.last_day,
                kind=absence.kind,
                note=note,
            )
            session.add(row)
            session.flush()
            record(
                session,
                at=self._clock.now(),
                action="staff.absence_added",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff_id,
                detail=f"absence {row.id}: {absence.kind} {absence.first_day}..{absence.last_day}",
            )
            return row.id

    @writes
    def remove_absence(self, absence_id: int, by: SignedIn) -> None:
        """Take back a recorded absence (it was entered by mistake or plans changed)."""
        by.require(Permission.MANAGE_STAFF)
        with self._uow.write() as session:
            row = session.get(StaffAbsence, absence_id)
            if row is None:
                return
            staff = session.get(Staff, row.staff_id)
            if staff is not None:
                _may_touch(by, Role(staff.role))
            session.delete(row)
            record(
                session,
                at=self._clock.now(),
                action="staff.absence_removed",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=row.staff_id,
                detail=f"absence {absence_id}: {row.kind} {row.first_day}..{row.last_day}",
            )

    def _future_appointments(
        self, session: Session, staff_id: int, now: datetime
    ) -> tuple[FutureAppointment, ...]:
        zone = self._shop.info().zone
        rows = session.execute(
            select(
                Appointment.id,
                Customer.first_name,
                Customer.last_name,
                Appointment.starts_at,
                Service.name,
            )
            .join(Customer, Customer.id == Appointment.customer_id)
            .join(Service, Service.id == Appointment.service_id)
            .where(
                Appointment.staff_id == staff_id,
                Appointment.ends_at > now,
                Appointment.status.in_(LIVE_STATUS_VALUES),
            )
            .order_by(Appointment.starts_at)
        ).tuples()
        return tuple(
            FutureAppointment(appt_id, display_name(first, last), to_local(starts, zone), service)
            for appt_id, first, last, starts, service in rows
        )


@dataclass(frozen=True)
class _Clean:
    """A draft's name and colour as stored."""

    name: str
    color: str


def check_draft(draft: StaffDraft) -> _Clean:
    """The draft's values as stored; FormErrors naming every bad field at once."""
    errors: dict[str, DomainError] = {}
    name = ""
    color = DEFAULT_COLOR
    try:
        name = clean_line(
            draft.name,
            "name",
            "The name",
            MAX_STAFF_NAME,
            required=words("Enter the person's name."),
            strict=True,
        )
    except ValidationError as exc:
        errors["name"] = exc
    if not isinstance(draft.role, Role):
        errors["role"] = ValidationError("role", "Choose a role.")
    try:
        color = check_color(draft.color)
    except ValidationError as exc:
        errors["color"] = exc
    try:
        check_week(draft.hours, draft.breaks)
    except FormErrors as exc:
        errors.update(exc.errors)
    try:
        check_commissions(draft.commissions)
    except FormErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FormErrors(errors)
    return _Clean(name, color)


def _may_touch(by: SignedIn, role: Role) -> None:
    """Only an owner creates, edits, archives or re-PINs an owner."""
    if role == Role.OWNER and by.role != Role.OWNER:
        raise NotPermitted("Only an owner may change an owner's account.")


def _keep_an_owner(session: Session, leaving_id: int) -> None:
    others = session.scalar(
        select(Staff.id).where(
            Staff.role == Role.OWNER.value, Staff.active.is_(True), Staff.id != leaving_id
        )
    )
    if others is None:
        raise DomainError("The shop needs at least one active owner.")


def _unknown_ids(session: Session, draft: StaffDraft) -> None:
    services = set(draft.qualified_service_ids)
    if services:
        known = set(session.scalars(select(Service.id).where(Service.id.in_(services))))
        if services - known:
            raise DomainError("A chosen service no longer exists. Reopen the form.")
    categories = {c for c, _ in draft.commissions}
    if categories:
        known = set(
            session.scalars(select(ServiceCategory.id).where(ServiceCategory.id.in_(categories)))
        )
        if categories - known:
            raise DomainError("A service category no longer exists. Reopen the form.")


def _replace_week(session: Session, staff_id: int, draft: StaffDraft) -> None:
    """The person's hours, breaks, qualifications and commissions become the draft's."""
    for model in (WorkingHours, StaffBreak, StaffService, StaffCommission):
        session.execute(delete(model).where(model.staff_id == staff_id))
    session.add_all(
        WorkingHours(staff_id=staff_id, weekday=d, start_minute=s, end_minute=e)
        for d, s, e in sorted(set(draft.hours))
    )
    session.add_all(
        StaffBreak(staff_id=staff_id, weekday=d, start_minute=s, end_minute=e)
        for d, s, e in sorted(set(draft.breaks))
    )
    session.add_all(
        StaffService(staff_id=staff_id, service_id=s)
        for s in sorted(set(draft.qualified_service_ids))
    )
    session.add_all(
        StaffCommission(staff_id=staff_id, category_id=c, rate_bp=r)
        for c, r in dict(draft.commissions).items()
    )
