"""A therapist's next clients today, each with a short brief: alerts first, preferences, the
last notes and the last services. No money figures: a brief carries no price or spend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from db.models import Allergy, Appointment, Customer, Preference, Service, TreatmentNote
from frontdesk.domain.appointments import AppointmentStatus
from frontdesk.domain.names import display_name
from frontdesk.domain.roles import Permission
from frontdesk.domain.shop_time import day_bounds_utc
from frontdesk.services.auth import SignedIn
from frontdesk.services.client_health import HealthEntry, alerts_for
from frontdesk.services.clock import Clock
from frontdesk.services.health_vault import HealthVault
from frontdesk.services.shop import ShopService
from frontdesk.services.treatment_notes import NoteView, read_notes
from frontdesk.services.unit_of_work import UnitOfWork, reads

#: How many earlier notes and services a brief shows.
LAST_NOTES = 3
LAST_SERVICES = 3
#: Statuses that are not on anyone's day any more.
_GONE = (AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value)


@dataclass(frozen=True)
class PastService:
    day: date  # the shop's local day
    service_name: str


@dataclass(frozen=True)
class BriefView:
    """One appointment of the therapist's day and what to know before it."""

    appointment_id: int
    customer_id: int
    customer_name: str
    service_name: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    status: AppointmentStatus
    alerts: tuple[HealthEntry, ...]  # severe first; empty without VIEW_HEALTH
    preferences: tuple[tuple[str, str], ...]  # (topic, value)
    last_notes: tuple[NoteView, ...]  # newest first; empty without READ_TREATMENT_NOTES
    last_services: tuple[PastService, ...]  # before this visit, newest first
    #: The visit just finished or in service: the one to write the note for.
    note_due: bool = False
    #: Whether this visit has a note already.
    has_note: bool = False
    #: The client has allergies or contraindications on file but the health data key is not
    #: on this computer: `alerts` is empty although there is something to know.
    health_locked: bool = False


class TherapistDayService:
    def __init__(
        self, uow: UnitOfWork, clock: Clock, shop: ShopService, vault: HealthVault
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._shop = shop
        self._vault = vault

    @reads
    def my_day(self, viewer: SignedIn, day: date | None = None) -> tuple[BriefView, ...]:
        """The signed-in therapist's appointments still to come on `day` (today), in order,
        led by the visit just finished or in service (its note is due). Empty for someone who
        is not on the staff list."""
        viewer.require(Permission.VIEW_CLIENTS)
        if viewer.staff_id is None:
            return ()
        shop = self._shop.info()
        now = self._clock.now()
        start, end = day_bounds_utc(day or shop.today(now), shop.zone)
        with self._uow.read() as session:
            rows = session.execute(
                select(Appointment, Customer, Service.name)
                .join(Customer, Customer.id == Appointment.customer_id)
                .join(Service, Service.id == Appointment.service_id)
                .where(
                    Appointment.staff_id == viewer.staff_id,
                    Appointment.starts_at >= start,
                    Appointment.starts_at < end,
                    Appointment.status.not_in(_GONE),
                )
                .order_by(Appointment.starts_at, Appointment.id)
            ).tuples()
            day_rows = list(rows)
            started = [i for i, (a, _c, _s) in enumerate(day_rows) if a.starts_at <= now]
            first = started[-1] if started else 0
            shown = day_rows[first:]
            if not shown:
                return ()
            ids = sorted({c.id for _a, c, _s in shown})
            sees_health = viewer.can(Permission.VIEW_HEALTH)
            alerts = (
                alerts_for(session, self._vault, ids) if sees_health and self._vault.ready else {}
            )
            # Locked here: whose allergies cannot be shown (never silence instead of a warning).
            locked = (
                set(
                    session.scalars(
                        select(Allergy.customer_id).where(Allergy.customer_id.in_(ids)).distinct()
                    )
                )
                if sees_health and not self._vault.ready
                else set()
            )
            notes = (
                read_notes(session, self._vault, ids, LAST_NOTES)
                if viewer.can(Permission.READ_TREATMENT_NOTES) and self._vault.ready
                else {}
            )
            prefs: dict[int, list[tuple[str, str]]] = {}
            for pref in session.scalars(
                select(Preference).where(Preference.customer_id.in_(ids)).order_by(Preference.id)
            ):
                prefs.setdefault(pref.customer_id, []).append((pref.topic, pref.value))
            # Visits already had: completed, or begun before now (not one still to come).
            history: dict[int, list[tuple[datetime, int, str]]] = {}
            for past_id, cid, starts, name in session.execute(
                select(Appointment.id, Appointment.customer_id, Appointment.starts_at, Service.name)
                .join(Service, Service.id == Appointment.service_id)
                .where(
                    Appointment.customer_id.in_(ids),
                    Appointment.starts_at < end,
                    Appointment.status.not_in(_GONE),
                    or_(
                        Appointment.status == AppointmentStatus.COMPLETED.value,
                        Appointment.starts_at <= now,
                    ),
                )
                .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
            ).tuples():
                history.setdefault(cid, []).append((starts, past_id, name))
            noted = set(
                session.scalars(
                    select(TreatmentNote.appointment_id).where(
                        TreatmentNote.appointment_id.in_([a.id for a, _c, _s in shown])
                    )
                )
            )
            briefs = []
            for index, (appt, customer, service_name) in enumerate(shown):
                earlier = [
                    PastService(shop.local(s).date(), n)
                    for s, i, n in history.get(customer.id, [])
                    if s < appt.starts_at and i != appt.id
                ][:LAST_SERVICES]
                briefs.append(
                    BriefView(
                        appointment_id=appt.id,
                        customer_id=customer.id,
                        customer_name=display_name(customer.first_name, customer.last_name),
                        service_name=service_name,
                        starts_at=appt.starts_at,
                        ends_at=appt.ends_at,
                        status=AppointmentStatus(appt.status),
                        alerts=alerts.get(customer.id, ()),
                        preferences=tuple(prefs.get(customer.id, ())),
                        last_notes=notes.get(customer.id, ()),
                        last_services=tuple(earlier),
                        note_due=index == 0 and appt.starts_at <= now,
                        has_note=appt.id in noted,
                        health_locked=customer.id in locked,
                    )
                )
            return tuple(briefs)
