"""Sign-in with a PIN: argon2id hashes, lock-out after repeated failures, all audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, func, literal, null, or_, select, update

from db.base import UTCDateTime
from db.models import Staff
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError
from frontdesk.domain.pins import LockoutPolicy, validate_pin
from frontdesk.domain.roles import Permission, Role, can
from frontdesk.domain.staff_rules import check_new_pin
from frontdesk.domain.text import clean_line
from frontdesk.services.audit import record
from frontdesk.services.clock import Clock
from frontdesk.services.unit_of_work import UnitOfWork, writes

MAX_STAFF_NAME = 80  # db/models/staff.py
_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters


def hash_pin(pin: str) -> str:
    """An argon2id hash of a valid PIN."""
    return _HASHER.hash(validate_pin(pin))


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when `pin` matches the stored hash (slow by design: ~0.1 s of argon2id)."""
    try:
        return bool(_HASHER.verify(pin_hash, pin))
    except (VerificationError, InvalidHashError):
        return False


class WrongPin(DomainError):
    """The PIN did not match."""


class AccountLocked(DomainError):
    """Too many wrong PINs; the account is locked for a while."""


class NotPermitted(DomainError):
    """The signed-in role may not do this."""


@dataclass(frozen=True)
class _Attempt:
    """A reserved PIN attempt: what to check it against and what a failure would mean."""

    pin_hash: str
    name: str
    role: Role
    failures: int  # wrong PINs in a row, this one included (0 when this one locks)
    locks: bool  # a wrong PIN now locks the account


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class SignedIn:
    """Who is at the desk, and what their role lets them do."""

    staff_id: int | None
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def require(self, permission: Permission) -> None:
        """NotPermitted unless this person's role may do `permission`."""
        if not self.can(permission):
            raise NotPermitted(
                "Your role ({role}) does not allow this: {permission}.",
                role=self.role,
                permission=permission,
            )


#: The actor for headless command-line work run by whoever administers the machine.
COMMAND_LINE = SignedIn(staff_id=None, name="command line", role=Role.OWNER)


