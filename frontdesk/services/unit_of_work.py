"""The unit of work: one transaction per user action, however many services take part.

Services receive one `UnitOfWork` and open their sessions through it. The first `read()`,
`write()` or `run()` on a thread opens the transaction; every one inside it (another service
called by the first) joins it and gets the same session, so a sale, its receipt number, its
print job and its audit entry commit together or not at all. Public service methods that write
are decorated with `@writes`: the outermost one retries the whole action when PostgreSQL reports
a serialization failure or a deadlock (40001, 40P01), in this one place.

On commit the unit of work announces what changed (kinds and ids, gathered from the session's
flushes) to its subscribers, and records it in the change feed so other terminals learn of it.
"""

from __future__ import annotations

import functools
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import Engine, delete, event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from db.engine import WRITE_OPTION
from db.models import (
    Allergy,
    Appointment,
    AppointmentResource,
    AppointmentSeries,
    Booking,
    ChangeLogEntry,
    ClientTag,
    ClosedDay,
    Customer,
    LoyaltyEntry,
    LoyaltyTier,
    OpeningHours,
    PatchTest,
    Payment,
    Preference,
    PrintJob,
    Product,
    ProductTag,
    Resource,
    Room,
    SafetyOverride,
    Sale,
    SaleLine,
    Service,
    ServiceCategory,
    ServiceEquipment,
    ServicePrice,
    ServiceTag,
    ShopProfile,
    Staff,
    StaffAbsence,
    StaffBreak,
    StaffCommission,
    StaffService,
    StockMovement,
    TreatmentNote,
    WaitlistEntry,
    WorkingHours,
)
from frontdesk.services.changes import ChangeKind, Changes, ChangeSet
from frontdesk.services.database import storage_error

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: SQLSTATEs after which the whole action may simply run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
MAX_ATTEMPTS = 5
#: Rows of the change log kept behind the newest (other terminals read within seconds).
CHANGE_LOG_KEEP = 2000
NOTIFY_CHANNEL = "frontdesk_changes"

Listener = Callable[[Changes], None]

# Which kind of change each model is, and the id a screen knows it by.
_KIND_OF: dict[type[Any], tuple[ChangeKind, Callable[[Any], int | None]]] = {
    Appointment: (ChangeKind.APPOINTMENTS, lambda o: o.id),
    AppointmentResource: (ChangeKind.APPOINTMENTS, lambda o: o.appointment_id),
    Booking: (ChangeKind.APPOINTMENTS, lambda o: None),
    AppointmentSeries: (ChangeKind.APPOINTMENTS, lambda o: None),
    WaitlistEntry: (ChangeKind.WAITLIST, lambda o: o.id),
    Customer: (ChangeKind.CLIENTS, lambda o: o.id),
    Allergy: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    Preference: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    PatchTest: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    TreatmentNote: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    ClientTag: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    SafetyOverride: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    LoyaltyEntry: (ChangeKind.CLIENTS, lambda o: o.customer_id),
    LoyaltyTier: (ChangeKind.SHOP, lambda o: None),
    Sale: (ChangeKind.SALES, lambda o: o.id),
    SaleLine: (ChangeKind.SALES, lambda o: o.sale_id),
    Payment: (ChangeKind.SALES, lambda o: o.sale_id),
    Staff: (ChangeKind.STAFF, lambda o: o.id),
    WorkingHours: (ChangeKind.STAFF, lambda o: o.staff_id),
    StaffBreak: (ChangeKind.STAFF, lambda o: o.staff_id),
    StaffAbsence: (ChangeKind.STAFF, lambda o: o.staff_id),
    StaffService: (ChangeKind.STAFF, lambda o: o.staff_id),
    StaffCommission: (ChangeKind.STAFF, lambda o: o.staff_id),
    Service: (ChangeKind.CATALOGUE, lambda o: o.id),
    ServiceCategory: (ChangeKind.CATALOGUE, lambda o: None),
    ServicePrice: (ChangeKind.CATALOGUE, lambda o: o.service_id),
    ServiceTag: (ChangeKind.CATALOGUE, lambda o: o.service_id),
    ServiceEquipment: (ChangeKind.CATALOGUE, lambda o: o.service_id),
    Product: (ChangeKind.PRODUCTS, lambda o: o.id),
    ProductTag: (ChangeKind.PRODUCTS, lambda o: o.product_id),
    StockMovement: (ChangeKind.PRODUCTS, lambda o: o.product_id),
    Room: (ChangeKind.ROOMS, lambda o: o.id),
    Resource: (ChangeKind.ROOMS, lambda o: o.id),
    ShopProfile: (ChangeKind.SHOP, lambda o: o.id),
    OpeningHours: (ChangeKind.SHOP, lambda o: None),
    ClosedDay: (ChangeKind.SHOP, lambda o: None),
    PrintJob: (ChangeKind.PRINT_JOBS, lambda o: o.id),
}


@dataclass
class _Transaction:
    session: Session
    write: bool
    changes: ChangeSet = field(default_factory=ChangeSet)


class _TrackedSession(Session):
    """A session that notes, flush by flush, which kinds of rows it changed."""


@event.listens_for(_TrackedSession, "after_flush")
def _note_flushed(session: Session, _context: UOWTransaction) -> None:
    changes = session.info.get("changes")
    if changes is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        known = _KIND_OF.get(type(obj))
        if known is not None:
            kind, id_of = known
            id_ = id_of(obj)
            changes.add(kind, None if id_ is None else (id_,))


@event.listens_for(_TrackedSession, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    """UPDATE/DELETE statements name no objects: their kind changed, ids unknown."""
    changes = state.session.info.get("changes")
    if changes is None or not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    known = _KIND_OF.get(mapper.class_) if mapper is not None else None
    if known is not None:
        changes.add(known[0], None)


class UnitOfWork:
    """Sessions for one database, shared by the services of one action (see the module doc)."""

    def __init__(self, engine: Engine, *, terminal: str | None = None) -> None:
        self.engine = engine
        #: This program instance, so the change feed can skip what this terminal wrote itself.
        self.terminal = terminal or uuid.uuid4().hex[:12]
        self._sessions = sessionmaker(engine, class_=_TrackedSession, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}),
            class_=_TrackedSession,
            expire_on_commit=False,
        )
        self._current: ContextVar[_Transaction | None] = ContextVar(f"uow-{id(self)}", default=None)
        self._actor: ContextVar[int | None] = ContextVar(f"actor-{id(self)}", default=None)
        self._listeners: list[Listener] = []
        self._postgres = engine.dialect.name == "postgresql"

    # -- transactions ---------------------------------------------------------------------

    def read(self) -> AbstractContextManager[Session]:
        """A session for queries: the current transaction's, or a new read transaction."""
        return self._session(write=False)

    def write(self) -> AbstractContextManager[Session]:
        """A session for changes: the current write transaction's, or a new one (no retry:
        use `run` or `@writes` for that)."""
        return self._session(write=True)

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        current = self._current.get()
        if current is not None:
            if write and not current.write:
                raise RuntimeError("a write cannot join a read-only unit of work")
            yield current.session
            return
        try:
            with self._transaction(write=write) as session:
                yield session
        except DBAPIError as exc:
            raise storage_error(exc) from None

    def run(self, work: Callable[[], R], *, write: bool = True) -> R:
        """Run `work` as one unit of work; the outermost call retries it whole after a
        serialization failure or deadlock. Inside another unit of work it simply joins."""
        current = self._current.get()
        if current is not None:
            if write and not current.write:
                raise RuntimeError("a write cannot join a read-only unit of work")
            return work()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._transaction(write=write):
                    return work()
            except DBAPIError as exc:
                if attempt < MAX_ATTEMPTS and _retryable(exc):
                    log.info("Retrying after %s (attempt %d)", _sqlstate(exc), attempt)
                    time.sleep(random.uniform(0.01, 0.05) * attempt)  # let the other one finish
                    continue
                raise storage_error(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Session]:
        factory = self._write_sessions if write else self._sessions
        tx = _Transaction(factory(), write)
        tx.session.info["changes"] = tx.changes
        token = self._current.set(tx)
        published: Changes | None = None
        try:
            with tx.session:
                try:
                    yield tx.session
                    if write:
                        tx.session.flush()
                        if tx.changes:
                            published = tx.changes.freeze(
                                actor_staff_id=self._actor.get(), terminal=self.terminal
                            )
                            self._record(tx.session, published)
                        tx.session.commit()
                    # Closing a read session ends its transaction without expiring loaded rows.
                except BaseException:
                    tx.session.rollback()
                    raise
        finally:
            self._current.reset(token)
        if published is not None:
            self.announce(published)

    # -- what changed ---------------------------------------------------------------------

    @contextmanager
    def acting(self, staff_id: int | None) -> Iterator[None]:
        """Changes committed inside are announced as done by `staff_id`."""
        token = self._actor.set(staff_id)
        try:
            yield
        finally:
            self._actor.reset(token)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` (on the committing thread) after every commit that changed
        something here, and for every change another terminal made (see ChangeWatcher)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def announce(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # a screen's bug must not undo or hide a committed action
                log.exception("A change listener failed")

    def _record(self, session: Session, changes: Changes) -> None:
        """Tell other terminals, in the same transaction (so only committed work is told)."""
        payload = changes.to_json()
        if self._postgres:
            # Delivered at commit, in commit order; NOTIFY payloads are capped at 8000 bytes.
            if len(payload) > 7000:
                payload = Changes(
                    dict.fromkeys(changes.ids), changes.actor_staff_id, changes.terminal
                ).to_json()
            notify = func.pg_notify(NOTIFY_CHANNEL, f"{self.terminal} {payload}")
            session.execute(select(notify)).all()
            return
        entry = ChangeLogEntry(terminal=self.terminal, at=datetime.now(UTC), payload=payload)
        session.add(entry)
        session.flush()
        if entry.id % 100 == 0:
            stale = ChangeLogEntry.id <= entry.id - CHANGE_LOG_KEEP
            session.execute(delete(ChangeLogEntry).where(stale))


def _sqlstate(exc: DBAPIError) -> str:
    return str(getattr(exc.orig, "sqlstate", "") or "")


def _retryable(exc: DBAPIError) -> bool:
    return _sqlstate(exc) in RETRYABLE_SQLSTATES


class HasUnitOfWork(Protocol):
    _uow: UnitOfWork


S = TypeVar("S", bound=HasUnitOfWork)


def writes(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A public service method that changes data: one unit of work, retried whole."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._uow.run(lambda: method(self, *args, **kwargs), write=True)

    return wrapper


def reads(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A public service method that only reads: one consistent read transaction."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._uow.run(lambda: method(self, *args, **kwargs), write=False)

    return wrapper


__all__ = ["UnitOfWork", "reads", "writes"]