class AuthService:
    """Lists who can sign in and checks their PIN."""

    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        policy: LockoutPolicy | None = None,
        verify: Callable[[str, str], bool] = verify_pin,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy or LockoutPolicy()
        self._verify_pin = verify

    def staff_for_sign_in(self) -> list[StaffChoice]:
        """Active staff who have a PIN (a new person without one is not offered)."""
        with self._uow.read() as session:
            rows = session.execute(
                select(Staff.id, Staff.display_name, Staff.role)
                .where(Staff.active.is_(True), Staff.pin_hash != "")
                .order_by(Staff.display_name)
            ).all()
        return [StaffChoice(row.id, row.display_name, Role(row.role)) for row in rows]

    def sign_in(self, staff_id: int, pin: str) -> SignedIn:
        """The signed-in staff member; WrongPin or AccountLocked otherwise (recorded either way).

        Three steps, so that neither concurrency nor a slow hash weakens the lock-out:
        1. a short write reserves the attempt: one atomic UPDATE counts it (and locks the
           account on the last allowed one) only while the account is not locked, so parallel
           terminals can never get more than `max_failures` PIN checks per lock-out window;
        2. the argon2 check runs outside any transaction: other terminals keep writing;
        3. a short write records the outcome (and clears the count when the PIN was right).
        """
        now = self._clock.now()
        attempt = self._reserve_attempt(staff_id, now)
        matched = self._verify_pin(attempt.pin_hash, pin)
        with self._uow.write() as session:
            if matched:
                session.execute(
                    update(Staff)
                    .where(Staff.id == staff_id)
                    .values(failed_pin_attempts=0, locked_until=None)
                )
                record(session, at=now, action="signin.ok", staff_id=staff_id)
                return SignedIn(staff_id, attempt.name, attempt.role)
            action = "signin.locked" if attempt.locks else "signin.failed"
            record(session, at=now, action=action, staff_id=staff_id)
        if attempt.locks:
            minutes = int(self._policy.lock_for.total_seconds() // 60)
            raise AccountLocked(
                "Wrong PIN. {name} is now locked for %n min.", name=attempt.name, n=minutes
            )
        left = self._policy.max_failures - attempt.failures
        raise WrongPin("Wrong PIN. Tries left before the account locks: %n.", n=left)

    def _reserve_attempt(self, staff_id: int, now: datetime) -> _Attempt:
        """Count one PIN attempt before it is checked; AccountLocked when none is left."""
        policy = self._policy
        counted = Staff.failed_pin_attempts + 1
        locks = counted >= policy.max_failures
        lock_ends = literal(now + policy.lock_for, UTCDateTime())
        with self._uow.write() as session:
            row = session.execute(
                update(Staff)
                .where(
                    Staff.id == staff_id,
                    Staff.active.is_(True),
                    Staff.pin_hash != "",
                    or_(Staff.locked_until.is_(None), Staff.locked_until <= now),
                )
                .values(
                    failed_pin_attempts=case((locks, 0), else_=counted),
                    locked_until=case((locks, lock_ends), else_=null()),
                )
                .returning(
                    Staff.failed_pin_attempts,
                    Staff.locked_until,
                    Staff.pin_hash,
                    Staff.display_name,
                    Staff.role,
                )
            ).one_or_none()
            if row is not None:
                return _Attempt(
                    pin_hash=row.pin_hash,
                    name=row.display_name,
                    role=Role(row.role),
                    failures=row.failed_pin_attempts,
                    locks=row.locked_until is not None,
                )
            staff = session.get(Staff, staff_id)
            if staff is not None and staff.active and not staff.pin_hash:
                raise DomainError(
                    "{name} has no PIN yet: an owner or manager sets one in the back office.",
                    name=staff.display_name,
                )
            if staff is None or not staff.active or staff.locked_until is None:
                raise DomainError("That staff member cannot sign in.")
            record(session, at=now, action="signin.refused_locked", staff_id=staff_id)
            minutes = max(1, round((staff.locked_until - now).total_seconds() / 60))
            refusal = AccountLocked(
                "{name} is locked after too many wrong PINs. Try again in %n min or ask a manager.",
                name=staff.display_name,
                n=minutes,
            )
        raise refusal

    def needs_first_owner(self) -> bool:
        """True on a new database: nobody exists who could sign in."""
        with self._uow.read() as session:
            return session.scalar(select(func.count(Staff.id))) == 0

    @writes
    def create_first_owner(self, name: str, pin: str, pin_again: str) -> SignedIn:
        """Create the owner of a new shop and sign them in; refused once any staff exists."""
        errors: dict[str, DomainError] = {}
        clean = ""
        try:
            clean = clean_line(
                name,
                "name",
                "The name",
                MAX_STAFF_NAME,
                required="Enter the owner's name.",
                strict=True,
            )
        except ValidationError as exc:
            errors["name"] = exc
        try:
            validate_pin(pin)
        except ValidationError as exc:
            errors["pin"] = exc
        else:
            if pin != pin_again:
                errors["pin_again"] = ValidationError("pin_again", "The two PINs are not the same.")
        if errors:
            raise FormErrors(errors)
        pin_hash = hash_pin(pin)
        now = self._clock.now()
        with self._uow.write() as session:
            if session.scalar(select(func.count(Staff.id))):
                raise DomainError("This shop already has staff: sign in instead.")
            owner = Staff(
                display_name=clean,
                role=Role.OWNER.value,
                pin_hash=pin_hash,
                active=True,
                failed_pin_attempts=0,
            )
            session.add(owner)
            session.flush()
            record(
                session,
                at=now,
                action="staff.first_owner",
                staff_id=owner.id,
                entity="staff",
                entity_id=owner.id,
            )
            return SignedIn(owner.id, clean, Role.OWNER)

    @writes
    def set_pin(self, staff_id: int, pin: str, pin_again: str, by: SignedIn) -> None:
        """Give a staff member a new PIN, typed twice: everyone may change their own; changing
        someone else's needs MANAGE_STAFF, and only an owner may change an owner's."""
        if by.staff_id != staff_id:
            by.require(Permission.MANAGE_STAFF)
        new_hash = hash_pin(check_new_pin(pin, pin_again))
        with self._uow.write() as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise DomainError("No such staff member.")
            if by.staff_id != staff_id and staff.role == Role.OWNER and by.role != Role.OWNER:
                raise NotPermitted("Only an owner may change an owner's account.")
            staff.pin_hash = new_hash
            staff.failed_pin_attempts = 0
            staff.locked_until = None
            record(
                session,
                at=self._clock.now(),
                action="staff.pin_changed",
                staff_id=by.staff_id,
                entity="staff",
                entity_id=staff_id,
            )
